"""The psycopg2 sink hook against the local PostgreSQL (127.0.0.1:5432, user postgres, database ``test``)."""

from __future__ import annotations

import io
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from soryoku.shield import ShieldBlockedError, ShieldConfig, install, protect, request_scope, uninstall
from soryoku.shield.context import RequestContext

MakeContext = Callable[..., RequestContext]
DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=2"
ATTACK = "x' OR '1'='1"

pytestmark = pytest.mark.postgres


@pytest.fixture
def psycopg2() -> Any:
    """The psycopg2 module, or a skip naming why PostgreSQL cannot be used."""
    module = pytest.importorskip("psycopg2", reason="psycopg2 is not installed (psycopg2-binary, dev extra)")
    try:
        module.connect(DSN).close()
    except module.OperationalError as error:
        pytest.skip(f"local PostgreSQL not reachable ({DSN}): {error}")
    return module


@pytest.fixture
def table(psycopg2: Any) -> Iterator[str]:
    """A fresh table of two people (alice, O'Brien), dropped afterwards; made before any hook."""
    name = f"shield_people_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(DSN)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {name} (id int, name text)")
        cur.executemany(f"INSERT INTO {name} VALUES (%s, %s)", [(1, "alice"), (2, "O'Brien")])
    try:
        yield name
    finally:
        uninstall()
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {name}")
        conn.close()


def _count(psycopg2: Any, table: str) -> int:
    conn = psycopg2.connect(DSN)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {table}")
            found: int = cur.fetchone()[0]
            return found
    finally:
        conn.close()


def test_connection_opened_after_install_blocks_every_sql_path(
    psycopg2: Any, table: str, make_context: MakeContext
) -> None:
    install()
    conn = psycopg2.connect(DSN)
    try:
        with (
            request_scope(make_context(ATTACK)) as ctx,
            conn.cursor() as cur,
            pytest.raises(ShieldBlockedError),
        ):
            cur.execute(f"SELECT id FROM {table} WHERE name = '{ATTACK}'")
        assert ctx.blocked is not None
        assert ctx.blocked.label == "soryoku:shield:sqli:token_structure"
        conn.rollback()
        drop = "1); DELETE FROM " + table + "; --"
        with request_scope(make_context(drop)), conn.cursor() as cur, pytest.raises(ShieldBlockedError):
            cur.executemany(f"INSERT INTO {table} VALUES ({drop}, %s)", [("eve",)])
        copy = f"{table} WHERE false) TO STDOUT; SELECT 1 --"
        with request_scope(make_context(copy)), conn.cursor() as cur, pytest.raises(ShieldBlockedError):
            cur.copy_expert(f"COPY (SELECT * FROM {copy}) TO STDOUT", io.StringIO())
        proc = "version() UNION SELECT current_user --"
        with request_scope(make_context(proc)), conn.cursor() as cur, pytest.raises(ShieldBlockedError):
            cur.callproc(proc)
    finally:
        conn.close()
    assert _count(psycopg2, table) == 2


