"""The per-object audit log: one JSON line per object, written as each verdict is reached."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

from soryoku.content.verdict import ObjectResult
from soryoku.core.errors import OutputPathError


class AuditLog:
    """Appends ``ObjectResult.to_audit()`` lines to a file (thread-safe; flushed per line)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stream: IO[str] | None = None
        self._lock = threading.Lock()
        self.lines = 0

    def __enter__(self) -> AuditLog:
        if self.path is not None:
            try:
                self._stream = self.path.open("w", encoding="utf-8")
            except OSError as exc:
                raise OutputPathError(
                    f"--audit-log {str(self.path)!r}: cannot write ({exc.strerror})"
                ) from exc
        return self

    def write(self, result: ObjectResult, **extra: object) -> None:
        """Record one object's verdict (``extra`` adds fields such as the actions taken)."""
        if self._stream is None:
            return
        line = json.dumps(
            {**result.to_audit(), **extra}, ensure_ascii=False, separators=(",", ":"), default=str
        )
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()
            self.lines += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


__all__ = ["AuditLog"]
