"""``soryoku posture`` end to end against the moto server."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from soryoku.cli.app import main


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def _seed() -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="site-assets")
    s3.put_bucket_acl(Bucket="site-assets", ACL="public-read")
    ec2 = boto3.client("ec2")
    group = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )


def test_posture_json_ocsf_against_moto(aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed()
    out = tmp_path / "posture.json"
    code = _run(
        ["posture", "--region", "us-east-1", "--format", "json-ocsf", "--output", str(out), "--quiet"]
    )
    # --fail-on defaults to none; 3 because moto lacks some APIs (SSM managed instances, Access
    # Analyzer) and the root user's credential-report row: not evaluated, never a false PASS
    assert code == 3
    findings = json.loads(out.read_text())
    gaps = {
        f["unmapped"]["soryoku_gap"]["reason"] for f in findings if "soryoku_gap" in (f.get("unmapped") or {})
    }
    assert gaps and all("not available" in r or "no <root_account> row" in r for r in gaps), gaps
    findings = [f for f in findings if "soryoku_gap" not in (f.get("unmapped") or {})]
    assert all(
        f["class_uid"] == 2003 and f["metadata"]["product"]["feature"]["name"] == "posture" for f in findings
    )
    by_check: dict[str, set[str]] = {}
    for finding in findings:
        by_check.setdefault(finding["finding_info"]["analytic"]["uid"], set()).add(finding["status_code"])
    assert "FAIL" in by_check["s3_bucket_public_read_access"]
    assert "FAIL" in by_check["ec2_securitygroup_ingress_port_22_open_to_internet"]
    assert by_check["iam_root_access_key_absent"] <= {"PASS", "NOT_EVALUATED"}
    public = next(
        f
        for f in findings
        if f["finding_info"]["analytic"]["uid"] == "s3_bucket_public_read_access"
        and f["status_code"] == "FAIL"
    )
    assert public["resources"][0]["uid"] == "arn:aws:s3:::site-assets"
    assert public["compliance"]["requirements"] == ["AWS-FSBP/S3.2"]
    assert public["cloud"]["account"]["uid"] == "123456789012"


def test_posture_fail_on_and_filters(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    _seed()
    code = _run(
        [
            "posture",
            "--services",
            "s3",
            "--checks",
            "s3_bucket_public_read_access,s3_bucket_level_public_access_block",
            "--checks",
            "s3_account_level_public_access_block,s3_bucket_public_write_access,iam_user_no_policies_attached",
            "--exclude-checks",
            "s3_bucket_public_write_access",
            "--format",
            "jsonl",
            "--fail-on",
            "critical",
            "--no-store",
        ]
    )
    assert code == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    checks = {line["finding_info"]["analytic"]["uid"] for line in lines}
    assert checks == {
        "s3_bucket_public_read_access",
        "s3_bucket_level_public_access_block",
        "s3_account_level_public_access_block",
    }


def test_posture_compliance_filter(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(
        ["posture", "--compliance", "cis-3.0", "--services", "securityhub", "--format", "jsonl", "--no-store"]
    )
    assert code == 0
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert line["compliance"]["requirements"] == ["CIS-AWS-3.0/4.16"] and line["status_code"] == "FAIL"


def test_posture_exits_3_when_something_was_not_evaluated(
    aws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # An opt-in region that is not enabled cannot be scanned: NOT_EVALUATED findings, a gap, exit 3.
    code = _run(
        ["posture", "--all-regions", "--checks", "guardduty_enabled", "--format", "jsonl", "--no-store"]
    )
    assert code == 3
    statuses = {json.loads(x)["status_code"] for x in capsys.readouterr().out.splitlines() if x.strip()}
    assert statuses == {"FAIL", "NOT_EVALUATED"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["posture", "--checks", "nope"], "--checks 'nope'"),
        (["posture", "--compliance", "pci"], "--compliance 'pci'"),
        (["posture", "--format", "xml"], "xml"),
        (["posture", "--region", "us-east-1", "--all-regions"], "--all-regions"),
    ],
)
def test_bad_input_is_exit_2(
    aws: str, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(args) == 2
    assert message in capsys.readouterr().err


def test_no_credentials_points_to_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert _run(["posture", "--format", "jsonl"]) == 2
    assert "soryoku scan --demo" in capsys.readouterr().err


def test_a_narrower_run_does_not_resolve_what_it_did_not_look_at(
    aws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from soryoku.hub.store import open_store

    _seed()
    public, ssh = "s3_bucket_public_read_access", "ec2_securitygroup_ingress_port_22_open_to_internet"

    def open_checks() -> set[str]:
        with open_store(None) as store:
            return {f.check_id for f in store.current_findings(engine="posture") if f.status_code == "FAIL"}

    assert _run(["posture", "--services", "s3,ec2", "--region", "us-east-1", "--quiet"]) in (0, 1, 3)
    assert {public, ssh} <= open_checks()
    # the bucket is fixed; a run of that one check resolves it and leaves the EC2 FAILs open
    boto3.client("s3").put_bucket_acl(Bucket="site-assets", ACL="private")
    assert _run(["posture", "--checks", public, "--region", "us-east-1", "--quiet"]) == 0
    still_open = open_checks()
    assert public not in still_open and ssh in still_open
    # a run restricted to another region resolves nothing of us-east-1
    assert _run(["posture", "--services", "ec2", "--region", "eu-west-1", "--quiet"]) in (0, 1, 3)
    assert ssh in open_checks()
    capsys.readouterr()
