"""``@protect`` for Lambda handlers behind API Gateway (REST v1, HTTP v2), ALB and Function URLs.

The event is turned into a :class:`RequestView`, the request rules run, and the handler runs with
the request context set so that its sinks are guarded; a blocked request gets the 403 response
shape its trigger expects (ALB needs ``statusDescription`` and, when the target group uses
multi-value headers, ``multiValueHeaders``).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Mapping
from typing import Any, Literal
from urllib.parse import urlencode

from soryoku.shield.blocking import STATUS, block_body, block_headers
from soryoku.shield.config import ShieldConfig
from soryoku.shield.context import request_scope
from soryoku.shield.engine import Shield
from soryoku.shield.events import ShieldBlockedError, ShieldEvent
from soryoku.shield.exporter import FindingExporter
from soryoku.shield.install import install, installed
from soryoku.shield.request import RequestView

EventKind = Literal["rest_v1", "http_v2", "function_url", "alb"]
Handler = Callable[[dict[str, Any], Any], Any]


def event_kind(event: Mapping[str, Any]) -> EventKind | None:
    """Which HTTP trigger produced ``event``, or None when it is not an HTTP event."""
    context = event.get("requestContext") or {}
    if "elb" in context:
        return "alb"
    if event.get("version") == "2.0" and "http" in context:
        return "function_url" if ".lambda-url." in str(context.get("domainName", "")) else "http_v2"
    if "httpMethod" in event and isinstance(context, Mapping) and "identity" in context:
        return "rest_v1"
    return None


def _headers(event: Mapping[str, Any]) -> list[tuple[str, str]]:
    multi = event.get("multiValueHeaders")
    if multi:
        return [(str(k).lower(), str(v)) for k, values in multi.items() for v in (values or [])]
    return [(str(k).lower(), str(v)) for k, v in (event.get("headers") or {}).items()]


def _body(event: Mapping[str, Any]) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return base64.b64decode(body)
    return str(body).encode("utf-8")


def event_view(event: Mapping[str, Any], kind: EventKind) -> RequestView:
    """A :class:`RequestView` of an HTTP trigger event."""
    headers = _headers(event)
    body = _body(event)
    context = event.get("requestContext") or {}
    if kind in ("http_v2", "function_url"):
        http = context.get("http", {})
        if event.get("cookies"):
            headers.append(("cookie", "; ".join(event["cookies"])))
        return RequestView(
            method=str(http.get("method", "GET")),
            path=str(event.get("rawPath") or http.get("path") or "/"),
            query_string=str(event.get("rawQueryString") or ""),
            headers=tuple(headers),
            remote_addr=str(http.get("sourceIp", "")),
            body=body,
            body_length=len(body),
        )
    multi_query = event.get("multiValueQueryStringParameters")
    if multi_query:
        pairs = [(k, v) for k, values in multi_query.items() for v in (values or [])]
    else:
        pairs = list((event.get("queryStringParameters") or {}).items())
    if kind == "alb":
        # ALB passes parameters as sent (still percent-encoded); the client is the last XFF hop.
        query = "&".join(f"{k}={v}" for k, v in pairs)
        forwarded = dict(headers).get("x-forwarded-for", "")
        remote = forwarded.split(",")[-1].strip() if forwarded else ""
    else:
        query = urlencode(pairs)
        remote = str((context.get("identity") or {}).get("sourceIp", ""))
    return RequestView(
        method=str(event.get("httpMethod", "GET")),
        path=str(event.get("path") or "/"),
        query_string=query,
        headers=tuple(headers),
        remote_addr=remote,
        body=body,
        body_length=len(body),
    )


def blocked_response(event: Mapping[str, Any], kind: EventKind, decision: ShieldEvent) -> dict[str, Any]:
    """The 403 response in the shape ``kind`` expects."""
    body = block_body(decision)
    headers = dict(block_headers(decision, body))
    response: dict[str, Any] = {"statusCode": STATUS, "body": body.decode(), "isBase64Encoded": False}
    if kind == "alb":
        response["statusDescription"] = "403 Forbidden"
        if "multiValueHeaders" in event:
            response["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
            return response
    response["headers"] = headers
    return response


def protect(
    handler: Handler | None = None,
    *,
    config: ShieldConfig | None = None,
    shield: Shield | None = None,
    install_hooks: bool = True,
    exporter: FindingExporter | None = None,
) -> Any:
    """Decorate a Lambda handler: ``@protect`` or ``@protect(config=ShieldConfig(mode="block"))``.

    Non-HTTP events (SQS, S3 …) pass straight to the handler. With an ``exporter``, an invocation
    that produced events flushes them before returning: Lambda freezes background threads between
    invocations, so a batch left queued could wait indefinitely.
    """

    def decorate(func: Handler) -> Handler:
        guard = shield or Shield(config)
        if install_hooks and not installed():
            install()

        @functools.wraps(func)
        def guarded(event: dict[str, Any], context: Any) -> Any:
            kind = event_kind(event) if isinstance(event, Mapping) else None
            if kind is None:
                return func(event, context)
            ctx = guard.inspect(event_view(event, kind))
            try:
                if ctx.blocked is not None:
                    return blocked_response(event, kind, ctx.blocked)
                with request_scope(ctx):
                    try:
                        result = func(event, context)
                    except ShieldBlockedError as blocked:
                        return blocked_response(event, kind, blocked.event)
                if ctx.blocked is not None:
                    return blocked_response(event, kind, ctx.blocked)
                return result
            finally:
                if exporter is not None and ctx.events:
                    exporter.flush()

        return guarded

    return decorate(handler) if handler is not None else decorate


__all__ = ["blocked_response", "event_kind", "event_view", "protect"]
