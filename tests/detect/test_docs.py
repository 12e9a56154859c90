"""docs/detect.md lists every rule, generated from the registry."""

from __future__ import annotations

from pathlib import Path

from soryoku.detect.docs import BEGIN, END, render_rules
from soryoku.detect.rules import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "detect.md"


def test_rule_reference_is_generated_and_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    generated = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert generated == render_rules(), "run: python -m soryoku.detect.docs docs/detect.md"
    for rule in RULES:
        assert f"`{rule.id}`" in generated
