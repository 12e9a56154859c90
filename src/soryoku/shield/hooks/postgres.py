"""PostgreSQL drivers whose hot path is not a patchable Python class: psycopg2 and asyncpg.

**psycopg2.** ``connection`` and ``cursor`` are C types: their methods cannot be replaced. Its
documented extension points are subclassing them and passing the subclasses as factories
(``connect(connection_factory=…)``, the ``cursor_factory`` argument and attribute) — how
``psycopg2.extras`` builds ``DictCursor`` and ``LoggingConnection``. So the hook:

- replaces ``psycopg2.connect`` by one that passes a checking subclass of the caller's
  ``connection_factory`` (``extensions.connection`` when none). The subclass comes *after* the
  caller's class in the MRO, so the caller's ``cursor()`` runs first (``DictConnection`` sets its
  default factory) and the guard then swaps the chosen ``cursor_factory`` — explicit, the connection's
  attribute, or the default — for a checking subclass of it, again placed after it: the guard checks
  the statement the caller's cursor finally hands to libpq (``execute``, ``executemany``,
  ``callproc``, ``copy_expert``; ``copy_from``/``copy_to`` quote their identifiers themselves);
- gives connections that already exist when the hook runs (psycopg2 imported before ``install()``)
  a checking ``cursor_factory`` attribute, which covers ``conn.cursor()`` without an explicit factory;
- leaves a factory that is not a class (a function) as the caller made it.

Every psycopg2 path that reaches a server goes through ``psycopg2.connect`` (pools, Django,
SQLAlchemy's dialect), so every connection opened after ``install()`` — at import time included — is
covered. Uninstall restores ``connect`` and the attributes, and switches the checks of classes already
handed out off.

**asyncpg.** ``Connection`` is a Python class: its SQL-taking methods (``execute``, ``executemany``,
``fetch``, ``fetchrow``, ``fetchval``, ``fetchmany``, ``prepare``, ``cursor``, ``copy_from_query``)
are patched on the class, which covers every connection, pools' proxies (they look the method up on
the connection's class per call) and connections opened before install. The ``copy_*_table`` methods
quote their identifiers and are not sinks.
"""

from __future__ import annotations

import functools
import gc
import weakref
from collections.abc import Callable
from types import ModuleType
from typing import Any

from soryoku.shield.hooks.checks import check_sql
from soryoku.shield.hooks.dbapi import statement_text
from soryoku.shield.hooks.patching import Patcher

_PSYCOPG2 = "psycopg2"
_ASYNCPG = "asyncpg"
_CURSOR_ARGS = ("name", "cursor_factory", "withhold", "scrollable")
ASYNCPG_METHODS = (
    "execute",
    "executemany",
    "fetch",
    "fetchrow",
    "fetchval",
    "fetchmany",
    "prepare",
    "cursor",
    "copy_from_query",
)


class _Psycopg2State:
    """psycopg2's base types, the checking classes made for them, and whether they check."""

    def __init__(self) -> None:
        self.active = False  # False after uninstall: classes already handed out stop checking
        self.cursor_type: type[Any] = object
        self.connection_type: type[Any] = object
        self.cursor_base: type[Any] | None = None
        self.connection_base: type[Any] | None = None
        self.made: dict[type[Any], type[Any]] = {}


_state = _Psycopg2State()


def _check(cursor: Any, query: Any) -> None:
    if _state.active:
        check_sql(statement_text(query, cursor), _PSYCOPG2, "postgres")


