"""The Security Hub exporter against moto: batches of at most 100, rejected findings reported."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from soryoku.core.finding import Finding, Resource, ResultStatus, compliance_finding, detection_finding
from soryoku.core.severity import Severity
from soryoku.hub.exporters.securityhub import MAX_BATCH, batches, export_findings

ACCOUNT = "123456789012"
REGION = "us-east-1"


def _findings(count: int) -> list[Finding]:
    findings: list[Finding] = [
        compliance_finding(
            check_id="s3_bucket_public_access",
            title="S3 bucket is not publicly accessible",
            status=ResultStatus.FAIL if i % 2 else ResultStatus.PASS,
            severity=Severity.HIGH,
            resource=Resource(uid=f"arn:aws:s3:::bucket-{i:04d}", type="AWS::S3::Bucket", region=REGION),
            standards=["CIS AWS Foundations Benchmark v3.0.0"],
            requirements=["2.1.4"],
            remediation="Turn on S3 Block Public Access.",
            account_id=ACCOUNT,
            time=1_767_225_600_000,
        )
        for i in range(count - 1)
    ]
    findings.append(
        detection_finding(
            rule_id="console_login_without_mfa",
            title="Console sign-in without MFA",
            severity=Severity.HIGH,
            evidence_key="ev-1",
            engine="detect",
            time=1_767_225_600_000,
        )
    )
    return findings


class BatchSpy:
    """Forwards to the real client and remembers the size of every call (no behaviour of its own)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.sizes: list[int] = []

    def batch_import_findings(self, *, Findings: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803
        self.sizes.append(len(Findings))
        return dict(self.client.batch_import_findings(Findings=Findings))


class RejectingHub(BatchSpy):
    """The edge stub: Security Hub rejects the given ids (as a real hub does for bad input)."""

    def __init__(self, client: Any, reject: set[str]) -> None:
        super().__init__(client)
        self.reject = reject

    def batch_import_findings(self, *, Findings: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803
        accepted = [f for f in Findings if f["Id"] not in self.reject]
        response = super().batch_import_findings(Findings=accepted) if accepted else {"SuccessCount": 0}
        failed = [
            {"Id": f["Id"], "ErrorCode": "InvalidInput", "ErrorMessage": "Finding does not adhere to ASFF"}
            for f in Findings
            if f["Id"] in self.reject
        ]
        return {**response, "FailedCount": len(failed), "FailedFindings": failed}


@pytest.fixture
def hub(aws: str) -> Any:
    client = boto3.client("securityhub", region_name=REGION)
    client.enable_security_hub()
    return client


def _stored(client: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in client.get_paginator("get_findings").paginate(PaginationConfig={"PageSize": 100}):
        found.extend(page["Findings"])
    return found


def test_exports_in_batches_of_at_most_100(hub: Any) -> None:
    findings = _findings(250)
    spy = BatchSpy(hub)
    result = export_findings(findings, spy, account_id=ACCOUNT, region=REGION)
    assert spy.sizes == [100, 100, 50]
    assert (result.sent, result.succeeded, result.batches, result.ok) == (250, 250, 3, True)
    stored = {f["Id"]: f for f in _stored(hub)}
    assert set(stored) == {f.uid for f in findings}
    sample = stored[findings[1].uid]
    assert sample["ProductArn"] == f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default"
    assert sample["Compliance"]["Status"] == "FAILED"
    assert sample["Resources"][0]["Id"] == "arn:aws:s3:::bucket-0001"
    detection = stored[findings[-1].uid]
    assert detection["AwsAccountId"] == ACCOUNT  # filled in from the caller's account
    assert detection["Resources"][0]["Type"] == "AwsAccount"


def test_reexport_updates_instead_of_duplicating(hub: Any) -> None:
    findings = _findings(5)
    export_findings(findings, hub, account_id=ACCOUNT, region=REGION)
    export_findings(findings, hub, account_id=ACCOUNT, region=REGION)
    assert len(_stored(hub)) == 5


def test_rejected_findings_are_reported(hub: Any) -> None:
    findings = _findings(120)
    rejected = {findings[3].uid, findings[110].uid}
    stub = RejectingHub(hub, rejected)
    result = export_findings(findings, stub, account_id=ACCOUNT, region=REGION)
    assert stub.sizes == [99, 19]  # what reached the real hub, after the rejections
    assert not result.ok
    assert result.sent == 120 and result.succeeded == 118
    assert {f.id for f in result.failed} == rejected
    assert all(f.error_code == "InvalidInput" and "ASFF" in f.error_message for f in result.failed)
    assert len(_stored(hub)) == 118


def test_moto_rejection_of_an_asff_object_without_resources(hub: Any) -> None:
    """The hub's own FailedFindings shape, which the exporter reads, as moto returns it."""
    response = hub.batch_import_findings(
        Findings=[
            {
                "SchemaVersion": "2018-10-08",
                "Id": "bad-1",
                "ProductArn": f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default",
                "GeneratorId": "g",
                "AwsAccountId": ACCOUNT,
                "CreatedAt": "2026-01-01T00:00:00Z",
                "UpdatedAt": "2026-01-01T00:00:00Z",
                "Title": "t",
                "Description": "d",
                "Resources": [],
            }
        ]
    )
    assert response["FailedCount"] == 1
    assert set(response["FailedFindings"][0]) == {"Id", "ErrorCode", "ErrorMessage"}


def test_batches_rejects_sizes_over_the_api_limit() -> None:
    assert [len(b) for b in batches([{}] * 201)] == [100, 100, 1]
    with pytest.raises(ValueError, match=r"1\.\.100"):
        list(batches([{}], MAX_BATCH + 1))


def test_nothing_to_send_makes_no_call(hub: Any) -> None:
    spy = BatchSpy(hub)
    result = export_findings([], spy, account_id=ACCOUNT, region=REGION)
    assert spy.sizes == [] and result.ok and result.sent == 0


def test_member_account_findings_are_imported_under_the_callers_product(hub: Any) -> None:
    member = compliance_finding(
        check_id="iam_root_access_key_absent",
        title="Root user has no access keys",
        status=ResultStatus.FAIL,
        severity=Severity.CRITICAL,
        resource=Resource(uid="arn:aws:iam::210987654321:root", type="AWS::IAM::User", region="eu-west-1"),
        standards=["CIS-AWS-3.0"],
        requirements=["CIS-AWS-3.0/1.4"],
        time=1_767_225_600_000,
    )
    result = export_findings([member], hub, account_id=ACCOUNT, region=REGION)
    assert result.ok
    (stored,) = _stored(hub)
    assert stored["AwsAccountId"] == "210987654321"
    assert stored["ProductArn"] == f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default"
    assert stored["Resources"][0]["Region"] == "eu-west-1"
