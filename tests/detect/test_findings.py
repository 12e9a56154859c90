"""Findings: evidence, ATT&CK, grouping, stable ids, and rules that could not run."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from tests.detect.conftest import Detector, logs_of

from soryoku.core.finding import FindingClass
from soryoku.detect.database import DetectContext
from soryoku.detect.engine import detect
from soryoku.detect.simulate.dataset import ATTACKER_IP, KALI_AGENT, deploy_bot, web_app
from soryoku.detect.simulate.events import Flow, ct
from soryoku.detect.simulate.layout import save
from soryoku.detect.sources import IngestState, LogStore

T = datetime(2024, 5, 10, 10, 0)


def test_a_finding_names_actor_addresses_resources_records_and_technique(run_detect: Detector) -> None:
    records = [
        ct(
            deploy_bot,
            "cloudtrail",
            "StopLogging",
            T + timedelta(minutes=i),
            ip=ATTACKER_IP,
            agent=KALI_AGENT,
            params={"name": f"trail-{i}"},
        )
        for i in range(3)
    ]
    result = run_detect(records, ["cloudtrail_logging_stopped"])
    [finding] = result.findings
    assert finding.class_uid is FindingClass.DETECTION and finding.engine == "detect"
    assert [e.data["event_id"] for e in finding.evidences] == [r["eventID"] for r in records]
    assert finding.evidences[0].src_endpoint == {"ip": ATTACKER_IP}
    assert finding.evidences[0].actor == {"user": {"uid": deploy_bot.arn}}
    assert sorted(r.uid for r in finding.resources) == ["trail-0", "trail-1", "trail-2"]
    assert finding.finding_info.attacks[0]["technique"]["uid"] == "T1562.008"
    assert finding.finding_info.attacks[0]["tactic"]["name"] == "Defense Evasion"
    assert finding.unmapped["guardduty_equivalent"] == "Stealth:IAMUser/CloudTrailLoggingDisabled"
    assert finding.finding_info.first_seen_time < finding.finding_info.last_seen_time
    assert finding.account_uid == "111122223333" and finding.region == "us-east-1"
    assert "3 records" in (finding.message or "")
    assert finding.to_ocsf()["class_uid"] == 2004


def test_flow_evidence_points_to_file_and_line(run_detect: Detector) -> None:
    result = run_detect([Flow(T, "10.0.1.5", "45.9.148.21", 40000, 3333)], ["flow_mining_pool_port"])
    [finding] = result.findings
    data = finding.evidences[0].data
    assert data["key"].startswith("AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/05/10/")
    assert data["key"].endswith("#2")
    assert finding.evidences[0].dst_endpoint == {"ip": "45.9.148.21", "port": 3333}


def test_uids_are_stable_across_runs_and_incremental_runs_keep_findings(
    tmp_path: Path, full_context: DetectContext
) -> None:
    root = tmp_path / "logs"
    save(logs_of([ct(web_app, "s3", "ListBuckets", T, ip="198.51.100.77")]).render(), root)
    store, state = LogStore(tmp_path / "store"), IngestState(tmp_path / "state.json")
    first, _ = detect(str(root), store, full_context, state=state)
    second, report = detect(str(root), store, full_context, state=IngestState.load(tmp_path / "state.json"))
    assert report.files_read == 0
    assert [f.uid for f in first.findings] == [f.uid for f in second.findings] != []


def test_rules_missing_their_context_are_gaps_not_passes(tmp_path: Path) -> None:
    root = tmp_path / "logs"
    save(logs_of([ct(web_app, "s3", "ListBuckets", T, ip="198.51.100.77")]).render(), root)
    result, _ = detect(str(root), LogStore(tmp_path / "store"), DetectContext())
    gaps = {gap.checks[0]: gap.reason for gap in result.gaps}
    assert "--ip-ranges" in gaps["iam_instance_credentials_used_outside_aws"]
    assert "--intel" in gaps["cloudtrail_api_from_tor"]
    assert not result.complete
