"""docs/posture.md lists every check as the registry has it (regenerate with SORYOKU_REGEN_DOCS=1)."""

from __future__ import annotations

import os
from pathlib import Path

from soryoku.posture.catalog import BEGIN, END, checks_markdown
from soryoku.posture.registry import CHECKS

DOC = Path(__file__).resolve().parents[2] / "docs" / "posture.md"


def test_docs_list_every_check_as_generated() -> None:
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    expected = f"{head}{BEGIN}\n{checks_markdown()}{END}{tail}"
    if os.environ.get("SORYOKU_REGEN_DOCS") == "1":
        DOC.write_text(expected, encoding="utf-8")
        text = expected
    assert text == expected, (
        "docs/posture.md is stale: run SORYOKU_REGEN_DOCS=1 pytest tests/posture/test_docs.py"
    )
    for item in CHECKS:
        assert f"### {item.id}" in text
