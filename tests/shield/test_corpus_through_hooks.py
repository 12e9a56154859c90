"""The RASP corpora end to end through the installed hooks: every attack blocked, every look-alike runs.

Shell is exercised at the decision level only (tests/shield/test_rasp_shell.py): running the
attack corpus through a real shell would execute it if a hook ever failed.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from soryoku.shield import ShieldBlockedError, install, request_scope, uninstall
from soryoku.shield.context import RequestContext

Corpus = Callable[[str], dict[str, Any]]
MakeContext = Callable[..., RequestContext]


def _blocked(action: Callable[[], object], ctx: RequestContext) -> bool:
    with request_scope(ctx):
        try:
            action()
        except ShieldBlockedError:
            return True
        except (sqlite3.Error, OSError):
            return ctx.blocked is not None
    return ctx.blocked is not None


@pytest.fixture
def users_db(hooks: object) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT, pw TEXT, email TEXT, score REAL)")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'alice', 'a', 'alice@example.com', 4.5)")
    try:
        yield conn
    finally:
        conn.close()


def test_sql_corpus_through_sqlite(
    users_db: sqlite3.Connection, load_corpus: Corpus, make_context: MakeContext
) -> None:
    corpus = load_corpus("sqli")
    missed = [
        c["input"]
        for c in corpus["attacks"]
        if not _blocked(
            lambda c=c: users_db.executescript(c["template"].replace("{}", c["input"])),
            make_context(c["input"]),
        )
    ]
    assert missed == []
    for case in corpus["legitimate"]:
        with request_scope(make_context(case["input"])) as ctx:
            users_db.execute(case["template"].replace("{}", case["input"])).fetchall()
        assert ctx.events == [], case
    for value in corpus["escaped"]["inputs"]:
        with request_scope(make_context(value)) as ctx:
            users_db.execute("SELECT id FROM users WHERE name = ?", (value,)).fetchall()
            users_db.execute(
                "SELECT id FROM users WHERE name = '" + value.replace("'", "''") + "'"
            ).fetchall()
        assert ctx.events == [], value


def test_path_corpus_through_open(hooks: object, load_corpus: Corpus, make_context: MakeContext) -> None:
    corpus = load_corpus("path")
    missed = [
        c["input"]
        for c in corpus["attacks"]
        if not _blocked(
            lambda c=c: Path(c["template"].replace("{}", c["input"])).read_bytes(), make_context(c["input"])
        )
    ]
    assert missed == []
    for case in corpus["legitimate"]:
        with request_scope(make_context(case["input"])) as ctx, pytest.raises(FileNotFoundError):
            open(case["template"].replace("{}", case["input"]), "rb")  # noqa: PTH123, SIM115
        assert ctx.events == [], case


@pytest.fixture
def table_resolver(load_corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    corpus = load_corpus("ssrf")
    table = {c["host"]: c["addresses"] for c in corpus["attacks"] + corpus["legitimate"]}

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port or 0))
            for a in table[str(host)]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    install()
    yield
    uninstall()


def test_ssrf_corpus_through_getaddrinfo(
    table_resolver: None, load_corpus: Corpus, make_context: MakeContext
) -> None:
    corpus = load_corpus("ssrf")
    missed = [
        c["input"]
        for c in corpus["attacks"]
        if not _blocked(lambda c=c: socket.getaddrinfo(c["host"], 80), make_context(c["input"]))
    ]
    assert missed == []
    for case in corpus["legitimate"]:
        with request_scope(make_context(case["input"])) as ctx:
            socket.getaddrinfo(case["host"], 443)
        assert ctx.events == [], case


def test_template_corpus_through_jinja2(
    hooks: object, load_corpus: Corpus, make_context: MakeContext
) -> None:
    jinja2 = pytest.importorskip("jinja2")
    corpus = load_corpus("template")
    missed = [
        c["input"]
        for c in corpus["attacks"]
        if not _blocked(
            lambda c=c: jinja2.Template(c["template"].format(c["input"])), make_context(c["input"])
        )
    ]
    assert missed == []
    for case in corpus["legitimate"]:
        # the unclosed-comment look-alike does not compile; it must not be blocked either
        with (
            request_scope(make_context(case["input"])) as ctx,
            contextlib.suppress(jinja2.TemplateSyntaxError),
        ):
            jinja2.Template(case["template"].format(case["input"]))
        assert ctx.events == [], case


PG_SCHEMA_TABLES = (
    "CREATE TABLE users (id int, name text, pw text, email text, score real)",
    "CREATE TABLE notes (body text)",
    "INSERT INTO users VALUES (1, 'alice', 'a', 'alice@example.com', 4.5)",
)


class _Postgres:
    """One PostgreSQL driver's way to run a statement (raw and bound) in a throw-away schema."""

    def __init__(self, driver: str, schema: str) -> None:
        self.driver = driver
        self.errors: tuple[type[BaseException], ...]
        if driver == "psycopg2":
            import psycopg2

            self.conn: Any = psycopg2.connect(
                "host=127.0.0.1 dbname=test user=postgres connect_timeout=2",
                options=f"-c search_path={schema}",
            )
            self.conn.autocommit = True
            self.errors = (psycopg2.Error,)
        else:
            import asyncio

            import asyncpg

            self.loop = asyncio.new_event_loop()
            self.conn = self.loop.run_until_complete(
                asyncpg.connect(
                    "postgresql://postgres@127.0.0.1:5432/test",
                    timeout=2,
                    server_settings={"search_path": schema},
                )
            )
            self.errors = (asyncpg.PostgresError,)

    def run(self, sql: str, value: str | None = None) -> Any:
        if self.driver == "psycopg2":
            with self.conn.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), (value,) if value is not None else None)
                return cur.description and cur.fetchall()
        args = (value,) if value is not None else ()
        return self.loop.run_until_complete(self.conn.fetch(sql.replace("?", "$1"), *args))

    def close(self) -> None:
        if self.driver == "psycopg2":
            self.conn.close()
        else:
            self.loop.run_until_complete(self.conn.close())
            self.loop.close()


