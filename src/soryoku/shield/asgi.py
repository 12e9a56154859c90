"""ASGI middleware: the same guard for Starlette/FastAPI/Django-ASGI and any ASGI 3 app.

A small inspectable body is read up front and replayed to the app. The app's
``http.response.start`` is held until its first body message, so a sink blocked while the app runs
still turns into a clean 403 — even when the framework caught the exception and rendered a 500.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from soryoku.shield.blocking import STATUS, block_body, block_headers
from soryoku.shield.context import enter_request, leave_request
from soryoku.shield.engine import Shield
from soryoku.shield.events import ShieldBlockedError, ShieldEvent
from soryoku.shield.request import RequestView

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_INSPECTABLE = ("application/x-www-form-urlencoded", "application/json", "text/", "application/xml")


def asgi_view(scope: Scope, body: bytes, body_length: int) -> RequestView:
    """A :class:`RequestView` of an ASGI HTTP scope."""
    headers = tuple((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope.get("headers", ()))
    client = scope.get("client") or ("", 0)
    raw_path = scope.get("raw_path")
    return RequestView(
        method=scope.get("method", "GET"),
        path=scope.get("root_path", "") + scope.get("path", "/"),
        query_string=scope.get("query_string", b"").decode("latin-1"),
        headers=headers,
        remote_addr=str(client[0]),
        body=body,
        body_length=body_length,
        raw_path=raw_path.decode("latin-1") if isinstance(raw_path, bytes) else "",
    )


async def _read_body(scope: Scope, receive: Receive, limit: int) -> tuple[bytes, int, Receive]:
    """Read a small inspectable body; returns it, the declared length, and a receive that replays it."""
    length = 0
    media = ""
    for key, value in scope.get("headers", ()):
        if key == b"content-length" and value.isdigit():
            length = int(value)
        elif key == b"content-type":
            media = value.decode("latin-1").partition(";")[0].strip().lower()
    if not (0 < length <= limit and media.startswith(_INSPECTABLE)):
        return b"", length, receive
    parts: list[bytes] = []
    extra: list[Message] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            extra.append(message)
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(parts)
    replay: list[Message] = [{"type": "http.request", "body": body, "more_body": False}, *extra]

    async def replay_receive() -> Message:
        return replay.pop(0) if replay else await receive()

    return body, length, replay_receive


async def _deny(event: ShieldEvent, send: Send) -> None:
    body = block_body(event)
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in block_headers(event, body)]
    await send({"type": "http.response.start", "status": STATUS, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class ShieldASGI:
    """Wraps an ASGI 3 application with the guard (see :func:`soryoku.shield.protect`)."""

    def __init__(self, app: ASGIApp, shield: Shield) -> None:
        self.app = app
        self.shield = shield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        body, length, receive = await _read_body(scope, receive, self.shield.config.inspect_body_bytes)
        ctx = self.shield.inspect(asgi_view(scope, body, length))
        if ctx.blocked is not None:
            await _deny(ctx.blocked, send)
            return
        held: list[Message] = []
        state = {"started": False, "denied": False}

        async def guarded_send(message: Message) -> None:
            if state["denied"]:
                return
            if not state["started"]:
                if message["type"] == "http.response.start":
                    held[:] = [message]
                    return
                if ctx.blocked is not None:
                    state["denied"] = True
                    await _deny(ctx.blocked, send)
                    return
                state["started"] = True
                for pending in held:
                    await send(pending)
            await send(message)

        token = enter_request(ctx)
        try:
            await self.app(scope, receive, guarded_send)
        except ShieldBlockedError as blocked:
            if state["started"]:
                raise
            if not state["denied"]:
                state["denied"] = True
                await _deny(blocked.event, send)
            return
        finally:
            leave_request(token)
        if not state["started"] and not state["denied"]:
            if ctx.blocked is not None:
                await _deny(ctx.blocked, send)
            elif held:
                await send(held[0])


__all__ = ["ShieldASGI", "asgi_view"]
