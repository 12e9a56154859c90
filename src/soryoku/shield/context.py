"""The current request, held in a context variable so that sink hooks can see its user inputs."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from soryoku.shield.config import ShieldConfig
    from soryoku.shield.events import ShieldEvent


@dataclass(frozen=True, slots=True)
class UserInput:
    """One value the client controls: where it came from (``query``, ``header`` …), its name, value."""

    source: str
    name: str
    value: str

    @property
    def location(self) -> str:
        """``source:name``, as shown in events (``query:id``, ``json:user.name``)."""
        return f"{self.source}:{self.name}"


@dataclass(slots=True)
class RequestContext:
    """What a sink hook needs about the request being served; mutable only to record decisions."""

    method: str
    path: str
    route: str
    client_ip: str
    inputs: tuple[UserInput, ...]
    config: ShieldConfig
    events: list[ShieldEvent] = field(default_factory=list)
    blocked: ShieldEvent | None = None
    checked: set[tuple[str, str]] = field(default_factory=set)


_CURRENT: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "soryoku_shield_request", default=None
)


def current_request() -> RequestContext | None:
    """The request being served in this thread/task, or None outside a request."""
    return _CURRENT.get()


@contextmanager
def request_scope(ctx: RequestContext) -> Iterator[RequestContext]:
    """Make ``ctx`` the current request for the duration of the ``with`` block."""
    token = _CURRENT.set(ctx)
    try:
        yield ctx
    finally:
        _CURRENT.reset(token)


def enter_request(ctx: RequestContext) -> contextvars.Token[RequestContext | None]:
    """Set ``ctx`` as current without a ``with`` block (ASGI); undo with :func:`leave_request`."""
    return _CURRENT.set(ctx)


def leave_request(token: contextvars.Token[RequestContext | None]) -> None:
    """Undo :func:`enter_request`."""
    _CURRENT.reset(token)


__all__ = [
    "RequestContext",
    "UserInput",
    "current_request",
    "enter_request",
    "leave_request",
    "request_scope",
]
