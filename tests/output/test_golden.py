"""Every writer's output for the fixed sample report equals its golden file.

Regenerate with ``SORYOKU_UPDATE_GOLDEN=1 .venv/bin/pytest tests/output/test_golden.py`` and
review the diff.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from soryoku import __version__
from soryoku.output.base import WRITERS, Report

GOLDEN = Path(__file__).parent / "golden"
VERSION_PLACEHOLDER = "<soryoku-version>"
UPDATE = os.environ.get("SORYOKU_UPDATE_GOLDEN", "").strip().lower() in {"1", "true", "yes"}


def _golden_path(writer_id: str) -> Path:
    return GOLDEN / f"report.{WRITERS.get(writer_id).extension.lstrip('.')}"


@pytest.mark.parametrize("writer_id", [w.id for w in WRITERS])
def test_writer_output_matches_golden(writer_id: str, report: Report) -> None:
    stream = io.StringIO()
    WRITERS.get(writer_id).write(report, stream)
    # the goldens hold a placeholder, so a version bump does not change them
    output = stream.getvalue().replace(__version__, VERSION_PLACEHOLDER)
    path = _golden_path(writer_id)
    if UPDATE:
        path.write_text(output, encoding="utf-8", newline="")
    assert path.is_file(), f"no golden file {path.name}: run with SORYOKU_UPDATE_GOLDEN=1"
    assert output == path.read_bytes().decode("utf-8"), (
        f"{writer_id} output changed; if intended, regenerate (SORYOKU_UPDATE_GOLDEN=1) and review the diff"
    )


def test_every_golden_file_belongs_to_a_writer() -> None:
    expected = [_golden_path(w.id).name for w in WRITERS]
    assert len(set(expected)) == len(expected), "two writers share an extension"
    assert {p.name for p in GOLDEN.iterdir()} == set(expected)


def test_output_is_deterministic(report: Report) -> None:
    for writer in WRITERS:
        first, second = io.StringIO(), io.StringIO()
        writer.write(report, first)
        writer.write(report, second)
        assert first.getvalue() == second.getvalue(), writer.id
