"""`soryoku scan --demo` end to end: the seed's story, found exactly, through the real code path."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from soryoku.demo.scenario import story_modules
from soryoku.hub.store import open_store

# The seeded misconfigurations (check id, resource uid suffix) — and nothing else — must FAIL.
EXPECTED_POSTURE_FAILS = {
    ("cloudtrail_multi_region_trail_logging", ":trails"),
    ("ec2_ebs_default_encryption", "us-east-1:123456789012:ebs-encryption-by-default"),
    ("ec2_instance_imdsv2_required", "web-1"),
    ("ec2_securitygroup_ingress_admin_ports_open_to_ipv4_internet", "web-sg"),
    ("ec2_securitygroup_ingress_port_22_open_to_internet", "web-sg"),
    ("ec2_securitygroup_ingress_admin_ports_open_to_ipv6_internet", "legacy-rdp-sg"),
    ("ec2_securitygroup_ingress_port_3389_open_to_internet", "legacy-rdp-sg"),
    ("guardduty_enabled", "guardduty:us-east-1:123456789012:detector"),
    ("iam_attached_policy_no_full_admin_privileges", "policy/soryoku-demo-full-admin"),
    ("iam_policy_no_full_admin_privileges", "policy/soryoku-demo-full-admin"),
    ("iam_user_console_access_mfa_enabled", "user/web-admin"),
    ("iam_user_no_policies_attached", "user/web-admin"),
    ("s3_account_level_public_access_block", "account-public-access-block"),
    ("s3_bucket_level_public_access_block", "soryoku-demo-site-assets"),
    ("s3_bucket_public_read_access", "soryoku-demo-site-assets"),
}
# The compliant twins that must PASS the same checks.
EXPECTED_POSTURE_PASSES = {
    ("ec2_ebs_default_encryption", "us-west-2:123456789012:ebs-encryption-by-default"),
    ("ec2_instance_imdsv2_required", "app-1"),
    ("ec2_securitygroup_ingress_port_22_open_to_internet", "app-sg"),
    ("guardduty_enabled", "guardduty:us-west-2:123456789012:detector"),
    ("iam_policy_no_full_admin_privileges", "policy/soryoku-demo-audit-read"),
    ("iam_user_console_access_mfa_enabled", "user/auditor"),
    ("iam_user_no_policies_attached", "user/auditor"),
    ("s3_bucket_level_public_access_block", "soryoku-demo-customer-data"),
    ("s3_bucket_public_read_access", "soryoku-demo-customer-data"),
}

for _module in story_modules():
    EXPECTED_POSTURE_FAILS |= set(_module.EXPECTED_FAILS)
    EXPECTED_POSTURE_PASSES |= set(_module.EXPECTED_PASSES)


def _run(args: list[str]) -> int:
    # Each run in a fresh interpreter, as `make demo` runs it: moto keeps its state in process
    # globals, and a real user's second run is a second process.
    done = subprocess.run(
        [sys.executable, "-m", "soryoku.cli.app", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode in {0, 1, 3}, done.stderr
    return done.returncode


def _label(finding: dict[str, Any]) -> str:
    """The resource uid, plus its Name tag / group name so tests need not know moto's ids."""
    resource = finding["resources"][0]
    return f"{resource['uid']} {resource.get('name') or ''}"


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("demo")
    db = str(work / "store.db")
    first_code = _run(["scan", "--demo", "--db", db, "--output", str(work / "report.html"), "--quiet"])
    second_code = _run(
        [
            "scan",
            "--demo",
            "--db",
            db,
            "--format",
            "json-ocsf",
            "--output",
            str(work / "second.json"),
            "--quiet",
        ]
    )
    return {"work": work, "codes": (first_code, second_code), "db": db}


def test_demo_fails_exactly_the_seeded_misconfigurations(demo_runs: dict[str, Any]) -> None:
    findings = json.loads((demo_runs["work"] / "second.json").read_text())
    posture = [f for f in findings if f["metadata"]["product"]["feature"]["name"] == "posture"]
    fails = {(f["finding_info"]["analytic"]["uid"], _label(f)) for f in posture if f["status_code"] == "FAIL"}
    for check, suffix in EXPECTED_POSTURE_FAILS:
        assert any(c == check and suffix in label for c, label in fails), (check, suffix)
    unexpected = {
        (c, label)
        for c, label in fails
        if not any(c == check and suffix in label for check, suffix in EXPECTED_POSTURE_FAILS)
    }
    assert not unexpected
    assert len(fails) == len(EXPECTED_POSTURE_FAILS)


def test_demo_passes_the_compliant_twins(demo_runs: dict[str, Any]) -> None:
    findings = json.loads((demo_runs["work"] / "second.json").read_text())
    passes = {
        (f["finding_info"]["analytic"]["uid"], _label(f)) for f in findings if f["status_code"] == "PASS"
    }
    for check, suffix in EXPECTED_POSTURE_PASSES:
        assert any(c == check and suffix in label for c, label in passes), (check, suffix)


def test_demo_writes_the_html_report(demo_runs: dict[str, Any]) -> None:
    html = (demo_runs["work"] / "report.html").read_text()
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "s3_bucket_public_read_access" in html
    assert "soryoku-demo-site-assets" in html


def test_second_demo_run_shows_nothing_new(demo_runs: dict[str, Any]) -> None:
    # 1 or 3 are the demo's expected codes (findings / an unscannable upload), never 2.
    assert all(code in {0, 1, 3} for code in demo_runs["codes"])
    with open_store(demo_runs["db"]) as store:
        runs = store.runs(limit=100)
        engines = {run.engine for run in runs}
        assert {"posture", "content"} <= engines
        for run in runs[: len(runs) // 2]:  # the second scan's runs
            previous = store.previous_run(run.run_id)
            assert previous is not None, run
            diff = store.diff(previous.run_id, run.run_id)
            assert diff.new == [] and diff.resolved == [], run.engine
