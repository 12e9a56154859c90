"""The PyMySQL sink hook against the local MariaDB (127.0.0.1:3306, root, database ``test``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from soryoku.shield import ShieldBlockedError, install, request_scope
from soryoku.shield.context import RequestContext

MakeContext = Callable[..., RequestContext]
MYSQL = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": "", "database": "test"}


@pytest.fixture
def mysql() -> Iterator[tuple[Any, str]]:
    """A connection to the local MariaDB and a fresh table of two people, dropped afterwards."""
    pymysql = pytest.importorskip("pymysql", reason="PyMySQL is not installed (it is in the dev extra)")
    try:
        conn = pymysql.connect(**MYSQL, connect_timeout=2, autocommit=True)
    except pymysql.err.OperationalError as error:
        pytest.skip(f"local MariaDB/MySQL not reachable (root@127.0.0.1:3306/test): {error}")
    table = f"shield_people_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (id INT, name VARCHAR(64))")
        cur.executemany(f"INSERT INTO {table} VALUES (%s, %s)", [(1, "alice"), (2, "O'Brien")])
    try:
        yield conn, table
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        conn.close()


def test_pymysql_blocks_an_injection_on_a_connection_opened_before_install(
    mysql: tuple[Any, str], make_context: MakeContext
) -> None:
    conn, table = mysql
    install()
    attack = "x' OR '1'='1"
    with request_scope(make_context(attack)) as ctx, conn.cursor() as cur:
        with pytest.raises(ShieldBlockedError) as blocked:
            cur.execute(f"SELECT id FROM {table} WHERE name = '{attack}'")
        assert cur.rowcount in (-1, 0)
    assert blocked.value.event.rule_id == "sqli:token_structure"
    assert [e.rule_id for e in ctx.events] == ["sqli:token_structure"]
    with (
        request_scope(make_context("0 UNION SELECT user()")),
        conn.cursor() as cur,
        pytest.raises(ShieldBlockedError),
    ):
        cur.execute(f"SELECT name FROM {table} WHERE id = 0 UNION SELECT user()")


def test_pymysql_executemany_and_dict_cursor_are_guarded(
    mysql: tuple[Any, str], make_context: MakeContext
) -> None:
    import pymysql.cursors

    conn, table = mysql
    install()
    attack = "1); DROP TABLE x; --"
    with (
        request_scope(make_context(attack)),
        conn.cursor(pymysql.cursors.DictCursor) as cur,
        pytest.raises(ShieldBlockedError),
    ):
        cur.executemany(f"INSERT INTO {table} VALUES ({attack}, %s)", [("eve",)])
    with conn.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        assert cur.fetchone() == (2,)


def test_pymysql_look_alike_legitimate_input_passes(
    mysql: tuple[Any, str], make_context: MakeContext
) -> None:
    conn, table = mysql
    install()
    with request_scope(make_context("O'Brien", "alice -- admin", "1 OR 1")) as ctx, conn.cursor() as cur:
        cur.execute(f"SELECT id FROM {table} WHERE name = %s", ("O'Brien",))
        assert cur.fetchall() == ((2,),)
        quoted = conn.escape("O'Brien")  # 'O\'Brien', MySQL's backslash escape
        cur.execute(f"SELECT id FROM {table} WHERE name = {quoted}")
        assert cur.fetchall() == ((2,),)
        cur.execute(f"SELECT id FROM {table} WHERE name = 'alice -- admin' OR name = 'alice'")
        assert cur.fetchall() == ((1,),)
        cur.execute(f"SELECT COUNT(*) FROM {table} WHERE name <> '1 OR 1'")
        assert cur.fetchone() == (2,)
    assert ctx.events == []


def test_pymysql_hook_is_removed_by_uninstall(mysql: tuple[Any, str], make_context: MakeContext) -> None:
    from soryoku.shield import uninstall

    conn, table = mysql
    install()
    uninstall()
    with request_scope(make_context("x' OR '1'='1")), conn.cursor() as cur:
        cur.execute(f"SELECT id FROM {table} WHERE name = 'x' OR '1'='1' ORDER BY id")
        assert cur.fetchall() == ((1,), (2,))
