"""Request-level rules: the attack and legitimate-traffic corpus, modes, overrides, IP lists, size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from soryoku.core.errors import ConfigError
from soryoku.shield import Shield, ShieldConfig
from soryoku.shield.replay import view_from_record

Corpus = Callable[[str], dict[str, Any]]


def _ids(shield: Shield, record: dict[str, Any]) -> list[str]:
    return [e.rule_id for e in shield.inspect(view_from_record(record)).events]


def test_every_attack_matches_its_rule(load_corpus: Corpus) -> None:
    shield = Shield(ShieldConfig.from_mapping({"mode": "monitor"}))
    missed = [c for c in load_corpus("requests")["attacks"] if c["rule"] not in _ids(shield, c["request"])]
    assert missed == []


def test_every_attack_is_blocked_in_block_mode(load_corpus: Corpus) -> None:
    shield = Shield(ShieldConfig.from_mapping({"mode": "block"}))
    passed = [
        c
        for c in load_corpus("requests")["attacks"]
        if shield.inspect(view_from_record(c["request"])).blocked is None
    ]
    assert passed == []


def test_no_legitimate_request_is_flagged(load_corpus: Corpus) -> None:
    shield = Shield(ShieldConfig.from_mapping({"mode": "block"}))
    flagged = {
        str(c["request"]): _ids(shield, c["request"])
        for c in load_corpus("requests")["legitimate"]
        if _ids(shield, c["request"])
    }
    assert flagged == {}


def test_monitor_mode_records_without_blocking() -> None:
    ctx = Shield().inspect(view_from_record({"path": "/.env"}))
    assert ctx.blocked is None
    assert [(e.rule_id, e.action, e.mode) for e in ctx.events] == [
        ("known_bad_inputs:scanner_probe_path", "monitor", "monitor")
    ]


def test_family_and_route_overrides() -> None:
    config = ShieldConfig.from_mapping(
        {
            "mode": "monitor",
            "families": {"xss": "block"},
            "routes": [
                {"glob": "/admin/*", "mode": "block"},
                {"glob": "/cms/*", "families": {"xss": "off"}},
                {"glob": "/api/*", "exclude_params": ["html"]},
            ],
        }
    )
    shield = Shield(config)
    xss = {"query": {"q": "<script>x</script>"}}
    assert shield.inspect(view_from_record({"path": "/search", **xss})).blocked is not None
    assert shield.inspect(view_from_record({"path": "/cms/page", **xss})).events == []
    assert shield.inspect(view_from_record({"path": "/admin/.env"})).blocked is not None
    assert shield.inspect(view_from_record({"path": "/.env"})).blocked is None
    excluded = shield.inspect(
        view_from_record({"path": "/api/x", "query": {"html": "<script>", "q": "<svg>"}})
    )
    assert [e.location for e in excluded.events] == ["query:q"]


def test_ip_lists_with_cidr_and_trusted_proxies() -> None:
    config = ShieldConfig.from_mapping(
        {
            "mode": "block",
            "allow_ips": ["10.1.0.0/16"],
            "block_ips": ["198.51.100.0/24", "2001:db8::/32"],
            "trusted_proxies": ["10.0.0.0/24"],
        }
    )
    shield = Shield(config)
    blocked = shield.inspect(view_from_record({"path": "/", "client_ip": "198.51.100.23"}))
    assert blocked.blocked is not None
    assert blocked.blocked.rule_id == "ip:blocklist"
    assert shield.inspect(view_from_record({"path": "/", "client_ip": "2001:db8::1"})).blocked is not None
    via_proxy = shield.inspect(
        view_from_record(
            {"path": "/", "client_ip": "10.0.0.2", "headers": {"x-forwarded-for": "1.2.3.4, 198.51.100.9"}}
        )
    )
    assert via_proxy.client_ip == "198.51.100.9"
    assert via_proxy.blocked is not None
    spoofed = shield.inspect(
        view_from_record(
            {"path": "/", "client_ip": "203.0.113.5", "headers": {"x-forwarded-for": "10.1.2.3"}}
        )
    )
    assert spoofed.client_ip == "203.0.113.5"
    allowed = shield.inspect(view_from_record({"path": "/.env", "client_ip": "10.1.4.4"}))
    assert allowed.events == []
    assert allowed.inputs == ()


def test_body_size_limits_global_and_per_route() -> None:
    config = ShieldConfig.from_mapping(
        {"mode": "block", "max_body_bytes": 100, "routes": [{"glob": "/upload", "max_body_bytes": 10_000}]}
    )
    shield = Shield(config)
    body = "x" * 500
    big = shield.inspect(view_from_record({"method": "POST", "path": "/comment", "body": body}))
    assert big.blocked is not None
    assert big.blocked.rule_id == "size:body_too_large"
    assert (
        shield.inspect(view_from_record({"method": "POST", "path": "/upload", "body": body})).blocked is None
    )


def test_event_fields_and_redaction() -> None:
    shield = Shield(ShieldConfig.from_mapping({"mode": "block"}))
    ctx = shield.inspect(
        view_from_record(
            {"path": "/login", "client_ip": "203.0.113.1", "query": {"password": "${jndi:ldap://x/secret}"}}
        )
    )
    event = ctx.blocked
    assert event is not None
    assert event.label == "soryoku:shield:known_bad_inputs:log4shell"
    assert (event.mode, event.action, event.route, event.client_ip) == (
        "block",
        "block",
        "/login",
        "203.0.113.1",
    )
    assert "jndi" not in event.matched
    assert event.matched.startswith("<redacted len=")
    assert event.latency_us >= 0
    data = event.to_dict()
    assert data["rule_id"] == "known_bad_inputs:log4shell"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "deny"}, "mode"),
        ({"families": {"sqlx": "block"}}, "unknown families"),
        ({"routes": [{"mode": "block"}]}, "routes[0]"),
        ({"block_ips": ["10.0.0.0/33"]}, "block_ips"),
        ({"rate_rules": [{"name": "r", "limit": 5, "window_s": 30}]}, "60..600"),
        ({"bot_actions": {"ai_crawler": "tarpit"}}, "bot_actions.ai_crawler"),
        ({"colour": "red"}, "unknown keys"),
    ],
)
def test_config_errors_name_the_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        ShieldConfig.from_mapping(data)


def test_too_many_inputs_is_flagged_and_headers_are_kept() -> None:
    from urllib.parse import urlencode

    from soryoku.shield.request import MAX_INPUTS

    query = urlencode({f"p{i}": "v" for i in range(MAX_INPUTS + 10)})
    record = {"path": "/", "query": query, "headers": {"x-note": "keep me"}}
    monitor = Shield().inspect(view_from_record(record))
    assert [e.rule_id for e in monitor.events] == ["size:too_many_inputs"]
    assert len(monitor.inputs) == MAX_INPUTS
    assert monitor.inputs[0].location == "header:x-note"
    assert Shield(ShieldConfig(mode="block")).inspect(view_from_record(record)).blocked is not None
