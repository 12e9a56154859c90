"""The asyncpg sink hook against the local PostgreSQL (127.0.0.1:5432, user postgres, database ``test``)."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest

from soryoku.shield import ShieldBlockedError, ShieldConfig, install, protect, request_scope, uninstall
from soryoku.shield.context import RequestContext
from soryoku.shield.hooks.postgres import ASYNCPG_METHODS

MakeContext = Callable[..., RequestContext]
DSN = "postgresql://postgres@127.0.0.1:5432/test"
ATTACK = "x' OR '1'='1"

pytestmark = pytest.mark.postgres


async def _connect(asyncpg: Any) -> Any:
    return await asyncpg.connect(DSN, timeout=2)


@pytest.fixture
def asyncpg() -> Any:
    """The asyncpg module, or a skip naming why PostgreSQL cannot be used."""
    module = pytest.importorskip("asyncpg", reason="asyncpg is not installed (dev extra)")

    async def probe() -> None:
        await (await _connect(module)).close()

    try:
        asyncio.run(probe())
    except (TimeoutError, OSError, module.PostgresError) as error:
        pytest.skip(f"local PostgreSQL not reachable ({DSN}): {error}")
    return module


@pytest.fixture
def table(asyncpg: Any) -> Iterator[str]:
    """A fresh table of two people (alice, O'Brien), dropped afterwards."""
    name = f"shield_people_{uuid.uuid4().hex[:8]}"

    async def run(*statements: str) -> None:
        conn = await _connect(asyncpg)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(
        run(
            f"CREATE TABLE {name} (id int, name text)",
            f"INSERT INTO {name} VALUES (1, 'alice'), (2, 'O''Brien')",
        )
    )
    try:
        yield name
    finally:
        uninstall()
        asyncio.run(run(f"DROP TABLE IF EXISTS {name}"))


def _calls(table: str, value: str) -> dict[str, Callable[[Any], Awaitable[Any]]]:
    """One call per hooked Connection method, each with ``value`` pasted into its SQL."""
    select = f"SELECT id FROM {table} WHERE name = '{value}'"

    async def cursor(conn: Any) -> Any:
        async with conn.transaction():
            return [r async for r in conn.cursor(select)]

    return {
        "execute": lambda conn: conn.execute(select),
        "executemany": lambda conn: conn.executemany(f"INSERT INTO {table} VALUES ($1, '{value}')", [(3,)]),
        "fetch": lambda conn: conn.fetch(select),
        "fetchrow": lambda conn: conn.fetchrow(select),
        "fetchval": lambda conn: conn.fetchval(select),
        "fetchmany": lambda conn: conn.fetchmany(
            f"SELECT $1::int FROM {table} WHERE name = '{value}'", [(1,)]
        ),
        "prepare": lambda conn: conn.prepare(select),
        "cursor": cursor,
        "copy_from_query": lambda conn: conn.copy_from_query(select, output=io.BytesIO()),
    }


def test_every_sql_method_is_covered(table: str) -> None:
    assert sorted(_calls(table, "x")) == sorted(ASYNCPG_METHODS)


@pytest.mark.parametrize("method", ASYNCPG_METHODS)
def test_each_method_blocks_an_injection_on_a_connection_opened_before_install(
    asyncpg: Any, table: str, make_context: MakeContext, method: str
) -> None:
    async def run() -> RequestContext:
        conn = await _connect(asyncpg)
        try:
            install()
            with request_scope(make_context(ATTACK)) as ctx, pytest.raises(ShieldBlockedError):
                await _calls(table, ATTACK)[method](conn)
            assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 2
            return ctx
        finally:
            await conn.close()

    ctx = asyncio.run(run())
    assert ctx.blocked is not None
    assert ctx.blocked.label == "soryoku:shield:sqli:token_structure"


@pytest.mark.parametrize("method", ASYNCPG_METHODS)
def test_each_method_lets_look_alike_input_through(
    asyncpg: Any, table: str, make_context: MakeContext, method: str
) -> None:
    async def run() -> RequestContext:
        install()
        conn = await _connect(asyncpg)
        try:
            with request_scope(make_context("O'Brien", "alice -- admin", "1 OR 1")) as ctx:
                await _calls(table, "O''Brien")[method](conn)
                assert await conn.fetchval(f"SELECT min(id) FROM {table} WHERE name = $1", "O'Brien") == 2
                assert await conn.fetchval(
                    f"SELECT count(*) FROM {table} WHERE name <> 'alice -- admin' AND name <> '1 OR 1'"
                ) in (2, 3)
            return ctx
        finally:
            await conn.close()

    assert asyncio.run(run()).events == []


def test_statements_passed_by_keyword_are_checked_and_still_work(
    asyncpg: Any, table: str, make_context: MakeContext
) -> None:
    async def run() -> None:
        install()
        conn = await _connect(asyncpg)
        try:
            # asyncpg names executemany's statement `command`, the others `query`
            await conn.executemany(command=f"INSERT INTO {table} VALUES ($1, $2)", args=[(4, "kw")])
            assert await conn.fetchval(query=f"SELECT id FROM {table} WHERE name = 'kw'") == 4
            with request_scope(make_context(ATTACK)), pytest.raises(ShieldBlockedError):
                await conn.executemany(command=f"INSERT INTO {table} VALUES ($1, '{ATTACK}')", args=[(5,)])
            with request_scope(make_context(ATTACK)), pytest.raises(ShieldBlockedError):
                await conn.fetch(query=f"SELECT id FROM {table} WHERE name = '{ATTACK}'")
            assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 3
        finally:
            await conn.close()

    asyncio.run(run())


def test_pool_and_monitor_mode(asyncpg: Any, table: str, make_context: MakeContext) -> None:
    async def run() -> tuple[RequestContext, RequestContext]:
        install()
        pool = await asyncpg.create_pool(DSN, min_size=1, max_size=2, timeout=2)
        try:
            with request_scope(make_context(ATTACK)) as blocked, pytest.raises(ShieldBlockedError):
                await pool.fetch(f"SELECT id FROM {table} WHERE name = '{ATTACK}'")
            async with pool.acquire() as conn:
                with request_scope(make_context(ATTACK)), pytest.raises(ShieldBlockedError):
                    await conn.fetchrow(f"SELECT id FROM {table} WHERE name = '{ATTACK}'")
            with request_scope(make_context(ATTACK, mode="monitor")) as monitored:
                rows = await pool.fetch(f"SELECT id FROM {table} WHERE name = '{ATTACK}' ORDER BY id")
                assert [r["id"] for r in rows] == [1, 2]
            return blocked, monitored
        finally:
            await pool.close()

    blocked, monitored = asyncio.run(run())
    assert blocked.blocked is not None
    assert monitored.blocked is None
    assert [(e.rule_id, e.action) for e in monitored.events] == [("sqli:token_structure", "monitor")]


def test_uninstall_restores_every_method(asyncpg: Any, table: str, make_context: MakeContext) -> None:
    from asyncpg.connection import Connection

    originals = {name: getattr(Connection, name) for name in ASYNCPG_METHODS}
    install()
    assert all(getattr(Connection, name) is not originals[name] for name in ASYNCPG_METHODS)
    uninstall()
    assert {name: getattr(Connection, name) for name in ASYNCPG_METHODS} == originals

    async def run() -> list[Any]:
        conn = await _connect(asyncpg)
        try:
            with request_scope(make_context(ATTACK)):
                return list(await conn.fetch(f"SELECT id FROM {table} WHERE name = '{ATTACK}'"))
        finally:
            await conn.close()

    assert len(asyncio.run(run())) == 2


def _asgi_app(table: str, pool: Any) -> Callable[..., Awaitable[None]]:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        name = parse_qs(scope["query_string"].decode())["name"][0]
        try:
            rows = await pool.fetch(f"SELECT id FROM {table} WHERE name = '{name}'")
            body, status = repr([r["id"] for r in rows]).encode(), 200
        except Exception as error:  # what frameworks do: the exception becomes a 500 page
            body, status = type(error).__name__.encode(), 500
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": body})

    return app


async def _get(app: Any, name: str) -> tuple[int, dict[str, str], bytes]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/user",
        "raw_path": b"/user",
        "query_string": urlencode({"name": name}).encode(),
        "headers": [],
        "client": ("203.0.113.20", 50000),
    }
    await app(scope, receive, send)
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def test_protect_answers_403_for_an_injection_through_asyncpg(asyncpg: Any, table: str) -> None:
    async def run() -> tuple[tuple[int, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]:
        install()  # first line of the app; the pool is made afterwards, before protect()
        pool = await asyncpg.create_pool(DSN, min_size=1, max_size=2, timeout=2)
        try:
            guarded = protect(_asgi_app(table, pool), ShieldConfig(mode="block"))
            return await _get(guarded, ATTACK), await _get(guarded, "alice")
        finally:
            await pool.close()

    attacked, fine = asyncio.run(run())
    assert (attacked[0], attacked[1]["x-soryoku-block"]) == (403, "sqli:token_structure")
    assert (fine[0], fine[2]) == (200, b"[1]")


LATE_IMPORT = """
import sys
import soryoku.shield
soryoku.shield.install()
assert "asyncpg" not in sys.modules
import asyncpg
print(all(hasattr(getattr(asyncpg.Connection, m), "__wrapped__") for m in {methods!r}))
soryoku.shield.uninstall()
print(hasattr(asyncpg.Connection.fetch, "__wrapped__"))
"""


def test_asyncpg_imported_after_install_is_hooked(asyncpg: Any) -> None:
    out = subprocess.run(
        [sys.executable, "-c", LATE_IMPORT.format(methods=ASYNCPG_METHODS)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.split() == ["True", "False"]
