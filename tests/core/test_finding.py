"""The Finding model serialises to valid OCSF 1.x for each of its three classes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from soryoku.core import (
    AffectedPackage,
    Evidence,
    Finding,
    FindingClass,
    Resource,
    ResultStatus,
    Severity,
    Vulnerability,
    compliance_finding,
    detection_finding,
    stable_uid,
    vulnerability_finding,
)
from soryoku.core.finding import OCSF_VERSION, Cve, WorkflowStatus

# Required attributes of OCSF 1.3.0 (schema.ocsf.io), per class and per object we emit.
FINDING_REQUIRED = {
    "activity_id",
    "category_uid",
    "class_uid",
    "finding_info",
    "metadata",
    "severity_id",
    "time",
    "type_uid",
}
CLASS_REQUIRED = {
    2002: FINDING_REQUIRED | {"vulnerabilities"},
    2003: FINDING_REQUIRED | {"compliance"},
    2004: FINDING_REQUIRED,
}
OBJECT_REQUIRED: dict[str, set[str]] = {
    "metadata": {"product", "version"},
    "product": {"vendor_name"},
    "finding_info": {"uid", "title"},
    "analytic": {"type_id"},
    "cloud": {"provider"},
    "compliance": {"standards"},
    "remediation": {"desc"},
    "affected_package": {"name", "version"},
    "cve": {"uid"},
}
RESOURCE = Resource(uid="arn:aws:s3:::site-assets", type="AWS::S3::Bucket", region="us-east-1")


def _compliance(status: ResultStatus = ResultStatus.FAIL) -> Finding:
    return compliance_finding(
        check_id="s3_bucket_public_access",
        title="S3 bucket allows public read",
        status=status,
        severity=Severity.HIGH,
        resource=RESOURCE,
        standards=["AWS-FSBP", "CIS-AWS-3.0"],
        requirements=["FSBP S3.2", "CIS 2.1.4"],
        account_id="123456789012",
        remediation="Enable S3 Block Public Access.",
        time=1_700_000_000_000,
    )


def _detection() -> Finding:
    return detection_finding(
        rule_id="cloudtrail_stop_logging",
        title="CloudTrail logging stopped",
        severity=Severity.HIGH,
        evidence_key="ev-1",
        engine="detect",
        evidences=[Evidence(data={"event_uids": ["ev-1"]})],
        attacks=[{"technique": {"uid": "T1562.008", "name": "Disable Cloud Logs"}}],
        account_id="123456789012",
        region="us-east-1",
        time=1_700_000_000_000,
    )


def _vulnerability() -> Finding:
    package = AffectedPackage(
        name="jinja2", version="2.10", purl="pkg:pypi/jinja2@2.10", fixed_in_version="2.10.1"
    )
    return vulnerability_finding(
        advisory_id="PYSEC-2019-217",
        title="jinja2 sandbox escape",
        severity=Severity.HIGH,
        package=package,
        location="requirements.txt",
        vulnerability=Vulnerability(
            title="sandbox escape", cve=Cve(uid="CVE-2019-10906"), affected_packages=[package]
        ),
        time=1_700_000_000_000,
    )


def _check_required(obj: Any, name: str | None = None) -> None:
    if isinstance(obj, list):
        for item in obj:
            _check_required(item, name)
        return
    if not isinstance(obj, dict):
        return
    required = OBJECT_REQUIRED.get(name or "", set())
    assert required <= obj.keys(), f"{name} lacks {required - obj.keys()}"
    for key, value in obj.items():
        child = {"affected_packages": "affected_package", "feature": None}.get(key, key)
        _check_required(value, child)


@pytest.mark.parametrize("build", [_compliance, _detection, _vulnerability])
def test_serialised_finding_has_every_required_ocsf_attribute(build: Any) -> None:
    data = json.loads(json.dumps(build().to_ocsf()))
    assert CLASS_REQUIRED[data["class_uid"]] <= data.keys()
    _check_required(data)
    assert data["category_uid"] == 2
    assert data["type_uid"] == data["class_uid"] * 100 + data["activity_id"]
    assert data["metadata"]["version"] == OCSF_VERSION
    assert data["metadata"]["product"]["name"] == "soryoku"
    assert data["severity"] == Severity(data["severity_id"]).label


def test_compliance_status_follows_the_check_result() -> None:
    assert _compliance(ResultStatus.FAIL).to_ocsf()["compliance"]["status_id"] == 3
    assert _compliance(ResultStatus.PASS).to_ocsf()["compliance"]["status_id"] == 1
    assert _compliance(ResultStatus.NOT_EVALUATED).to_ocsf()["compliance"]["status_id"] == 2
    assert _compliance().to_ocsf()["status_code"] == "FAIL"


def test_uid_is_stable_and_depends_on_check_and_resource_only() -> None:
    first, second = _compliance(), _compliance(ResultStatus.PASS)
    assert first.uid == second.uid == stable_uid("s3_bucket_public_access", RESOURCE.uid)
    other = compliance_finding(
        check_id="s3_bucket_public_access",
        title="x",
        status=ResultStatus.FAIL,
        severity=Severity.HIGH,
        resource=Resource(uid="arn:aws:s3:::other", type="AWS::S3::Bucket"),
        standards=["AWS-FSBP"],
    )
    assert other.uid != first.uid


@pytest.mark.parametrize("build", [_compliance, _detection, _vulnerability])
def test_round_trip_through_ocsf_json(build: Any) -> None:
    finding = build()
    assert Finding.from_ocsf(json.loads(json.dumps(finding.to_ocsf()))) == finding


def test_class_specific_attributes_are_enforced() -> None:
    with pytest.raises(ValidationError, match="requires `compliance`"):
        Finding(
            class_uid=FindingClass.COMPLIANCE,
            severity_id=Severity.LOW,
            time=1,
            finding_info={"uid": "u", "title": "t"},
        )  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="requires `vulnerabilities`"):
        Finding(
            class_uid=FindingClass.VULNERABILITY,
            severity_id=Severity.LOW,
            time=1,
            finding_info={"uid": "u", "title": "t"},
        )  # type: ignore[arg-type]


def test_unknown_attributes_are_rejected_so_typos_cannot_hide() -> None:
    with pytest.raises(ValidationError):
        Finding.from_ocsf({**_detection().to_ocsf(), "severty_id": 3})


def test_conveniences() -> None:
    finding = _compliance()
    assert finding.check_id == "s3_bucket_public_access"
    assert finding.engine == "posture"
    assert finding.account_uid == "123456789012"
    assert finding.region == "us-east-1"
    assert finding.resource_uid == RESOURCE.uid
    assert finding.status_id is WorkflowStatus.NEW
    assert Resource(uid="arn:aws:iam::111122223333:user/a", type="AWS::IAM::User").account_uid == (
        "111122223333"
    )
    assert Resource(uid="/tmp/x", type="File").account_uid is None
