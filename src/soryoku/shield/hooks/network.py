"""Outbound connections: the name resolution every client library goes through.

``urllib``, ``requests`` (urllib3), ``httpx``/``httpcore`` (sync) and raw sockets all call
``socket.getaddrinfo``; asyncio clients (``httpx.AsyncClient`` via anyio, aiohttp) call the event
loop's ``getaddrinfo``, which runs ``socket.getaddrinfo`` in an executor thread *without* the
request's context — so the loop method is hooked too, checking in the calling task. Checking the
resolved addresses, the ones the connection will use, defeats DNS rebinding. IP literals also pass
through ``getaddrinfo``, so ``http://169.254.169.254/`` and its decimal spelling are covered.
"""

from __future__ import annotations

import asyncio.base_events
import socket
from collections.abc import Callable
from typing import Any

from soryoku.shield.hooks.checks import addresses_of, check_resolved
from soryoku.shield.hooks.patching import Patcher


def _wrap_getaddrinfo(original: Callable[..., Any]) -> Callable[..., Any]:
    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        results = original(host, port, *args, **kwargs)
        check_resolved(host, addresses_of(results), "socket.getaddrinfo")
        return results

    getaddrinfo.__wrapped__ = original  # type: ignore[attr-defined]
    getaddrinfo.__doc__ = original.__doc__
    return getaddrinfo


def _wrap_loop_getaddrinfo(original: Callable[..., Any]) -> Callable[..., Any]:
    async def getaddrinfo(self: Any, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        results = await original(self, host, port, *args, **kwargs)
        check_resolved(host, addresses_of(results), "asyncio getaddrinfo")
        return results

    getaddrinfo.__wrapped__ = original  # type: ignore[attr-defined]
    return getaddrinfo


def install_network(patcher: Patcher) -> None:
    """Hook ``socket.getaddrinfo`` and ``asyncio.BaseEventLoop.getaddrinfo``."""
    patcher.replace(socket, "getaddrinfo", _wrap_getaddrinfo(socket.getaddrinfo))
    loop_class: Any = asyncio.base_events.BaseEventLoop
    patcher.replace(loop_class, "getaddrinfo", _wrap_loop_getaddrinfo(loop_class.getaddrinfo))


__all__ = ["install_network"]
