"""Decisions as events: labels ``soryoku:shield:<family>:<rule>``, JSON log lines, redaction.

Events are plain frozen dataclasses; turning them into OCSF findings happens later, off the request
path, in :mod:`soryoku.shield.exporter`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Literal

Action = Literal["block", "monitor"]

LOGGER = logging.getLogger("soryoku.shield")
# A library logger: silent until the application configures logging (no last-resort stderr output).
LOGGER.addHandler(logging.NullHandler())

_SENSITIVE_NAME = re.compile(r"pass|secret|token|auth|session|cookie|api[-_]?key|credential", re.I)
_LONG_DIGITS = re.compile(r"\d{6,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_MAX_SHOWN = 80


@dataclass(frozen=True, slots=True)
class ShieldEvent:
    """One decision: a rule matched on a request (or at a sink) and what was done about it."""

    family: str
    rule: str
    title: str
    severity: str
    mode: str
    action: Action
    route: str
    method: str
    client_ip: str
    location: str
    matched: str
    latency_us: int
    time_ms: int

    @property
    def rule_id(self) -> str:
        """``<family>:<rule>``, the value of the ``x-soryoku-block`` header."""
        return f"{self.family}:{self.rule}"

    @property
    def label(self) -> str:
        """``soryoku:shield:<family>:<rule>``."""
        return f"soryoku:shield:{self.family}:{self.rule}"

    def to_dict(self) -> dict[str, object]:
        """The event as a flat JSON-ready mapping (with its label and rule id)."""
        data: dict[str, object] = asdict(self)
        data["label"] = self.label
        data["rule_id"] = self.rule_id
        return data

    def to_json(self) -> str:
        """One JSON log line."""
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False)


class ShieldBlockedError(Exception):
    """Raised at a sink when the guard blocks the operation.

    Deliberately not an ``OSError``: client libraries and apps that catch I/O errors must not turn a
    block into a retry or a 404.
    """

    def __init__(self, event: ShieldEvent) -> None:
        super().__init__(f"blocked by soryoku shield rule {event.rule_id}")
        self.event = event


def redact(value: str, location: str = "") -> str:
    """A matched value safe to log: secrets hashed, long digit runs and e-mails masked, truncated."""
    name = location.partition(":")[2]
    if _SENSITIVE_NAME.search(name):
        digest = hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:12]
        return f"<redacted len={len(value)} sha256={digest}>"
    shown = _EMAIL.sub("<email>", _LONG_DIGITS.sub(lambda m: "#" * len(m.group()), value))
    if len(shown) > _MAX_SHOWN:
        shown = shown[:_MAX_SHOWN] + f"…(+{len(shown) - _MAX_SHOWN})"
    return shown


def now_ms() -> int:
    """Milliseconds since the epoch."""
    return int(time.time() * 1000)


EventListener = Callable[[ShieldEvent], None]
_listeners: list[EventListener] = []


def add_listener(listener: EventListener) -> None:
    """Call ``listener`` with every event (the finding exporter registers itself here)."""
    _listeners.append(listener)


def remove_listener(listener: EventListener) -> None:
    """Stop calling ``listener``."""
    if listener in _listeners:
        _listeners.remove(listener)


def publish(event: ShieldEvent) -> None:
    """Log the event as one JSON line (logger ``soryoku.shield``) and hand it to the listeners."""
    level = logging.WARNING if event.action == "block" else logging.INFO
    if LOGGER.isEnabledFor(level):
        LOGGER.log(level, event.to_json())
    for listener in tuple(_listeners):
        listener(event)


__all__ = [
    "LOGGER",
    "Action",
    "ShieldBlockedError",
    "ShieldEvent",
    "add_listener",
    "now_ms",
    "publish",
    "redact",
    "remove_listener",
]
