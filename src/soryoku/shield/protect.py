"""``protect(app)``: install the sink hooks if needed and wrap a WSGI or ASGI app (detected)."""

from __future__ import annotations

import inspect
from typing import Any, Literal

from soryoku.shield.asgi import ShieldASGI
from soryoku.shield.config import ShieldConfig
from soryoku.shield.engine import Shield
from soryoku.shield.install import install, installed
from soryoku.shield.wsgi import ShieldWSGI


def is_asgi(app: Any) -> bool:
    """True when ``app`` is an ASGI 3 callable (an ``async`` function or object with ``async __call__``)."""
    if inspect.iscoroutinefunction(app):
        return True
    call = getattr(app, "__call__", None)  # noqa: B004 — the bound method itself is what we inspect
    return call is not None and inspect.iscoroutinefunction(call)


def protect(
    app: Any,
    config: ShieldConfig | None = None,
    *,
    shield: Shield | None = None,
    install_hooks: bool = True,
    kind: Literal["wsgi", "asgi"] | None = None,
) -> Any:
    """Wrap ``app`` with the guard; the hooks are installed first unless ``install_hooks`` is False.

    ``kind`` forces the interface when detection cannot tell (an ASGI app built without ``async def``).
    """
    if install_hooks and not installed():
        install()
    guard = shield or Shield(config)
    if kind == "asgi" or (kind is None and is_asgi(app)):
        return ShieldASGI(app, guard)
    return ShieldWSGI(app, guard)


__all__ = ["is_asgi", "protect"]