def test_application_factories_are_kept_and_checked(
    psycopg2: Any, table: str, make_context: MakeContext
) -> None:
    import psycopg2.extras
    from psycopg2 import sql

    install()
    dict_conn = psycopg2.connect(DSN, connection_factory=psycopg2.extras.DictConnection)
    real_dict = psycopg2.connect(DSN, cursor_factory=psycopg2.extras.RealDictCursor)
    try:
        assert isinstance(dict_conn, psycopg2.extras.DictConnection)
        cursors = [
            dict_conn.cursor(),  # DictConnection's own default: DictCursor
            real_dict.cursor(),  # the connect() cursor_factory
            real_dict.cursor(cursor_factory=psycopg2.extras.NamedTupleCursor),  # explicit
            real_dict.cursor("named_server_side"),  # a named (server-side) cursor
        ]
        kinds = (
            psycopg2.extras.DictCursor,
            psycopg2.extras.RealDictCursor,
            psycopg2.extras.NamedTupleCursor,
            psycopg2.extras.RealDictCursor,
        )
        for cursor, kind in zip(cursors, kinds, strict=True):
            assert isinstance(cursor, kind)
            with (
                request_scope(make_context("0 UNION SELECT 1, current_user")),
                pytest.raises(ShieldBlockedError),
            ):
                cursor.execute(f"SELECT id, name FROM {table} WHERE id = 0 UNION SELECT 1, current_user")
        real_dict.rollback()
        composed = sql.SQL("SELECT id FROM {} WHERE name = '" + ATTACK + "'").format(sql.Identifier(table))
        with (
            request_scope(make_context(ATTACK)),
            real_dict.cursor() as cur,
            pytest.raises(ShieldBlockedError),
        ):
            cur.execute(composed)
        real_dict.rollback()
        with (
            request_scope(make_context("1 OR 1=1")),
            real_dict.cursor() as cur,
            pytest.raises(ShieldBlockedError),
        ):
            psycopg2.extras.execute_values(
                cur, f"SELECT * FROM {table} WHERE id = 1 OR 1=1 AND id IN %s", [(1,)]
            )
    finally:
        dict_conn.close()
        real_dict.close()


def test_look_alike_legitimate_input_passes(psycopg2: Any, table: str, make_context: MakeContext) -> None:
    from psycopg2 import sql
    from psycopg2.extensions import adapt

    install()
    conn = psycopg2.connect(DSN)
    try:
        inputs = ("O'Brien", "alice -- admin", "1 OR 1", "Robert'); DROP TABLE students;--")
        with request_scope(make_context(*inputs)) as ctx, conn.cursor() as cur:
            cur.execute(f"SELECT id FROM {table} WHERE name = %s", ("O'Brien",))
            assert cur.fetchall() == [(2,)]
            quoted = adapt("O'Brien").getquoted().decode()  # 'O''Brien'
            cur.execute(f"SELECT id FROM {table} WHERE name = {quoted}")
            assert cur.fetchall() == [(2,)]
            cur.execute(
                sql.SQL("SELECT id FROM {} WHERE name = {}").format(
                    sql.Identifier(table), sql.Literal("O'Brien")
                )
            )
            assert cur.fetchall() == [(2,)]
            cur.execute(f"SELECT count(*) FROM {table} WHERE name <> 'alice -- admin' AND name <> '1 OR 1'")
            assert cur.fetchone() == (2,)
            cur.executemany(f"SELECT id FROM {table} WHERE name = %s", [(v,) for v in inputs])
            cur.callproc("upper", ("O'Brien",))
            assert cur.fetchone() == ("O'BRIEN",)
            out = io.StringIO()
            cur.copy_expert(f"COPY (SELECT name FROM {table} ORDER BY id) TO STDOUT", out)
            assert out.getvalue() == "alice\nO'Brien\n"
        assert ctx.events == []
    finally:
        conn.close()


def test_monitor_mode_records_and_runs(psycopg2: Any, table: str, make_context: MakeContext) -> None:
    install()
    conn = psycopg2.connect(DSN)
    try:
        with request_scope(make_context(ATTACK, mode="monitor")) as ctx, conn.cursor() as cur:
            cur.execute(f"SELECT id FROM {table} WHERE name = '{ATTACK}' ORDER BY id")
            assert cur.fetchall() == [(1,), (2,)]
        assert ctx.blocked is None
        assert [(e.rule_id, e.action) for e in ctx.events] == [("sqli:token_structure", "monitor")]
    finally:
        conn.close()


def test_connection_opened_before_install_is_guarded_and_restored(
    psycopg2: Any, table: str, make_context: MakeContext
) -> None:
    import psycopg2.extras

    plain = psycopg2.connect(DSN)
    named = psycopg2.connect(DSN, cursor_factory=psycopg2.extras.NamedTupleCursor)
    try:
        install()
        for conn in (plain, named):
            with request_scope(make_context(ATTACK)), conn.cursor() as cur, pytest.raises(ShieldBlockedError):
                cur.execute(f"SELECT id FROM {table} WHERE name = '{ATTACK}'")
            conn.rollback()
        uninstall()
        assert plain.cursor_factory is None
        assert named.cursor_factory is psycopg2.extras.NamedTupleCursor
        with request_scope(make_context(ATTACK)), plain.cursor() as cur:
            cur.execute(f"SELECT id FROM {table} WHERE name = '{ATTACK}'")
            assert len(cur.fetchall()) == 2
    finally:
        plain.close()
        named.close()


