"""The ASGI middleware around a minimal ASGI 3 app (no framework needed)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest

from soryoku.shield import ShieldConfig, protect
from soryoku.shield.asgi import ShieldASGI

Message = MutableMapping[str, Any]


def make_app(db: Path) -> Callable[..., Awaitable[None]]:
    """A vulnerable ASGI app: string-built SQL; errors become 500s as frameworks do."""

    async def app(scope: dict[str, Any], receive: Callable[[], Awaitable[Message]], send: Any) -> None:
        query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        try:
            if scope["path"] == "/user":
                conn = sqlite3.connect(db)
                try:
                    rows = conn.execute(f"SELECT id FROM users WHERE name = '{query['name']}'").fetchall()
                finally:
                    conn.close()
                payload = json.dumps(rows).encode()
            elif scope["path"] == "/echo-body":
                payload = body
            else:
                payload = b"hello"
            status = 200
        except Exception as error:
            payload, status = f"error: {type(error).__name__}".encode(), 500
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": payload})

    return app


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'alice')")
    conn.commit()
    conn.close()
    return path


def call(
    app: Any,
    path: str,
    query: dict[str, str] | None = None,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    sent: list[Message] = []
    raw_headers = [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    if body:
        raw_headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {
        "type": "http",
        "method": "POST" if body else "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": urlencode(query or {}).encode(),
        "headers": raw_headers,
        "client": ("203.0.113.20", 50000),
    }
    chunks = [body[:5], body[5:]] if body else [b""]

    async def receive() -> Message:
        if chunks:
            chunk = chunks.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    data = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, data


def test_detected_as_asgi_and_clean_requests_pass(db: Path) -> None:
    app = protect(make_app(db), ShieldConfig(mode="block"))
    assert isinstance(app, ShieldASGI)
    assert call(app, "/")[::2] == (200, b"hello")
    assert call(app, "/user", {"name": "alice"})[2] == b"[[1]]"
    assert call(app, "/echo-body", body=b'{"name": "O\'Brien"}')[2] == b'{"name": "O\'Brien"}'


def test_sink_block_becomes_403_even_when_the_app_renders_500(db: Path) -> None:
    app = protect(make_app(db), ShieldConfig(mode="block"))
    status, headers, body = call(app, "/user", {"name": "x' OR '1'='1"})
    assert (status, headers["x-soryoku-block"]) == (403, "sqli:token_structure")
    assert body.startswith(b"Forbidden")


def test_request_rules_and_body_inspection(db: Path) -> None:
    app = protect(make_app(db), ShieldConfig(mode="block"))
    status, headers, _ = call(app, "/echo-body", body=b'{"q": "${jndi:ldap://x.example/a}"}')
    assert (status, headers["x-soryoku-block"]) == (403, "known_bad_inputs:log4shell")
    assert call(app, "/", headers={"user-agent": "sqlmap/1.7"})[1]["x-soryoku-block"] == "bot:security"


def test_monitor_mode_passes_attacks_through(db: Path) -> None:
    app = protect(make_app(db))
    assert call(app, "/user", {"name": "x' OR '1'='1"})[::2] == (200, b"[[1]]")


def test_non_http_scopes_pass_untouched(db: Path) -> None:
    seen: list[str] = []

    async def lifespan_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    app = protect(lifespan_app)

    async def nothing() -> Message:
        return {}

    async def drop(message: Message) -> None:
        return None

    asyncio.run(app({"type": "lifespan"}, nothing, drop))
    assert seen == ["lifespan"]
