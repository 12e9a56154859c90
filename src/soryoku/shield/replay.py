"""Offline replay: recorded requests (JSON lines) through the request rules, in block mode.

One record per line::

    {"method": "GET", "path": "/search", "query": "q=1", "headers": {"user-agent": "…"},
     "body": "…", "client_ip": "203.0.113.7"}

``query`` may also be a mapping; ``url`` (``/path?query``) may replace ``path`` and ``query``;
``time`` (epoch seconds or ISO 8601) places the request in time for rate rules.
How a team tunes monitor mode: replay a day of traffic and read what *would* have been blocked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from soryoku.shield.config import ShieldConfig
from soryoku.shield.engine import Shield
from soryoku.shield.events import ShieldEvent
from soryoku.shield.ratelimit import MemoryRateStore
from soryoku.shield.request import RequestView


@dataclass(frozen=True, slots=True)
class ReplayOutcome:
    """What the rules decided for one recorded request."""

    line: int
    method: str
    path: str
    events: tuple[ShieldEvent, ...]
    blocked: ShieldEvent | None


def _error(message: str) -> Exception:
    from soryoku.core.errors import InputError  # lazy: keeps the guard's import light

    return InputError(message)


def view_from_record(record: Mapping[str, Any]) -> RequestView:
    """A :class:`RequestView` of one recorded request (the replay format above)."""
    path = str(record.get("path") or "")
    query = record.get("query") or ""
    if "url" in record:
        parts = urlsplit(str(record["url"]))
        path, query = parts.path or "/", parts.query
    if isinstance(query, Mapping):
        query = urlencode(query, doseq=True)
    headers_in = record.get("headers") or {}
    if not isinstance(headers_in, Mapping):
        raise _error("replay record: 'headers' must be a mapping of name to value")
    headers = [(str(k).lower(), str(v)) for k, v in headers_in.items()]
    body = record.get("body") or ""
    if not isinstance(body, str):
        body = json.dumps(body)
        if not any(k == "content-type" for k, _ in headers):
            headers.append(("content-type", "application/json"))
    raw = body.encode("utf-8")
    return RequestView(
        method=str(record.get("method", "GET")).upper(),
        path=path or "/",
        query_string=str(query),
        headers=tuple(headers),
        remote_addr=str(record.get("client_ip", "")),
        body=raw,
        body_length=len(raw),
        raw_path=str(record.get("raw_path", "")),
    )


def record_time(record: Mapping[str, Any], line: int) -> float | None:
    """The recorded request time in epoch seconds (``time``: a number or ISO 8601), if any."""
    value = record.get("time")
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        stamp = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as error:
        raise _error(f"replay record {line}: time {value!r} is neither epoch seconds nor ISO 8601") from error
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


def read_records(lines: Iterable[str], source: str = "<input>") -> Iterator[tuple[int, dict[str, Any]]]:
    """Parse JSON lines, skipping blank ones; a bad line raises InputError naming it."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise _error(f"{source}:{number}: not a JSON object ({error})") from error
        if not isinstance(record, dict):
            raise _error(f"{source}:{number}: expected a JSON object, got {type(record).__name__}")
        yield number, record


def replay(
    records: Iterable[tuple[int, Mapping[str, Any]]], config: ShieldConfig | None = None
) -> Iterator[ReplayOutcome]:
    """Run each record through the request rules as if every family were blocking.

    Families set to ``off`` stay off; everything else is evaluated in block mode so the outcome
    says what a switch from monitor to block would do.
    """
    base = config or ShieldConfig()
    blocking = replace(
        base,
        mode="block",
        families={f: ("off" if m == "off" else "block") for f, m in base.families.items()},
        routes=tuple(
            replace(
                r,
                mode=None if r.mode != "off" else "off",
                families={f: ("off" if m == "off" else "block") for f, m in r.families.items()},
            )
            for r in base.routes
        ),
    )
    shield = Shield(blocking, MemoryRateStore())
    for number, record in records:
        view = view_from_record(record)
        ctx = shield.inspect(view, record_time(record, number))
        yield ReplayOutcome(number, view.method, view.path, tuple(ctx.events), ctx.blocked)


__all__ = ["ReplayOutcome", "read_records", "record_time", "replay", "view_from_record"]
