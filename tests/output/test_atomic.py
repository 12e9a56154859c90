"""A writer failing half-way never leaves an existing output file changed or a temp file behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from soryoku.output.base import WRITERS, Report, write_report, writer


class WriterFailedError(RuntimeError):
    pass


@pytest.fixture
def failing_writer() -> Iterator[str]:
    @writer("test-failing", description="writes half, then fails", extension="txt")
    def write_half(report: Report, stream: IO[str]) -> None:
        stream.write("half of the report\n")
        stream.flush()
        raise WriterFailedError("failed mid-way")

    try:
        yield "test-failing"
    finally:
        WRITERS.remove("test-failing")


def test_failed_write_leaves_existing_file_untouched(
    tmp_path: Path, failing_writer: str, report: Report
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("previous report\n", encoding="utf-8")
    with pytest.raises(WriterFailedError):
        write_report(report, failing_writer, target)
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


@pytest.mark.parametrize("fmt", ["html", "csv", "sarif", "json-asff", "json-ocsf", "jsonl", "table"])
def test_successful_write_replaces_file(tmp_path: Path, report: Report, fmt: str) -> None:
    target = tmp_path / "out"
    target.write_text("old", encoding="utf-8")
    write_report(report, fmt, target)
    content = target.read_text(encoding="utf-8")
    assert content != "old" and content.endswith("\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
