"""The Report every writer reads, the writer registry, and safe (atomic) output files."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from soryoku.core.errors import OutputPathError, UnknownFormatError
from soryoku.core.finding import Finding, now_ms
from soryoku.core.registry import Registry
from soryoku.core.result import Gap


@dataclass(slots=True)
class Report:
    """Everything a writer may show: findings, what was not evaluated, and run context."""

    findings: list[Finding]
    gaps: list[Gap] = field(default_factory=list)
    title: str = "soryoku report"
    scope: str = ""
    generated_ms: int = field(default_factory=now_ms)
    run_ids: list[str] = field(default_factory=list)
    diff_new: int | None = None
    diff_resolved: int | None = None


@dataclass(frozen=True, slots=True)
class Writer:
    """An output format: its name (the ``--format`` value) and the function that writes it."""

    id: str
    write: Callable[[Report, IO[str]], None]
    description: str
    extension: str
    binary_safe_terminal: bool = True


WRITERS: Registry[Writer] = Registry(
    "output format",
    builtin_modules=(
        "soryoku.output.table",
        "soryoku.output.json_ocsf",
        "soryoku.output.jsonl",
        "soryoku.output.csv_writer",
        "soryoku.output.sarif",
        "soryoku.output.asff",
        "soryoku.output.html",
        "soryoku.vuln.sbom",  # cyclonedx: findings with their SBOM context
    ),
)


def writer(
    name: str, *, description: str, extension: str
) -> Callable[[Callable[[Report, IO[str]], None]], Callable[[Report, IO[str]], None]]:
    """Register a function ``(report, stream) -> None`` as the writer of format ``name``."""

    def decorate(func: Callable[[Report, IO[str]], None]) -> Callable[[Report, IO[str]], None]:
        WRITERS.add(Writer(id=name, write=func, description=description, extension=extension))
        return func

    return decorate


def get_writer(name: str) -> Writer:
    """The writer for ``--format name``; UnknownFormatError listing the known ones otherwise."""
    if name not in WRITERS:
        known = ", ".join(w.id for w in WRITERS)
        raise UnknownFormatError(f"--format {name!r}: expected one of {known}")
    return WRITERS.get(name)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """Open ``path`` for writing so that it is replaced whole or not at all.

    The content goes to a temporary file beside ``path`` and is renamed over it only when the
    block finishes without error; an existing file is never left half-written.
    """
    directory = path.parent if str(path.parent) else Path()
    if not directory.is_dir():
        raise OutputPathError(f"output {str(path)!r}: directory {str(directory)!r} does not exist")
    if path.is_dir():
        raise OutputPathError(f"output {str(path)!r}: is a directory, expected a file path")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputPathError(f"output {str(path)!r}: cannot write there ({exc.strerror})") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        # mkstemp creates the file 0600; a report gets the permissions any new file would get.
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_report(report: Report, fmt: str, output: Path | None) -> str | None:
    """Write ``report`` as ``fmt`` to ``output`` (atomically) or, without one, to stdout.

    Returns the text written to stdout, if that is where it went (for tests), else ``None``.
    """
    chosen = get_writer(fmt)
    if output is not None:
        with atomic_output(output) as stream:
            chosen.write(report, stream)
        return None
    if sys.stdout.isatty():  # the table writer colours only a real terminal: hand it stdout itself
        chosen.write(report, sys.stdout)
        sys.stdout.flush()
        return None
    buffer = io.StringIO()
    chosen.write(report, buffer)
    text = buffer.getvalue()
    sys.stdout.write(text)
    sys.stdout.flush()
    return text


__all__ = ["WRITERS", "Report", "Writer", "atomic_output", "get_writer", "write_report", "writer"]
