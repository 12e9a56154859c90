"""deploy/content-scanner.yaml: valid for cfn-lint (offline) and least-privilege by construction."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from soryoku.content import handler
from soryoku.content.package import HANDLER

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "content-scanner.yaml"

needs_cfnlint = pytest.mark.skipif(
    importlib.util.find_spec("cfnlint") is None, reason="cfn-lint not installed"
)


def _template() -> dict[str, Any]:
    from cfnlint.decode import cfn_yaml

    return dict(cfn_yaml.load(str(TEMPLATE)))


def _statements(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "Effect" in node and "Action" in node:
            found.append(node)
        for value in node.values():
            found.extend(_statements(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_statements(value))
    return found


@needs_cfnlint
def test_cfn_lint_passes() -> None:
    from cfnlint.api import lint_file

    matches = lint_file(TEMPLATE)
    assert matches == [], "\n".join(str(m) for m in matches)


@needs_cfnlint
def test_least_privilege_and_wiring() -> None:
    resources = _template()["Resources"]
    role = resources["ScannerRole"]["Properties"]
    for statement in _statements(role["Policies"]):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert all("*" not in action for action in actions), statement
        assert statement["Resource"] != "*", statement
    function = resources["ScannerFunction"]["Properties"]
    assert function["Handler"] == HANDLER
    source = Path(handler.__file__).read_text()
    for name in function["Environment"]["Variables"]:
        assert name in source or name == "SORYOKU_CACHE_DIR", f"{name} is not read by the handler"
    queue = resources["ScanQueue"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * function["Timeout"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] >= 1
    mapping = resources["ScanQueueMapping"]["Properties"]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    gate = resources["UploadBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert gate["Effect"] == "Deny"
    assert gate["Condition"]["StringNotEquals"] == {
        "s3:ExistingObjectTag/soryoku-scan-status": "NO_THREATS_FOUND"
    }
