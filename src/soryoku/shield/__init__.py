"""soryoku shield: an in-app guard — RASP at the sinks, a request-level WAF, bot control, rate rules.

Light by design: importing it pulls in no web framework, database driver, AWS SDK or pydantic.
Typical use, as the first lines of an application::

    import soryoku.shield
    soryoku.shield.install()           # hook SQL, shell, file and network sinks
    app = soryoku.shield.protect(app)  # WSGI or ASGI, detected

See docs/shield.md.
"""

from soryoku.shield.config import RateRule, RouteRule, ShieldConfig
from soryoku.shield.context import RequestContext, UserInput, current_request, request_scope
from soryoku.shield.engine import Shield
from soryoku.shield.events import ShieldBlockedError, ShieldEvent
from soryoku.shield.install import install, installed, uninstall
from soryoku.shield.protect import protect
from soryoku.shield.request import RequestView

__all__ = [
    "RateRule",
    "RequestContext",
    "RequestView",
    "RouteRule",
    "Shield",
    "ShieldBlockedError",
    "ShieldConfig",
    "ShieldEvent",
    "UserInput",
    "current_request",
    "install",
    "installed",
    "protect",
    "request_scope",
    "uninstall",
]
