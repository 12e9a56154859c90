"""Events become OCSF Detection Findings, batched off the request path, into the hub."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from soryoku.core.finding import Finding, FindingClass
from soryoku.shield import Shield, ShieldConfig
from soryoku.shield.events import ShieldEvent
from soryoku.shield.exporter import FindingExporter, event_finding, stats
from soryoku.shield.replay import view_from_record


def _event() -> ShieldEvent:
    ctx = Shield(ShieldConfig(mode="block")).inspect(
        view_from_record(
            {"path": "/search", "client_ip": "198.51.100.3", "query": {"q": "<script>x</script>"}}
        )
    )
    assert ctx.blocked is not None
    return ctx.blocked


def test_event_finding_is_a_detection_finding() -> None:
    finding = event_finding(_event(), "shop")
    assert finding.class_uid == FindingClass.DETECTION
    assert finding.engine == "shield"
    assert finding.check_id == "soryoku:shield:xss:script_tag"
    assert finding.resources[0].uid == "shop:/search"
    ocsf = finding.to_ocsf()
    assert ocsf["finding_info"]["types"] == ["soryoku:shield:xss:script_tag"]
    assert ocsf["evidences"][0]["src_endpoint"] == {"ip": "198.51.100.3"}
    assert event_finding(_event(), "shop").uid == finding.uid


def test_batches_are_delivered_on_the_worker_thread() -> None:
    delivered: list[tuple[str, int]] = []
    done = threading.Event()

    def deliver(findings: list[Finding]) -> None:
        delivered.append((threading.current_thread().name, len(findings)))
        if sum(n for _, n in delivered) >= 3:
            done.set()

    exporter = FindingExporter(deliver, batch_size=3, interval_s=30).start()
    try:
        shield = Shield(ShieldConfig(mode="monitor"))
        for _ in range(3):
            shield.inspect(view_from_record({"path": "/.env"}))
        assert done.wait(10)
    finally:
        exporter.close()
    assert delivered == [("soryoku-shield-exporter", 3)]
    assert stats(exporter) == {"delivered": 3, "failed": 0, "dropped": 0}


def test_delivery_failures_are_counted_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    def broken(findings: list[Finding]) -> None:
        raise ConnectionError("store down")

    exporter = FindingExporter(broken, max_queue=1)
    exporter(_event())
    exporter(_event())
    with caplog.at_level("ERROR", logger="soryoku.shield.exporter"):
        exporter.flush()
    assert stats(exporter) == {"delivered": 0, "failed": 1, "dropped": 1}
    assert "store down" in caplog.text


def test_findings_land_in_the_hub(tmp_path: Path) -> None:
    pytest.importorskip("soryoku.hub.store")
    from soryoku.hub.store import open_store

    db = str(tmp_path / "hub.db")
    exporter = FindingExporter(db=db, service="shop")
    exporter(_event())
    exporter(_event())
    exporter.close()
    assert exporter.delivered == 2
    with open_store(db) as store:
        stored = store.current_findings(engine="shield")
    assert [(f.check_id, f.engine) for f in stored] == [("soryoku:shield:xss:script_tag", "shield")]
