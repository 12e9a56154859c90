"""Fixtures of the hub tests: stores on SQLite files and on the local PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _postgres_reachable() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'soryoku[postgres]')"
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {str(exc).strip().splitlines()[0]}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL of the local PostgreSQL whose search_path is a fresh schema, dropped afterwards."""
    reason = _postgres_reachable()
    if reason:
        pytest.skip(reason)
    import psycopg

    name = f"soryoku_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store location: a SQLite file, then the local PostgreSQL (skipped when absent)."""
    if request.param == "sqlite":
        return str(tmp_path / "findings.db")
    url: str = request.getfixturevalue("postgres_url")
    return url
