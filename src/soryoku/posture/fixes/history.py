"""The fix history: every applied change as one JSON line (time, principal, check, resource, call, undo).

The file sits beside the findings store (``fixes.jsonl`` next to a SQLite store, else in the
per-user data directory); ``SORYOKU_FIX_LOG`` names another file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soryoku.core.errors import InputError
from soryoku.hub.database import DB_ENV, default_db_path

FIX_LOG_ENV = "SORYOKU_FIX_LOG"
FIX_LOG_NAME = "fixes.jsonl"


def fix_log_path(db: str | None = None) -> Path:
    """Where applied fixes are recorded for the store ``db`` (None: ``$SORYOKU_DB`` or the default)."""
    explicit = os.environ.get(FIX_LOG_ENV)
    if explicit:
        return Path(explicit)
    store = db or os.environ.get(DB_ENV)
    if store and "://" not in store:
        return Path(store).expanduser().resolve().parent / FIX_LOG_NAME
    if store and store.startswith("sqlite:///"):
        return Path(store.removeprefix("sqlite:///")).expanduser().resolve().parent / FIX_LOG_NAME
    return default_db_path().parent / FIX_LOG_NAME


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded change."""

    time: str
    principal: str
    account: str
    region: str
    check: str
    finding: str
    resource: str
    call: Mapping[str, Any]
    before: Any
    after: Any
    undo: Mapping[str, Any] | None
    outcome: str  # "applied" or "error: …"

    def to_json(self) -> str:
        """The entry as one JSON line."""
        return json.dumps(
            {
                "time": self.time,
                "principal": self.principal,
                "account": self.account,
                "region": self.region,
                "check": self.check,
                "finding": self.finding,
                "resource": self.resource,
                "call": dict(self.call),
                "before": self.before,
                "after": self.after,
                "undo": dict(self.undo) if self.undo is not None else None,
                "outcome": self.outcome,
            },
            default=str,
            sort_keys=True,
        )


def append(path: Path, entry: HistoryEntry) -> None:
    """Append one entry and flush it to disk (a crash after a change never loses its record)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(entry.to_json() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read(path: Path) -> Iterator[HistoryEntry]:
    """Every entry of the history file, oldest first (none when the file does not exist)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                yield HistoryEntry(**data)
            except (ValueError, TypeError) as exc:
                raise InputError(
                    f"fix history {str(path)!r} line {number}: not a fix record ({exc})"
                ) from exc


__all__ = ["FIX_LOG_ENV", "HistoryEntry", "append", "fix_log_path", "read"]