@pytest.fixture(params=["psycopg2", "asyncpg"])
def postgres(request: pytest.FixtureRequest) -> Iterator[_Postgres]:
    """A connection of each hooked PostgreSQL driver, opened after install, in a schema of its own."""
    import uuid

    pytest.importorskip(request.param, reason=f"{request.param} is not installed (dev extra)")
    schema = f"shield_corpus_{uuid.uuid4().hex[:8]}"
    try:
        admin = _Postgres(request.param, "public")
    except (OSError, *_connect_errors(request.param)) as error:
        pytest.skip(f"local PostgreSQL not reachable (postgres@127.0.0.1:5432/test): {error}")
    admin.run(f"CREATE SCHEMA {schema}")
    install()
    conn = _Postgres(request.param, schema)
    for statement in PG_SCHEMA_TABLES:
        conn.run(statement)
    try:
        yield conn
    finally:
        conn.close()
        uninstall()
        admin.run(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


def _connect_errors(driver: str) -> tuple[type[BaseException], ...]:
    import asyncio

    if driver == "psycopg2":
        import psycopg2

        return (psycopg2.OperationalError,)
    return (asyncio.TimeoutError,)


@pytest.mark.postgres
def test_sql_corpus_through_postgres_drivers(
    postgres: _Postgres, load_corpus: Corpus, make_context: MakeContext
) -> None:
    corpus = load_corpus("sqli")

    def blocked(sql: str, value: str) -> bool:
        with request_scope(ctx := make_context(value)):
            try:
                postgres.run(sql)
            except ShieldBlockedError:
                return True
            except postgres.errors:
                return ctx.blocked is not None
        return ctx.blocked is not None

    missed = [
        c["input"]
        for c in corpus["attacks"]
        if not blocked(c["template"].replace("{}", c["input"]), c["input"])
    ]
    assert missed == []
    assert [tuple(row) for row in postgres.run("SELECT count(*) FROM users")] == [(1,)]
    for case in corpus["legitimate"]:
        with request_scope(make_context(case["input"])) as ctx:
            postgres.run(case["template"].replace("{}", case["input"]))
        assert ctx.events == [], case
    for value in corpus["escaped"]["inputs"]:
        with request_scope(make_context(value)) as ctx:
            postgres.run("SELECT id FROM users WHERE name = ?", value)
            postgres.run("SELECT id FROM users WHERE name = '" + value.replace("'", "''") + "'")
        assert ctx.events == [], value
