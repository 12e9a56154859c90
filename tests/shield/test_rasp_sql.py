"""SQL injection at the sinks: the corpus, sqlite3 (new and pre-existing connections), SQLAlchemy, psycopg."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soryoku.shield import ShieldBlockedError, request_scope
from soryoku.shield.context import RequestContext
from soryoku.shield.rasp.sql import changes_sql_structure

Corpus = Callable[[str], dict[str, Any]]
MakeContext = Callable[..., RequestContext]


def _cases(load: Corpus, kind: str) -> list[tuple[str, str]]:
    return [(c["template"].replace("{}", c["input"]), c["input"]) for c in load("sqli")[kind]]


@pytest.mark.parametrize("dialect", [None, "sqlite", "postgres", "mysql"])
def test_every_attack_in_the_corpus_changes_the_structure(load_corpus: Corpus, dialect: str | None) -> None:
    missed = [
        sql for sql, value in _cases(load_corpus, "attacks") if not changes_sql_structure(sql, value, dialect)
    ]
    assert missed == []


@pytest.mark.parametrize("dialect", [None, "sqlite", "postgres", "mysql"])
def test_no_legitimate_input_is_flagged(load_corpus: Corpus, dialect: str | None) -> None:
    flagged = [
        sql for sql, value in _cases(load_corpus, "legitimate") if changes_sql_structure(sql, value, dialect)
    ]
    assert flagged == []


def test_escaped_quotes_are_not_flagged(load_corpus: Corpus) -> None:
    for value in load_corpus("sqli")["escaped"]["inputs"]:
        escaped = value.replace("'", "''")
        assert not changes_sql_structure(f"SELECT * FROM users WHERE name = '{escaped}'", value)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE users (id INTEGER, name TEXT, pw TEXT)")
        conn.executemany("INSERT INTO users VALUES (?, ?, ?)", [(1, "alice", "a"), (2, "O'Brien", "b")])
    conn.close()
    return path


def _find(conn: sqlite3.Connection, name: str) -> list[Any]:
    return conn.execute(f"SELECT id FROM users WHERE name = '{name}'").fetchall()


def test_sqlite_connection_opened_after_install_blocks(
    hooks: object, db: Path, make_context: MakeContext
) -> None:
    conn = sqlite3.connect(db)
    try:
        with request_scope(make_context("x' OR '1'='1")) as ctx, pytest.raises(ShieldBlockedError):
            _find(conn, "x' OR '1'='1")
        assert ctx.blocked is not None
        assert ctx.blocked.label == "soryoku:shield:sqli:token_structure"
        with request_scope(make_context("x' OR '1'='1")), pytest.raises(ShieldBlockedError):
            conn.cursor().execute("SELECT id FROM users WHERE name = 'x' OR '1'='1'")
        with request_scope(make_context("1; DELETE FROM users")), pytest.raises(ShieldBlockedError):
            conn.executescript("SELECT id FROM users WHERE id = 1; DELETE FROM users")
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (2,)
    finally:
        conn.close()


def test_sqlite_legitimate_traffic_passes(hooks: object, db: Path, make_context: MakeContext) -> None:
    conn = sqlite3.connect(db)
    try:
        with request_scope(make_context("O'Brien", "alice")) as ctx:
            assert conn.execute("SELECT id FROM users WHERE name = ?", ("O'Brien",)).fetchall() == [(2,)]
            assert _find(conn, "alice") == [(1,)]
            assert conn.execute("SELECT id FROM users WHERE name = 'O''Brien'").fetchall() == [(2,)]
        assert ctx.events == []
    finally:
        conn.close()


def test_sqlite_connection_opened_before_install_is_guarded(db: Path, make_context: MakeContext) -> None:
    from soryoku.shield import install

    conn = sqlite3.connect(db, check_same_thread=False)
    try:
        install()
        with request_scope(make_context("x' OR '1'='1")) as ctx, pytest.raises(sqlite3.OperationalError):
            _find(conn, "x' OR '1'='1")
        assert ctx.blocked is not None
        with request_scope(make_context("alice")) as ok:
            assert _find(conn, "alice") == [(1,)]
        assert ok.events == []
    finally:
        conn.close()


def test_custom_connection_factory_is_kept(hooks: object, make_context: MakeContext) -> None:
    class AppConnection(sqlite3.Connection):
        marker = True

    class AppCursor(sqlite3.Cursor):
        marker = True

    conn = sqlite3.connect(":memory:", factory=AppConnection)
    try:
        assert isinstance(conn, AppConnection)
        with request_scope(make_context("1 OR 1=1")), pytest.raises(ShieldBlockedError):
            conn.execute("SELECT 1 WHERE 1 = 1 OR 1=1")
        cursor = conn.cursor(AppCursor)
        assert isinstance(cursor, AppCursor)
        with request_scope(make_context("1 OR 1=1")), pytest.raises(ShieldBlockedError):
            cursor.execute("SELECT 1 WHERE 1 = 1 OR 1=1")
    finally:
        conn.close()


def test_monitor_mode_records_but_runs(hooks: object, db: Path, make_context: MakeContext) -> None:
    conn = sqlite3.connect(db)
    try:
        with request_scope(make_context("x' OR '1'='1", mode="monitor")) as ctx:
            assert len(_find(conn, "x' OR '1'='1")) == 2
        assert ctx.blocked is None
        assert [e.action for e in ctx.events] == ["monitor"]
    finally:
        conn.close()


def test_no_request_context_means_no_check(hooks: object) -> None:
    conn = sqlite3.connect(":memory:")
    try:
        assert conn.execute("SELECT 1 WHERE 1=1 OR 1=1").fetchall() == [(1,)]
    finally:
        conn.close()


def test_uninstall_restores_sqlite_connect() -> None:
    from soryoku.shield import install, uninstall

    original = sqlite3.connect
    install()
    assert sqlite3.connect is not original
    uninstall()
    assert sqlite3.connect is original
    conn = sqlite3.connect(":memory:")
    assert type(conn) is sqlite3.Connection
    conn.close()


def test_sqlalchemy_execution_path(hooks: object, db: Path, make_context: MakeContext) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    engine = sqlalchemy.create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            with request_scope(make_context("1 OR 1=1")), pytest.raises(ShieldBlockedError):
                conn.exec_driver_sql("SELECT id FROM users WHERE id = 1 OR 1=1")
            with request_scope(make_context("O'Brien")) as ctx:
                rows = conn.execute(sqlalchemy.text("SELECT id FROM users WHERE name = :n"), {"n": "O'Brien"})
                assert rows.fetchall() == [(2,)]
            assert ctx.events == []
    finally:
        engine.dispose()


PG_DSN = "host=127.0.0.1 dbname=postgres user=postgres connect_timeout=2"


@pytest.fixture
def pg() -> Iterator[Any]:
    psycopg = pytest.importorskip("psycopg")
    try:
        conn = psycopg.connect(PG_DSN, autocommit=True)
    except psycopg.OperationalError as error:
        pytest.skip(f"local PostgreSQL not reachable ({PG_DSN}): {error}")
    try:
        yield conn
    finally:
        conn.close()


@pytest.mark.postgres
def test_psycopg_connection_opened_before_install_is_guarded(pg: Any, make_context: MakeContext) -> None:
    from soryoku.shield import install

    install()
    with request_scope(make_context("1 OR 1=1")), pytest.raises(ShieldBlockedError):
        pg.execute("SELECT 1 WHERE 1 = 1 OR 1=1")
    with request_scope(make_context("O'Brien")) as ctx:
        assert pg.execute("SELECT %s::text", ("O'Brien",)).fetchone() == ("O'Brien",)
        assert pg.cursor().execute("SELECT 'O''Brien'").fetchone() == ("O'Brien",)
    assert ctx.events == []


def test_input_that_is_also_the_statements_own_text_is_not_flagged() -> None:
    assert not changes_sql_structure("SELECT id, name FROM t WHERE q = 'id, name'", "id, name")
    assert changes_sql_structure("SELECT id, name FROM t WHERE q = 'x' OR 'a'='a'", "x' OR 'a'='a")


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_text_escaped_into_a_literal_is_not_flagged(value: str) -> None:
    statement = "SELECT name FROM users WHERE note = '" + value.replace("'", "''") + "' AND id = 1"
    assert not changes_sql_structure(statement, value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii", exclude_characters="'\\\x00"), min_size=1, max_size=30))
def test_breaking_out_of_a_literal_is_always_flagged(tail: str) -> None:
    value = "x' " + tail + " --"
    statement = "SELECT name FROM users WHERE note = '" + value + "' AND id = 1"
    assert changes_sql_structure(statement, value)


@pytest.mark.postgres
def test_psycopg_async_cursor_is_guarded(pg: Any, make_context: MakeContext) -> None:
    import asyncio

    import psycopg

    from soryoku.shield import install

    install()

    async def run() -> None:
        async with await psycopg.AsyncConnection.connect(PG_DSN, autocommit=True) as conn:
            with request_scope(make_context("1 OR 1=1")):
                with pytest.raises(ShieldBlockedError):
                    await conn.execute("SELECT 1 WHERE 1 = 1 OR 1=1")
                assert await (await conn.execute("SELECT %s::int", (1,))).fetchone() == (1,)

    asyncio.run(run())
