"""SQL drivers written in Python: psycopg 3, PyMySQL, and SQLAlchemy's execution path.

Their cursor classes are Python classes, so patching the class method covers every connection,
including those opened before install. SQLAlchemy is hooked through its public
``before_cursor_execute`` event, which covers dialects whose driver is a C extension.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from soryoku.shield.hooks.checks import check_sql
from soryoku.shield.hooks.patching import Patcher


def statement_text(query: Any, cursor: Any) -> Any:
    """psycopg's ``sql.Composed`` objects become text the way the server will see them."""
    as_string = getattr(query, "as_string", None)
    if as_string is not None and not isinstance(query, str | bytes):
        try:
            return as_string(cursor)
        except (TypeError, ValueError):
            return None
    return query


def _wrap_sync(original: Callable[..., Any], sink: str, dialect: str) -> Callable[..., Any]:
    def execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        check_sql(statement_text(query, self), sink, dialect)
        return original(self, query, *args, **kwargs)

    execute.__wrapped__ = original  # type: ignore[attr-defined]
    return execute


def _wrap_async(original: Callable[..., Any], sink: str, dialect: str) -> Callable[..., Any]:
    async def execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        check_sql(statement_text(query, self), sink, dialect)
        return await original(self, query, *args, **kwargs)

    execute.__wrapped__ = original  # type: ignore[attr-defined]
    return execute


def hook_psycopg(patcher: Patcher) -> Callable[[ModuleType], None]:
    """A post-import callback hooking psycopg 3's sync and async cursors."""

    def hook(module: ModuleType) -> None:
        for name in ("execute", "executemany"):
            patcher.replace(
                module.Cursor, name, _wrap_sync(getattr(module.Cursor, name), "psycopg", "postgres")
            )
            patcher.replace(
                module.AsyncCursor,
                name,
                _wrap_async(getattr(module.AsyncCursor, name), "psycopg", "postgres"),
            )

    return hook


def hook_pymysql(patcher: Patcher) -> Callable[[ModuleType], None]:
    """A post-import callback hooking PyMySQL's base cursor."""

    def hook(module: ModuleType) -> None:
        cursor = module.Cursor
        for name in ("execute", "executemany"):
            patcher.replace(cursor, name, _wrap_sync(getattr(cursor, name), "pymysql", "mysql"))

    return hook


def hook_sqlalchemy(patcher: Patcher, removers: list[Callable[[], None]]) -> Callable[[ModuleType], None]:
    """A post-import callback listening to ``before_cursor_execute`` on every Engine."""

    def hook(module: ModuleType) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        def before_cursor_execute(
            conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
        ) -> None:
            check_sql(statement, "sqlalchemy", _sqlglot_dialect(conn.dialect.name))

        event.listen(Engine, "before_cursor_execute", before_cursor_execute)
        removers.append(lambda: event.remove(Engine, "before_cursor_execute", before_cursor_execute))

    return hook


def _sqlglot_dialect(name: str) -> str | None:
    return {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}.get(name)


__all__ = ["hook_psycopg", "hook_pymysql", "hook_sqlalchemy"]
