"""The optional OWASP CRS engine through libmodsecurity3 (Debian libmodsecurity3 + modsecurity-crs)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from soryoku.core.errors import ConfigError
from soryoku.shield import Shield, ShieldConfig, protect
from soryoku.shield.config import CRS_ENV, CrsOptions
from soryoku.shield.crs import CrsEngine, crs_status
from soryoku.shield.request import RequestView

STATUS = crs_status()
needs_crs = pytest.mark.skipif(not STATUS.available, reason=f"OWASP CRS engine unavailable: {STATUS.reason}")

ATTACKS = {
    "942": "x' OR '1'='1",  # SQL injection
    "941": "<script>alert(document.cookie)</script>",  # XSS
    "930": "../../../../etc/passwd",  # local file inclusion
    "932": "; cat /etc/passwd",  # remote command execution
}
LOOK_ALIKES = (
    "O'Brien",
    "select a size",
    "report.v2.final.pdf",
    "https://www.example.com/docs?page=2",
    "rock & roll",
)


def _view(query: str = "", body: bytes = b"", path: str = "/items") -> RequestView:
    headers: tuple[tuple[str, str], ...] = (
        ("host", "shop.example"),
        ("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"),
        ("accept", "text/html"),
    )
    if body:
        headers += (("content-type", "application/x-www-form-urlencoded"), ("content-length", str(len(body))))
    return RequestView(
        method="POST" if body else "GET",
        path=path,
        query_string=query,
        headers=headers,
        remote_addr="203.0.113.7",
        body=body,
        body_length=len(body),
        raw_path=path,
    )


@pytest.fixture(scope="module")
def engine() -> Iterator[CrsEngine]:
    if not STATUS.available:
        pytest.skip(f"OWASP CRS engine unavailable: {STATUS.reason}")
    crs = CrsEngine()
    yield crs
    crs.close()


@needs_crs
@pytest.mark.parametrize(("family", "attack"), sorted(ATTACKS.items()))
def test_crs_flags_each_attack_family_in_query_and_body(engine: CrsEngine, family: str, attack: str) -> None:
    for view in (_view(query="q=" + quote(attack)), _view(body=b"q=" + quote(attack).encode())):
        verdict = engine.evaluate(view, "203.0.113.7")
        assert verdict.status == 403, (attack, verdict.matches)
        assert any(m.rule_id.startswith(family) for m in verdict.detections), verdict.detections


@needs_crs
def test_crs_lets_look_alike_legitimate_input_through(engine: CrsEngine) -> None:
    for value in LOOK_ALIKES:
        verdict = engine.evaluate(_view(query="q=" + quote(value)), "203.0.113.7")
        assert verdict.status is None, (value, verdict.matches)


@needs_crs
def test_crs_verdicts_stay_with_their_request_across_threads(engine: CrsEngine) -> None:
    results: dict[int, Any] = {}

    def run(i: int) -> None:
        value = ATTACKS["942"] if i % 2 else LOOK_ALIKES[0]
        results[i] = engine.evaluate(_view(query="q=" + quote(value)), "203.0.113.7").status

    threads = [threading.Thread(target=run, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {i: 403 if i % 2 else None for i in range(16)}


@needs_crs
def test_crs_family_through_the_wsgi_middleware(engine: CrsEngine) -> None:
    werkzeug_test = pytest.importorskip("werkzeug.test", reason="werkzeug is not installed (moto[server])")

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("content-type", "text/plain")])
        return [b"ok"]

    blocking = werkzeug_test.Client(protect(app, shield=Shield(ShieldConfig(mode="block"), crs=engine)))
    # A SQL injection that reaches no sink here: only the CRS can see it at the request level.
    response = blocking.get("/items", query_string={"id": "1 UNION SELECT password FROM users"})
    assert response.status_code == 403
    assert response.headers["x-soryoku-block"].startswith("crs:942")
    assert blocking.get("/items", query_string={"name": "O'Brien"}).status_code == 200

    config = ShieldConfig.from_mapping({"mode": "block", "families": {"crs": "monitor"}})
    shield = Shield(config, crs=engine)
    ctx = shield.inspect(_view(query="id=" + quote("1 UNION SELECT password FROM users")))
    assert ctx.blocked is None
    assert [(e.family, e.action) for e in ctx.events] == [("crs", "monitor")]
    off = Shield(ShieldConfig.from_mapping({"mode": "block", "families": {"crs": "off"}}), crs=engine)
    assert off.inspect(_view(query="id=" + quote("1 UNION SELECT password FROM users"))).events == []


def test_crs_reports_unavailable_with_a_reason(tmp_path: Path) -> None:
    missing = crs_status(setup=tmp_path / "crs-setup.conf", rules=tmp_path)
    assert not missing.available
    assert "crs-setup.conf" in missing.reason or "libmodsecurity3" in missing.reason
    with pytest.raises(ConfigError, match="CRS engine unavailable"):
        CrsEngine(setup=tmp_path / "crs-setup.conf", rules=tmp_path)


@needs_crs
def test_crs_rejected_rules_fail_at_start_with_the_error() -> None:
    with pytest.raises(ConfigError, match="ModSecurity rejected extra_rules"):
        CrsEngine(extra_rules="SecNoSuchDirective On")


SQLI_NO_SINK = "1 UNION SELECT password FROM users"  # the built-in request rules do not look for SQL


def test_config_crs_section_is_parsed_and_validated(tmp_path: Path) -> None:
    assert ShieldConfig().crs == CrsOptions()
    assert ShieldConfig.from_mapping({"crs": True}).crs == CrsOptions(enabled=True)
    assert ShieldConfig.from_mapping({"crs": False}).crs.enabled is False
    options = ShieldConfig.from_mapping(
        {"crs": {"rules": str(tmp_path), "setup": "/x/setup.conf", "extra_rules": "SecRuleRemoveById 920350"}}
    ).crs
    assert options == CrsOptions(True, Path("/x/setup.conf"), tmp_path, "SecRuleRemoveById 920350")
    assert ShieldConfig.from_mapping({"crs": {"enabled": False, "rules": "/r"}}).crs.enabled is False
    for bad, message in (
        ("yes", r"crs: 'yes' is not true, false or a mapping"),
        ({"paranoia": 2}, r"crs: unknown keys \['paranoia'\]"),
        ({"enabled": "on"}, r"crs\.enabled: 'on' is not true or false"),
        ({"rules": 3}, r"crs\.rules: 3 is not a path"),
        ({"extra_rules": ["x"]}, r"crs\.extra_rules: expected ModSecurity directives"),
    ):
        with pytest.raises(ConfigError, match=message):
            ShieldConfig.from_mapping({"crs": bad})


def test_environment_switches_the_crs_on_and_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "shield.yaml"
    config.write_text("mode: block\ncrs:\n  extra_rules: SecRuleRemoveById 920350\n")
    monkeypatch.setenv("SORYOKU_SHIELD_CONFIG", str(config))
    assert ShieldConfig.from_env().crs == CrsOptions(True, None, None, "SecRuleRemoveById 920350")
    monkeypatch.setenv(CRS_ENV, "off")
    assert ShieldConfig.from_env().crs.enabled is False
    monkeypatch.delenv("SORYOKU_SHIELD_CONFIG")
    monkeypatch.setenv(CRS_ENV, "1")
    assert ShieldConfig.from_env() == ShieldConfig(crs=CrsOptions(enabled=True))
    monkeypatch.setenv(CRS_ENV, "maybe")
    with pytest.raises(ConfigError, match="SORYOKU_SHIELD_CRS='maybe': expected one of"):
        ShieldConfig.from_env()


def test_asking_for_an_absent_crs_fails_at_start_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import soryoku.shield.crs as crs_module

    config = ShieldConfig.from_mapping({"crs": {"rules": str(tmp_path)}})
    if STATUS.available:
        with pytest.raises(ConfigError) as rules_missing:
            Shield(config)
        assert str(rules_missing.value) == (
            "shield crs: the OWASP CRS engine was asked for but is unavailable: "
            f"no CRS REQUEST-*.conf rules in {tmp_path} (apt-get install modsecurity-crs)"
        )
    monkeypatch.setattr(crs_module, "_library_name", lambda: None)
    with pytest.raises(ConfigError) as library_missing:
        Shield(ShieldConfig(crs=CrsOptions(enabled=True)))
    assert str(library_missing.value) == (
        "shield crs: the OWASP CRS engine was asked for but is unavailable: "
        "libmodsecurity3 not found (apt-get install libmodsecurity3)"
    )
    assert Shield(ShieldConfig()).crs is None  # not asked for: never loaded, never an error


@needs_crs
def test_crs_enabled_from_a_config_file_through_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "shield.json"
    config.write_text('{"mode": "block", "crs": true}')
    monkeypatch.setenv("SORYOKU_SHIELD_CONFIG", str(config))
    shield = Shield()
    assert isinstance(shield.crs, CrsEngine)
    try:
        ctx = shield.inspect(_view(query="id=" + quote(SQLI_NO_SINK)))
        assert ctx.blocked is not None
        assert ctx.blocked.rule_id.startswith("crs:942")
        assert shield.inspect(_view(query="name=" + quote("O'Brien"))).events == []
    finally:
        shield.crs.close()
    monkeypatch.setenv(CRS_ENV, "0")
    assert Shield().crs is None


@needs_crs
def test_config_extra_rules_reach_modsecurity() -> None:
    with pytest.raises(ConfigError, match="ModSecurity rejected extra_rules"):
        Shield(ShieldConfig.from_mapping({"crs": {"extra_rules": "SecNoSuchDirective On"}}))