def test_uninstall_restores_connect_and_silences_connections_already_made(
    psycopg2: Any, table: str, make_context: MakeContext
) -> None:
    original = psycopg2.connect
    install()
    assert psycopg2.connect is not original
    conn = psycopg2.connect(DSN)
    try:
        uninstall()
        assert psycopg2.connect is original
        with request_scope(make_context(ATTACK)) as ctx, conn.cursor() as cur:
            cur.execute(f"SELECT id FROM {table} WHERE name = '{ATTACK}'")
            assert len(cur.fetchall()) == 2
        assert ctx.events == []
    finally:
        conn.close()
    fresh = psycopg2.connect(DSN)
    assert type(fresh) is psycopg2.extensions.connection
    fresh.close()


def _app(psycopg2: Any, table: str) -> Callable[..., Iterable[bytes]]:
    """A vulnerable WSGI app with a module-level connection, the way many small apps hold one."""
    conn = psycopg2.connect(DSN)
    conn.autocommit = True

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        name = parse_qs(environ.get("QUERY_STRING", ""))["name"][0]
        try:
            with conn.cursor() as cur:
                cur.execute(f"SELECT id FROM {table} WHERE name = '{name}'")
                body = repr(cur.fetchall()).encode()
        except Exception as error:  # what frameworks do: the exception becomes a 500 page
            start_response("500 Internal Server Error", [("content-type", "text/plain")])
            return [type(error).__name__.encode()]
        start_response("200 OK", [("content-type", "text/plain")])
        return [body]

    app.conn = conn  # type: ignore[attr-defined]
    return app


def test_protect_answers_403_for_an_injection_through_psycopg2(psycopg2: Any, table: str) -> None:
    werkzeug_test = pytest.importorskip("werkzeug.test", reason="werkzeug is not installed (moto[server])")
    install()  # first line of the app; its connection is opened afterwards, before protect()
    app = _app(psycopg2, table)
    try:
        client = werkzeug_test.Client(protect(app, ShieldConfig(mode="block")))
        attacked = client.get("/user", query_string={"name": ATTACK})
        assert (attacked.status_code, attacked.headers["x-soryoku-block"]) == (403, "sqli:token_structure")
        fine = client.get("/user", query_string={"name": "alice"})
        assert (fine.status_code, fine.data) == (200, b"[(1,)]")
    finally:
        app.conn.close()  # type: ignore[attr-defined]


LATE_IMPORT = """
import sys
import soryoku.shield
soryoku.shield.install()
assert "psycopg2" not in sys.modules
import psycopg2, psycopg2.extensions
from soryoku.shield import ShieldBlockedError, ShieldConfig, request_scope
from soryoku.shield.context import RequestContext, UserInput
conn = psycopg2.connect({dsn!r})  # at import time, as an application module would
ctx = RequestContext("GET", "/", "/", "198.51.100.1", (UserInput("query", "id", "1 OR 1=1"),),
                     ShieldConfig(mode="block"))
with request_scope(ctx):
    try:
        conn.cursor().execute("SELECT 1 WHERE 1 = 1 OR 1=1")
        blocked = False
    except ShieldBlockedError:
        blocked = True
soryoku.shield.uninstall()
print(blocked, hasattr(psycopg2.connect, "__wrapped__"))
"""


def test_psycopg2_imported_after_install_is_hooked(psycopg2: Any) -> None:
    out = subprocess.run(
        [sys.executable, "-c", LATE_IMPORT.format(dsn=DSN)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.split() == ["True", "False"]
