"""Where the findings store lives and how to connect to it: SQLite paths, PostgreSQL URLs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from soryoku.core.errors import StoreError

DB_ENV = "SORYOKU_DB"
DEFAULT_DB_NAME = "findings.db"
IMMEDIATE_KEY = "soryoku_immediate"


def default_db_path() -> Path:
    """The per-user store: ``findings.db`` in platformdirs' ``user_data_dir("soryoku")``."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("soryoku")) / DEFAULT_DB_NAME


def resolve_url(db: str | None) -> tuple[URL, str]:
    """The SQLAlchemy URL for ``db`` and a display name without password.

    None or empty means ``$SORYOKU_DB``, else the per-user file (its directory is created);
    ``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver.
    """
    if db is None or not db.strip():
        db = os.environ.get(DB_ENV, "").strip() or None
    if db is None:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return URL.create("sqlite", database=str(path)), str(path)
    if "://" not in db:
        return URL.create("sqlite", database=db), db
    try:
        url = make_url(db)
    except ArgumentError as exc:
        raise StoreError(f"findings store {db!r}: not a database URL ({exc})") from exc
    display = url.render_as_string(hide_password=True)
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise StoreError(f"findings store {display!r}: expected a SQLite path or a postgresql:// URL")
    return url, display


def check_sqlite_path(url: URL, display: str) -> None:
    """StoreError unless ``url``'s file can be created or opened (its directory exists)."""
    database = url.database or ""
    if database in {"", ":memory:"}:
        return
    path = Path(database)
    if path.is_dir():
        raise StoreError(f"findings store {display!r}: is a directory, expected a SQLite file")
    if not path.parent.is_dir():
        raise StoreError(f"findings store {display!r}: directory {str(path.parent)!r} does not exist")


def sqlite_engine(url: URL) -> Engine:
    """A SQLite engine whose transactions cover DDL and whose writers lock up front."""
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _own_transactions(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself so DDL (migrations) runs inside the transaction too.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Writers take the lock up front: concurrent recorders wait instead of failing mid-run.
        immediate = conn.connection.info.pop(IMMEDIATE_KEY, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def error_reason(exc: SQLAlchemyError) -> str:
    """The driver's own first line of an error (e.g. ``file is not a database``)."""
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def connect(db: str | None) -> tuple[Engine, str]:
    """An engine for store ``db`` (not yet connected) and its display name."""
    url, display = resolve_url(db)
    if url.get_backend_name() == "sqlite":
        check_sqlite_path(url, display)
        return sqlite_engine(url), display
    try:
        return create_engine(url, pool_pre_ping=True), display
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"findings store {display!r}: the PostgreSQL driver is missing (pip install 'soryoku[postgres]')"
        ) from exc


__all__ = ["DB_ENV", "IMMEDIATE_KEY", "connect", "default_db_path", "error_reason", "resolve_url"]
