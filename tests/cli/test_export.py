"""``soryoku export securityhub`` end to end: store → ASFF → moto Security Hub over HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from soryoku.cli.app import main
from soryoku.core.finding import Finding, Resource, ResultStatus, compliance_finding, detection_finding
from soryoku.core.result import ScanResult
from soryoku.core.severity import Severity
from soryoku.hub.store import open_store

ACCOUNT = "123456789012"
REGION = "eu-west-1"


def _posture(i: int, status: ResultStatus) -> Finding:
    return compliance_finding(
        check_id="ec2_securitygroup_open_ssh",
        title="Security group allows SSH from the internet",
        status=status,
        severity=Severity.CRITICAL,
        resource=Resource(
            uid=f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-{i:08d}",
            type="AWS::EC2::SecurityGroup",
            region=REGION,
        ),
        standards=["CIS AWS Foundations Benchmark v3.0.0"],
        requirements=["5.2"],
        account_id=ACCOUNT,
    )


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "store.db")
    posture = [_posture(i, ResultStatus.FAIL) for i in range(130)] + [
        _posture(i, ResultStatus.PASS) for i in range(130, 135)
    ]
    detect = [
        detection_finding(
            rule_id="console_login_without_mfa",
            title="Console sign-in without MFA",
            severity=Severity.HIGH,
            evidence_key="ev-1",
            engine="detect",
            account_id=ACCOUNT,
        )
    ]
    with open_store(path) as store:
        store.record(ScanResult(engine="posture", scope=f"{ACCOUNT}/{REGION}", findings=posture))
        store.record(ScanResult(engine="detect", scope=f"{ACCOUNT}/logs", findings=detect))
    return path


def _run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(args)
    return int(done.value.code or 0)


def _stored(region: str = REGION) -> list[dict[str, Any]]:
    client = boto3.client("securityhub", region_name=region)
    return [f for page in client.get_paginator("get_findings").paginate() for f in page["Findings"]]


def test_exports_open_findings(aws: str, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["export", "securityhub", "--db", db, "--region", REGION]) == 0
    stored = _stored()
    assert len(stored) == 131  # 130 FAIL + 1 detection; PASS left out by default
    assert {f["AwsAccountId"] for f in stored} == {ACCOUNT}
    assert (
        "sent 131 findings to Security Hub in eu-west-1 in 2 calls: 131 accepted, 0 failed"
        in capsys.readouterr().err
    )


def test_engine_filter_and_include_passed(aws: str, db: str) -> None:
    assert (
        _run(
            [
                "export",
                "securityhub",
                "--db",
                db,
                "--region",
                REGION,
                "--engine",
                "posture",
                "--include-passed",
                "-q",
            ]
        )
        == 0
    )
    stored = _stored()
    assert len(stored) == 135
    assert {f["Compliance"]["Status"] for f in stored} == {"FAILED", "PASSED"}


def test_dry_run_prints_asff_and_calls_nothing(aws: str, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        _run(["export", "securityhub", "--db", db, "--region", REGION, "--dry-run", "--engine", "detect"])
        == 0
    )
    captured = capsys.readouterr()
    asff = json.loads(captured.out)
    assert [f["GeneratorId"] for f in asff] == ["console_login_without_mfa"]
    assert "1 findings would be sent in 1 BatchImportFindings calls" in captured.err
    assert _stored() == []


def test_failed_findings_are_listed_and_exit_3(
    aws: str, db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from soryoku.aws.clients import ClientFactory

    real_client = ClientFactory.client

    class RejectFirst:
        """Edge stub around the real client: the hub rejects the first finding of every call."""

        def __init__(self, client: Any) -> None:
            self.client = client

        def batch_import_findings(self, *, Findings: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803
            response = self.client.batch_import_findings(Findings=Findings[1:])
            failed = [{"Id": Findings[0]["Id"], "ErrorCode": "InvalidInput", "ErrorMessage": "bad Types"}]
            return {**response, "FailedCount": 1, "FailedFindings": failed}

    def client(self: ClientFactory, service: str, region: str) -> Any:
        return RejectFirst(real_client(self, service, region))

    monkeypatch.setattr(ClientFactory, "client", client)
    assert _run(["export", "securityhub", "--db", db, "--region", REGION]) == 3
    err = capsys.readouterr().err
    assert "129 accepted, 2 failed" in err
    assert err.count(": InvalidInput: bad Types") == 2
    assert len(_stored()) == 129


def test_no_credentials_is_a_clear_error(
    db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert _run(["export", "securityhub", "--db", db, "--region", REGION]) == 2
    assert "no AWS credentials found" in capsys.readouterr().err
