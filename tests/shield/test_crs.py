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