class _CursorChecks:
    """Methods of the checking cursor base (a subclass of ``psycopg2.extensions.cursor``)."""

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        _check(self, query)
        return super().execute(query, *args, **kwargs)  # type: ignore[misc]

    def executemany(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        _check(self, query)
        return super().executemany(query, *args, **kwargs)  # type: ignore[misc]

    def callproc(self, procname: Any, *args: Any, **kwargs: Any) -> Any:
        # libpq receives SELECT * FROM procname(<escaped arguments>): only the name can carry input.
        if isinstance(procname, str):
            _check(self, f"SELECT * FROM {procname}()")
        return super().callproc(procname, *args, **kwargs)  # type: ignore[misc]

    def copy_expert(self, sql: Any, *args: Any, **kwargs: Any) -> Any:
        _check(self, sql)
        return super().copy_expert(sql, *args, **kwargs)  # type: ignore[misc]


class _ConnectionChecks:
    """Methods of the checking connection base: every cursor it hands out is a checking one."""

    cursor_factory: Any

    def cursor(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.update(zip(_CURSOR_ARGS, args, strict=False))
        if _state.active:
            kwargs["cursor_factory"] = _checking_cursor(kwargs.get("cursor_factory") or self.cursor_factory)
        return super().cursor(**kwargs)  # type: ignore[misc]


def _checking(factory: Any, kind: type[Any], base: type[Any] | None) -> Any:
    """A subclass of ``factory`` (a subclass of ``kind``) with ``base``'s checks after it in the MRO.

    ``None`` means psycopg2's default class; a factory that is not a class (a function) is returned
    as the application made it.
    """
    assert base is not None
    if factory is None:
        return base
    if not isinstance(factory, type) or not issubclass(factory, kind) or issubclass(factory, base):
        return factory
    made = _state.made.get(factory)
    if made is None:
        made = _state.made[factory] = type(f"Shield{factory.__name__}", (factory, base), {})
    return made


def _checking_cursor(factory: Any) -> Any:
    return _checking(factory, _state.cursor_type, _state.cursor_base)


def _make_connect(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def connect(
        dsn: Any = None, connection_factory: Any = None, cursor_factory: Any = None, **kwargs: Any
    ) -> Any:
        checking = _checking(connection_factory, _state.connection_type, _state.connection_base)
        conn = original(dsn, connection_factory=checking, cursor_factory=cursor_factory, **kwargs)
        if checking is connection_factory:  # a factory function: at least the default cursors check
            conn.cursor_factory = _checking_cursor(conn.cursor_factory)
        return conn

    return connect


def _existing_connections() -> list[tuple[weakref.ref[Any], Any]]:
    """Connections opened before the hook, each with its cursor factory (weakly held)."""
    assert _state.connection_base is not None
    found = []
    for obj in gc.get_objects():
        # type(), not isinstance(): gc also yields dead weak proxies, and isinstance() on one raises.
        kind = type(obj)
        if issubclass(kind, _state.connection_type) and not issubclass(kind, _state.connection_base):
            found.append((weakref.ref(obj), obj.cursor_factory))
    return found


def hook_psycopg2(patcher: Patcher, removers: list[Callable[[], None]]) -> Callable[[ModuleType], None]:
    """A post-import callback for ``psycopg2``: checking factories, and existing connections covered."""

    def hook(module: ModuleType) -> None:
        extensions = module.extensions
        if _state.cursor_base is None:
            _state.cursor_type, _state.connection_type = extensions.cursor, extensions.connection
            _state.cursor_base = type("ShieldCursor", (_CursorChecks, extensions.cursor), {})
            _state.connection_base = type("ShieldConnection", (_ConnectionChecks, extensions.connection), {})
        _state.active = True
        patcher.replace(module, "connect", _make_connect(module.connect))
        existing = _existing_connections()
        for ref, factory in existing:
            conn = ref()
            if conn is not None:
                conn.cursor_factory = _checking_cursor(factory)

        def remove() -> None:
            _state.active = False
            for ref, factory in existing:
                conn = ref()
                if conn is not None and conn.cursor_factory is _checking_cursor(factory):
                    conn.cursor_factory = factory

        removers.append(remove)

    return hook


def _statement(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The SQL of an asyncpg call, positional or by keyword (``executemany`` names it ``command``)."""
    if args:
        return args[0]
    return kwargs.get("query", kwargs.get("command"))


def _wrap_sync(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        check_sql(_statement(args, kwargs), _ASYNCPG, "postgres")
        return original(self, *args, **kwargs)

    return method


def _wrap_async(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        check_sql(_statement(args, kwargs), _ASYNCPG, "postgres")
        return await original(self, *args, **kwargs)

    return method


def hook_asyncpg(patcher: Patcher) -> Callable[[ModuleType], None]:
    """A post-import callback for ``asyncpg.connection``: its SQL-taking ``Connection`` methods."""

    def hook(module: ModuleType) -> None:
        import inspect

        connection = module.Connection
        for name in ASYNCPG_METHODS:
            original = getattr(connection, name)
            wrap = _wrap_async if inspect.iscoroutinefunction(original) else _wrap_sync
            patcher.replace(connection, name, wrap(original))

    return hook


__all__ = ["ASYNCPG_METHODS", "hook_asyncpg", "hook_psycopg2"]
