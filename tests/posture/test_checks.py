"""Every check over hand-built resource models: PASS and FAIL cases, no AWS."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from soryoku.posture.registry import CHECKS
from soryoku.posture.results import CheckContext

from .cases import ACCOUNT, NOW, REGION, Case
from .cases import CASES as CORE_CASES
from .cases import SILENT_CASES as CORE_SILENT_CASES


def _case_modules() -> list[Any]:
    """``cases.py`` plus every ``cases_<group>.py`` beside it (one per group of services)."""
    here = Path(__file__).parent
    package = __name__.rsplit(".", 1)[0]
    return [importlib.import_module(f"{package}.{path.stem}") for path in sorted(here.glob("cases_*.py"))]


CASES: list[Case] = CORE_CASES + [c for m in _case_modules() for c in getattr(m, "CASES", [])]
SILENT_CASES: list[tuple[str, Any]] = CORE_SILENT_CASES + [
    c for m in _case_modules() for c in getattr(m, "SILENT_CASES", [])
]


def _context(case: Case) -> CheckContext:
    return CheckContext(account_id=ACCOUNT, region=REGION, now=NOW, related=case.related)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.check_id}:{c.name}" for c in CASES])
def test_check_case(case: Case) -> None:
    results = CHECKS.get(case.check_id).run(case.resource, _context(case))
    assert [r.status for r in results] == [case.status]
    assert case.says in results[0].message
    assert results[0].message.strip()


@pytest.mark.parametrize(("check_id", "resource"), SILENT_CASES)
def test_out_of_scope_resources_get_no_verdict(check_id: str, resource: object) -> None:
    assert CHECKS.get(check_id).run(resource, CheckContext(ACCOUNT, REGION, now=NOW)) == []


def test_neutralised_exposure_is_reported_separately() -> None:
    case = next(c for c in CASES if c.name == "public ACL neutralised by bucket IgnorePublicAcls")
    (result,) = CHECKS.get(case.check_id).run(case.resource, _context(case))
    assert result.exposure == "neutralised by Block Public Access"
    assert result.evidence["acl_grants"] == ["AllUsers:READ"]


def test_every_check_has_a_pass_and_a_fail_case() -> None:
    for item in CHECKS:
        statuses = {c.status.value for c in CASES if c.check_id == item.id}
        assert statuses == {"PASS", "FAIL"}, f"{item.id} needs a PASS and a FAIL case in cases*.py"
