"""deploy/shield-lambda-layer.yaml: valid for cfn-lint (offline, SAM transform included) and wired right."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "shield-lambda-layer.yaml"

needs_cfnlint = pytest.mark.skipif(
    importlib.util.find_spec("cfnlint") is None, reason="cfn-lint not installed"
)


def _resources() -> dict[str, Any]:
    from cfnlint.decode import cfn_yaml

    return dict(cfn_yaml.load(str(TEMPLATE))["Resources"])


@needs_cfnlint
def test_cfn_lint_passes() -> None:
    from cfnlint.api import lint_file

    matches = lint_file(TEMPLATE)
    assert matches == [], "\n".join(str(m) for m in matches)


@needs_cfnlint
def test_layer_and_example_function_are_wired() -> None:
    resources = _resources()
    layer = resources["ShieldLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Properties"]["ContentUri"] == "shield-layer.zip"  # what `soryoku shield layer -o` writes
    assert all(r.startswith("python3.") for r in layer["Properties"]["CompatibleRuntimes"])
    function = resources["ExampleFunction"]["Properties"]
    assert function["Layers"] == [{"Ref": "ShieldLayer"}]
    code = function["InlineCode"]
    assert code.lstrip().startswith("import soryoku.shield.auto")  # hooks before any driver import
    assert "from soryoku.shield.aws_lambda import protect" in code
    assert "@protect(" in code
    compile(code, "index.py", "exec")
