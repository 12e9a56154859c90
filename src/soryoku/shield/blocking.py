"""The answer to a blocked request: 403, ``x-soryoku-block: <rule id>``, a short body."""

from __future__ import annotations

from soryoku.shield.events import ShieldEvent

STATUS = 403
HEADER = "x-soryoku-block"


def block_body(event: ShieldEvent) -> bytes:
    """The short text body of a blocked response."""
    return f"Forbidden: request blocked by soryoku shield ({event.rule_id})\n".encode()


def block_headers(event: ShieldEvent, body: bytes) -> list[tuple[str, str]]:
    """Response headers of a blocked response."""
    return [
        ("content-type", "text/plain; charset=utf-8"),
        ("content-length", str(len(body))),
        (HEADER, event.rule_id),
        ("cache-control", "no-store"),
    ]


__all__ = ["HEADER", "STATUS", "block_body", "block_headers"]
