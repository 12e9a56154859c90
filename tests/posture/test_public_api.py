"""The entry points other parts of soryoku build on (``soryoku scan`` uses run_posture/PostureOptions)."""

from __future__ import annotations

import dataclasses
import inspect

import soryoku.aws
import soryoku.inventory
from soryoku.posture import engine


def test_engine_public_api_is_pinned() -> None:
    assert engine.__all__ == [
        "DEFAULT_MAX_WORKERS",
        "PostureOptions",
        "ProgressCallback",
        "account_targets",
        "run_posture",
        "scan_account",
    ]
    fields = [f.name for f in dataclasses.fields(engine.PostureOptions)]
    assert fields == [
        "profile",
        "role_arn",
        "external_id",
        "org",
        "org_role_name",
        "regions",
        "all_regions",
        "checks",
        "exclude_checks",
        "services",
        "severity",
        "compliance",
        "max_workers",
        "max_attempts",
    ]
    assert engine.PostureOptions.__dataclass_params__.frozen  # type: ignore[attr-defined]
    parameters = inspect.signature(engine.run_posture).parameters
    assert list(parameters) == ["options", "on_progress"]
    assert parameters["on_progress"].kind is inspect.Parameter.KEYWORD_ONLY


def test_aws_and_inventory_exports_resolve() -> None:
    for module in (soryoku.aws, soryoku.inventory):
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{module.__name__}.{name}"
