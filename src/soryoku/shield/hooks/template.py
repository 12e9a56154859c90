"""Template engines: Jinja2 templates compiled from strings (``Environment.from_string``, ``Template(…)``).

Templates loaded from files never contain request input; a template *built from a string* that
contains it is where server-side template injection happens.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from soryoku.shield.hooks.checks import check_template
from soryoku.shield.hooks.patching import Patcher


def hook_jinja2(patcher: Patcher) -> Callable[[ModuleType], None]:
    """A post-import callback hooking ``jinja2.Environment.from_string``."""

    def hook(module: ModuleType) -> None:
        from jinja2.exceptions import TemplateSyntaxError

        environment: Any = module.Environment
        original = environment.from_string
        errors = (TemplateSyntaxError,)

        def from_string(self: Any, source: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(source, str):
                check_template(source, self.lex, "jinja2", errors)
            return original(self, source, *args, **kwargs)

        from_string.__wrapped__ = original  # type: ignore[attr-defined]
        patcher.replace(environment, "from_string", from_string)

    return hook


__all__ = ["hook_jinja2"]
