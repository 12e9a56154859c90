"""WSGI middleware: inspect the request, hold its context while the app runs, answer 403 on a block.

The app's ``start_response`` is held back until the app has returned (or produced its first chunk),
so a sink blocked deep inside the app — even one the framework turned into a 500 — still becomes a
clean 403. Limits: once an app has used the legacy ``write()`` callable or started streaming, a
later block can only abort the response.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from soryoku.shield.blocking import STATUS, block_body, block_headers
from soryoku.shield.context import RequestContext, request_scope
from soryoku.shield.engine import Shield
from soryoku.shield.events import ShieldBlockedError, ShieldEvent
from soryoku.shield.request import RequestView

StartResponse = Callable[..., Callable[[bytes], Any]]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_INSPECTABLE = ("application/x-www-form-urlencoded", "application/json", "text/", "application/xml")
_END = object()


def _latin1_to_text(value: str) -> str:
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def wsgi_view(environ: dict[str, Any], inspect_limit: int) -> RequestView:
    """A :class:`RequestView` of a WSGI request; a small inspectable body is read and put back."""
    headers = [(k[5:].replace("_", "-").lower(), v) for k, v in environ.items() if k.startswith("HTTP_")]
    content_type = environ.get("CONTENT_TYPE", "")
    if content_type:
        headers.append(("content-type", content_type))
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = b""
    media = content_type.partition(";")[0].strip().lower()
    if 0 < length <= inspect_limit and media.startswith(_INSPECTABLE):
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
    path = _latin1_to_text(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    return RequestView(
        method=environ.get("REQUEST_METHOD", "GET"),
        path=path or "/",
        query_string=_latin1_to_text(environ.get("QUERY_STRING", "")),
        headers=tuple(headers),
        remote_addr=environ.get("REMOTE_ADDR", ""),
        body=body,
        body_length=length,
        raw_path=raw.partition("?")[0],
    )


def _deny(event: ShieldEvent, start_response: StartResponse) -> list[bytes]:
    body = block_body(event)
    start_response(f"{STATUS} Forbidden", block_headers(event, body))
    return [body]


class _Body:
    """The app's response iterable, iterated with the request context set, closed properly."""

    def __init__(
        self, result: Iterable[bytes], chunks: Iterator[bytes], first: object, ctx: RequestContext
    ) -> None:
        self._result = result
        self._chunks = chunks
        self._first = first
        self._ctx = ctx

    def __iter__(self) -> Iterator[bytes]:
        if self._first is not _END and isinstance(self._first, bytes):
            yield self._first
        while True:
            with request_scope(self._ctx):
                chunk = next(self._chunks, _END)
            if chunk is _END or not isinstance(chunk, bytes):
                return
            yield chunk

    def close(self) -> None:
        close = getattr(self._result, "close", None)
        if close is not None:
            close()


class ShieldWSGI:
    """Wraps a WSGI application with the guard (see :func:`soryoku.shield.protect`)."""

    def __init__(self, app: WSGIApp, shield: Shield) -> None:
        self.app = app
        self.shield = shield

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        view = wsgi_view(environ, self.shield.config.inspect_body_bytes)
        ctx = self.shield.inspect(view)
        if ctx.blocked is not None:
            return _deny(ctx.blocked, start_response)
        held: list[Any] = []
        sent: list[Callable[[bytes], Any]] = []

        def flush() -> None:
            if not sent:
                sent.append(start_response(*held))

        def write(data: bytes) -> None:
            flush()
            sent[0](data)

        def capture(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], Any]:
            if sent:
                return start_response(status, headers, exc_info)
            held[:] = [status, headers, exc_info]
            return write

        result: Iterable[bytes] = ()
        with request_scope(ctx):
            try:
                result = self.app(environ, capture)
                chunks = iter(result)
                first = next(chunks, _END) if not held else _END
            except ShieldBlockedError as blocked:
                _close(result)
                if sent:
                    raise
                return _deny(blocked.event, start_response)
        if ctx.blocked is not None and not sent:
            _close(result)
            return _deny(ctx.blocked, start_response)
        if held:
            flush()
        return _Body(result, chunks, first, ctx)


def _close(result: Iterable[bytes]) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


__all__ = ["ShieldWSGI", "wsgi_view"]
