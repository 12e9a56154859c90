"""Added latency of the shield guard per request, against the unprotected app in the same run.

    .venv/bin/python benchmarks/shield.py [--requests N]

Variants, each through WSGI and ASGI: a clean request that reaches no sink; one that runs a bound
SQL query (sqlite3); one whose input appears in a string-built SQL statement (tokenized); one that
opens a file; and, when the local PostgreSQL (127.0.0.1:5432, database ``test``) answers, the bound
and string-built queries through psycopg2 (WSGI and ASGI) and asyncpg (ASGI: it is async-only).
Protected and unprotected calls alternate so machine noise hits both alike; figures are p50/p99 of
the per-request difference in microseconds, in wall-clock time and in the thread's CPU time (on a
shared machine, wall-clock p99 mostly measures preemption: a longer request is more often
descheduled for a whole scheduler slice; with PostgreSQL, the server's answer time adds its own
noise to the wall-clock column). Goals (issue 7): p50 added ≤ 100 µs without a sink, ≤ 300 µs with
a SQL sink.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from soryoku.shield import ShieldConfig, install, protect, uninstall

HEADERS = {
    "HTTP_HOST": "shop.example",
    "HTTP_USER_AGENT": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9",
    "HTTP_COOKIE": "session=6f1c2a9b8e; theme=dark; consent=yes",
    "HTTP_REFERER": "https://shop.example/",
}
QUERY = "q=red+shoes+{n}&page=2&sort=price"  # n varies, so no statement is ever seen twice
PG_DSN = "postgresql://postgres@127.0.0.1:5432/test"
Handler = Callable[[dict[str, str]], bytes | Awaitable[bytes]]


def make_handlers(db: sqlite3.Connection, file: Path) -> dict[str, Callable[[dict[str, str]], bytes]]:
    def clean(query: dict[str, str]) -> bytes:
        return b"hello " + query["q"].encode()

    def sql_bound(query: dict[str, str]) -> bytes:
        rows = db.execute("SELECT id FROM items WHERE name = ?", (query["q"],)).fetchall()
        return repr(rows).encode()

    def sql_built(query: dict[str, str]) -> bytes:
        rows = db.execute(f"SELECT id FROM items WHERE name = '{query['q']}' ORDER BY id").fetchall()
        return repr(rows).encode()

    def file_open(query: dict[str, str]) -> bytes:
        with open(file, "rb") as handle:  # noqa: PTH123 — the hooked builtin is what is measured
            return handle.read()

    return {"clean": clean, "sql bound": sql_bound, "sql built": sql_built, "file open": file_open}


def make_pg_handlers(loop: asyncio.AbstractEventLoop) -> tuple[dict[str, Handler], Callable[[], None]]:
    """psycopg2 and asyncpg variants over a 100-row table, and how to close them; none without PostgreSQL."""
    try:
        import asyncpg
        import psycopg2
    except ImportError as error:
        print(f"PostgreSQL variants skipped: {error}")
        return {}, lambda: None
    try:
        pg2 = psycopg2.connect(PG_DSN, connect_timeout=2)
        apg = loop.run_until_complete(asyncpg.connect(PG_DSN, timeout=2))
    except (TimeoutError, OSError, psycopg2.OperationalError) as error:
        print(f"PostgreSQL variants skipped: {PG_DSN} not reachable ({error})")
        return {}, lambda: None
    pg2.autocommit = True
    with pg2.cursor() as cur:
        cur.execute("CREATE TEMP TABLE items (id int, name text)")
        cur.executemany("INSERT INTO items VALUES (%s, %s)", [(i, f"item {i}") for i in range(100)])
    loop.run_until_complete(
        apg.execute(
            "CREATE TEMP TABLE items AS SELECT i AS id, 'item ' || i AS name FROM generate_series(0, 99) AS i"
        )
    )

    def pg2_bound(query: dict[str, str]) -> bytes:
        with pg2.cursor() as cur:
            cur.execute("SELECT id FROM items WHERE name = %s", (query["q"],))
            return repr(cur.fetchall()).encode()

    def pg2_built(query: dict[str, str]) -> bytes:
        with pg2.cursor() as cur:
            cur.execute(f"SELECT id FROM items WHERE name = '{query['q']}' ORDER BY id")
            return repr(cur.fetchall()).encode()

    async def apg_bound(query: dict[str, str]) -> bytes:
        return repr(await apg.fetch("SELECT id FROM items WHERE name = $1", query["q"])).encode()

    async def apg_built(query: dict[str, str]) -> bytes:
        return repr(await apg.fetch(f"SELECT id FROM items WHERE name = '{query['q']}' ORDER BY id")).encode()

    def close() -> None:
        pg2.close()
        loop.run_until_complete(apg.close())

    handlers: dict[str, Handler] = {
        "psycopg2 bound": pg2_bound,
        "psycopg2 built": pg2_built,
        "asyncpg bound": apg_bound,
        "asyncpg built": apg_built,
    }
    return handlers, close


def wsgi_app(handler: Callable[[dict[str, str]], Any]) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
        body = handler(query)
        start_response("200 OK", [("content-type", "text/plain")])
        return [body]

    return app


def asgi_app(handler: Handler) -> Callable[..., Any]:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
        body = handler(query)
        if inspect.isawaitable(body):
            body = await body
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": body})

    return app


def environ(n: int) -> dict[str, Any]:
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/search",
        "QUERY_STRING": QUERY.format(n=n),
        "REMOTE_ADDR": "198.51.100.20",
        "SERVER_NAME": "shop.example",
        "SERVER_PORT": "443",
        "wsgi.url_scheme": "https",
    }
    base.update(HEADERS)
    return base


SCOPE = {
    "type": "http",
    "method": "GET",
    "path": "/search",
    "raw_path": b"/search",
    "query_string": b"",
    "headers": [(k[5:].lower().replace("_", "-").encode(), v.encode()) for k, v in HEADERS.items()],
    "client": ("198.51.100.20", 50000),
}


def time_wsgi(app: Callable[..., Iterable[bytes]], n: int = 0) -> tuple[int, int]:
    """Wall-clock and thread CPU nanoseconds of one request."""
    env = environ(n)
    wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
    b"".join(app(env, lambda status, headers, exc_info=None: None))
    return time.perf_counter_ns() - wall, time.thread_time_ns() - cpu


async def time_asgi(app: Callable[..., Any], n: int = 0) -> tuple[int, int]:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
    await app({**SCOPE, "query_string": QUERY.format(n=n).encode()}, receive, send)
    return time.perf_counter_ns() - wall, time.thread_time_ns() - cpu


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def run(requests: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="soryoku-shield-bench-"))
    file = tmp / "page.html"
    file.write_bytes(b"<p>hello</p>")
    install()
    loop = asyncio.new_event_loop()  # one loop: asyncpg's connection belongs to the loop it was made in
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE items (id INTEGER, name TEXT)")
    db.executemany("INSERT INTO items VALUES (?, ?)", [(i, f"item {i}") for i in range(100)])
    pg_handlers, close_pg = make_pg_handlers(loop)
    handlers: dict[str, Handler] = {**make_handlers(db, file), **pg_handlers}
    config = ShieldConfig(mode="block")
    print(f"shield added latency per request, {requests} requests per variant (µs; protected − unprotected)")
    print(
        f"{'interface':9} {'variant':14} {'base p50':>9} {'base p99':>9} {'added p50':>10} {'added p99':>10}"
        f" {'cpu p50':>10} {'cpu p99':>10}"
    )
    try:
        for name, handler in handlers.items():
            if not inspect.iscoroutinefunction(handler):  # WSGI serves synchronous handlers only
                plain_w, guarded_w = (
                    wsgi_app(handler),
                    protect(wsgi_app(handler), config, install_hooks=False),
                )
                for i in range(200):  # warm caches: bot classifier LRU, sqlglot import, regex groups
                    time_wsgi(guarded_w, -i)
                samples = Samples()
                for i in range(requests):
                    samples.add(time_wsgi(plain_w, i), time_wsgi(guarded_w, i))
                samples.report("WSGI", name)

            plain_a, guarded_a = asgi_app(handler), protect(asgi_app(handler), config, install_hooks=False)

            async def asgi_loop(plain: Any = plain_a, guarded: Any = guarded_a) -> Samples:
                for i in range(200):
                    await time_asgi(guarded, -i)
                found = Samples()
                for i in range(requests):
                    found.add(await time_asgi(plain, i), await time_asgi(guarded, i))
                return found

            loop.run_until_complete(asgi_loop()).report("ASGI", name)
    finally:
        close_pg()
        loop.close()
        db.close()
        uninstall()


class Samples:
    """Per-request pairs (unprotected, protected) of wall and CPU time, in microseconds."""

    def __init__(self) -> None:
        self.base: list[float] = []
        self.added: list[float] = []
        self.added_cpu: list[float] = []

    def add(self, plain: tuple[int, int], guarded: tuple[int, int]) -> None:
        self.base.append(plain[0] / 1000)
        self.added.append((guarded[0] - plain[0]) / 1000)
        self.added_cpu.append((guarded[1] - plain[1]) / 1000)

    def report(self, interface: str, name: str) -> None:
        b50, b99 = percentiles(self.base)
        a50, a99 = percentiles(self.added)
        c50, c99 = percentiles(self.added_cpu)
        print(
            f"{interface:9} {name:14} {b50:9.1f} {b99:9.1f} {a50:10.1f} {a99:10.1f} {c50:10.1f} {c99:10.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=5000, help="requests per variant (default 5000)")
    run(parser.parse_args().requests)


if __name__ == "__main__":
    main()
