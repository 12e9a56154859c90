"""Outbound requests at the URL level: ``urllib``, ``requests`` and ``httpx`` clients.

The ``getaddrinfo`` hook sees what a connection resolves — but through an HTTP proxy the client
resolves only the proxy, and the proxy resolves the target. So the clients are also hooked where
they send a request: when a request input names the URL's host, the guard resolves that host
itself and applies the same SSRF rules before anything is sent. (A proxy that resolves again can
still be DNS-rebound; without a proxy the ``getaddrinfo`` hook closes that gap.)
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from soryoku.shield.context import current_request
from soryoku.shield.hooks.checks import addresses_of, check_resolved
from soryoku.shield.hooks.patching import Patcher
from soryoku.shield.rasp.ssrf import input_names_host

Resolver = Callable[..., Any]


def check_url(url: object, sink: str, resolve: Resolver) -> None:
    """Raise ShieldBlockedError when a client-named host of ``url`` resolves to a forbidden address."""
    ctx = current_request()
    if ctx is None or not ctx.inputs:
        return
    try:
        parts = urlsplit(str(url))
        host = parts.hostname
        port = parts.port
    except ValueError:
        return
    if not host or not any(input_names_host(host, item.value) for item in ctx.inputs):
        return
    try:
        results = resolve(host, port or 0, type=socket.SOCK_STREAM)
    except OSError:
        return  # unresolvable: the client will fail on its own
    check_resolved(host, addresses_of(results), sink)


def hook_urllib(patcher: Patcher, resolve: Resolver) -> Callable[[ModuleType], None]:
    """A post-import callback hooking ``urllib.request.OpenerDirector.open`` (``urlopen``, every opener)."""

    def hook(module: ModuleType) -> None:
        opener: Any = module.OpenerDirector
        original = opener.open

        def open_url(self: Any, fullurl: Any, *args: Any, **kwargs: Any) -> Any:
            check_url(getattr(fullurl, "full_url", fullurl), "urllib", resolve)
            return original(self, fullurl, *args, **kwargs)

        open_url.__wrapped__ = original  # type: ignore[attr-defined]
        patcher.replace(opener, "open", open_url)

    return hook


def hook_requests(patcher: Patcher, resolve: Resolver) -> Callable[[ModuleType], None]:
    """A post-import callback hooking ``requests.Session.send``."""

    def hook(module: ModuleType) -> None:
        session: Any = module.Session
        original = session.send

        def send(self: Any, request: Any, **kwargs: Any) -> Any:
            check_url(request.url, "requests", resolve)
            return original(self, request, **kwargs)

        send.__wrapped__ = original  # type: ignore[attr-defined]
        patcher.replace(session, "send", send)

    return hook


def hook_httpx(patcher: Patcher, resolve: Resolver) -> Callable[[ModuleType], None]:
    """A post-import callback hooking ``httpx.Client.send`` and ``httpx.AsyncClient.send``."""

    def hook(module: ModuleType) -> None:
        client: Any = module.Client
        async_client: Any = module.AsyncClient
        original_sync, original_async = client.send, async_client.send

        def send(self: Any, request: Any, **kwargs: Any) -> Any:
            check_url(request.url, "httpx", resolve)
            return original_sync(self, request, **kwargs)

        async def send_async(self: Any, request: Any, **kwargs: Any) -> Any:
            check_url(request.url, "httpx", resolve)
            return await original_async(self, request, **kwargs)

        send.__wrapped__ = original_sync  # type: ignore[attr-defined]
        send_async.__wrapped__ = original_async  # type: ignore[attr-defined]
        patcher.replace(client, "send", send)
        patcher.replace(async_client, "send", send_async)

    return hook


__all__ = ["check_url", "hook_httpx", "hook_requests", "hook_urllib"]
