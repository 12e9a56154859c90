"""sqlite3: new connections get checking subclasses; connections that already exist get a trace hook.

``sqlite3.Connection`` and ``Cursor`` are C types whose methods cannot be patched. So ``connect``
is replaced by one that passes a ``factory`` subclass (checking before ``execute``), and connections
opened before :func:`install` (e.g. at import time) are found once with :mod:`gc` and given a trace
callback that checks each statement as it starts and calls ``interrupt()`` on an attack — SQLite
then aborts the statement with ``OperationalError: interrupted`` and the request is answered 403.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from soryoku.shield.events import ShieldBlockedError
from soryoku.shield.hooks.checks import check_sql
from soryoku.shield.hooks.patching import Patcher

_SINK = "sqlite3"
# Connections given a trace callback; held until uninstall (sqlite3 connections take no weak references,
# and those opened at import time live as long as the application anyway).
_traced: list[sqlite3.Connection] = []


class ShieldCursorMixin:
    """Checks every statement against the current request before the cursor runs it."""

    def execute(self, sql: str, /, *parameters: Any) -> Any:
        # Forward exactly what the caller passed: an application's cursor subclass (Django's) treats
        # "no parameters" differently from an empty tuple (it rewrites %s and %% only with them).
        check_sql(sql, _SINK, "sqlite")
        return super().execute(sql, *parameters)  # type: ignore[misc]

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Any:
        check_sql(sql, _SINK, "sqlite")
        return super().executemany(sql, seq_of_parameters)  # type: ignore[misc]

    def executescript(self, sql_script: str, /) -> Any:
        check_sql(sql_script, _SINK, "sqlite")
        return super().executescript(sql_script)  # type: ignore[misc]


class ShieldCursor(ShieldCursorMixin, sqlite3.Cursor):
    """The default checking cursor class."""


_cursor_subclasses: dict[type[Any], type[Any]] = {sqlite3.Cursor: ShieldCursor}


def _checking_cursor(factory: Any) -> Any:
    """A checking subclass of an application's own cursor class (made once per class)."""
    if not isinstance(factory, type) or not issubclass(factory, sqlite3.Cursor):
        return factory  # a callable factory returning cursors: left as the application made it
    if issubclass(factory, ShieldCursorMixin):
        return factory
    made = _cursor_subclasses.get(factory)
    if made is None:
        made = _cursor_subclasses[factory] = type(
            f"Shield{factory.__name__}", (ShieldCursorMixin, factory), {}
        )
    return made


class ShieldConnectionMixin:
    """Checks statements run through the connection's shortcuts and hands out checking cursors."""

    def cursor(self, factory: Any = ShieldCursor) -> Any:
        return super().cursor(_checking_cursor(factory))  # type: ignore[misc]

    def execute(self, sql: str, /, *parameters: Any) -> Any:
        return self.cursor().execute(sql, *parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        return self.cursor().executemany(sql, parameters)

    def executescript(self, sql_script: str, /) -> Any:
        return self.cursor().executescript(sql_script)


class ShieldConnection(ShieldConnectionMixin, sqlite3.Connection):
    """The default checking connection class."""


_subclasses: dict[type[Any], type[Any]] = {sqlite3.Connection: ShieldConnection}


def _checking_factory(factory: type[Any]) -> type[Any]:
    """A checking subclass of a caller's own connection factory (made once per factory)."""
    if issubclass(factory, ShieldConnectionMixin):
        return factory
    made = _subclasses.get(factory)
    if made is None:
        made = _subclasses[factory] = type(f"Shield{factory.__name__}", (ShieldConnectionMixin, factory), {})
    return made


def _make_connect(original: Callable[..., sqlite3.Connection]) -> Callable[..., sqlite3.Connection]:
    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs["factory"] = _checking_factory(kwargs.get("factory", sqlite3.Connection))
        return original(*args, **kwargs)

    connect.__wrapped__ = original  # type: ignore[attr-defined]
    connect.__doc__ = original.__doc__
    return connect


def _trace(connection: sqlite3.Connection) -> Callable[[str], None]:
    def trace(statement: str) -> None:
        try:
            check_sql(statement, _SINK, "sqlite")
        except ShieldBlockedError:
            connection.interrupt()

    return trace


def _existing_connections() -> list[sqlite3.Connection]:
    # type(), not isinstance(): gc also yields dead weak proxies, and isinstance() on one raises.
    return [
        obj
        for obj in gc.get_objects()
        if issubclass(type(obj), sqlite3.Connection) and not issubclass(type(obj), ShieldConnectionMixin)
    ]


def install_sqlite(patcher: Patcher) -> None:
    """Hook ``sqlite3.connect`` (both module spellings) and trace connections that already exist."""
    from sqlite3 import dbapi2

    patcher.replace(sqlite3, "connect", _make_connect(sqlite3.connect))
    patcher.replace(dbapi2, "connect", sqlite3.connect)
    for connection in _existing_connections():
        try:
            connection.set_trace_callback(_trace(connection))
        except sqlite3.ProgrammingError:  # closed, or owned by another thread: nothing to guard
            continue
        _traced.append(connection)


def uninstall_sqlite() -> None:
    """Remove the trace callbacks set on pre-existing connections."""
    for connection in _traced:
        try:
            connection.set_trace_callback(None)
        except sqlite3.ProgrammingError:
            continue
    _traced.clear()


__all__ = ["ShieldConnection", "ShieldCursor", "ShieldCursorMixin", "install_sqlite", "uninstall_sqlite"]
