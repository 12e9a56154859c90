"""json-asff: every required ASFF field, the limits, and the status mappings."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from typing import Any

from soryoku.core.finding import Finding
from soryoku.output.asff import NAMESPACES, to_asff, write_asff
from soryoku.output.base import Report
from soryoku.output.json_ocsf import GAP_ANALYTIC

REQUIRED = (
    "SchemaVersion",
    "Id",
    "ProductArn",
    "GeneratorId",
    "AwsAccountId",
    "Types",
    "CreatedAt",
    "UpdatedAt",
    "Severity",
    "Title",
    "Description",
    "Resources",
)
PRODUCT_ARN = re.compile(r"^arn:aws:securityhub:[a-z0-9-]+:(\d{12}):product/(\d{12})/default$")


def _asff(report: Report) -> list[dict[str, Any]]:
    stream = io.StringIO()
    write_asff(report, stream)
    data = json.loads(stream.getvalue())
    assert isinstance(data, list)
    return data


def _check_required(obj: dict[str, Any]) -> None:
    for name in REQUIRED:
        assert name in obj, name
    assert obj["SchemaVersion"] == "2018-10-08"
    assert 0 < len(obj["Id"]) <= 512 and 0 < len(obj["GeneratorId"]) <= 512
    assert re.fullmatch(r"\d{12}", obj["AwsAccountId"])
    match = PRODUCT_ARN.match(obj["ProductArn"])
    assert match and match.group(1) == match.group(2)
    assert obj["Types"] and all(t.split("/")[0] in NAMESPACES for t in obj["Types"])
    for stamp in ("CreatedAt", "UpdatedAt", "FirstObservedAt", "LastObservedAt"):
        assert obj[stamp].endswith("Z")
        datetime.fromisoformat(obj[stamp])
    assert obj["CreatedAt"] <= obj["UpdatedAt"]
    assert obj["Severity"]["Label"] in {"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}
    assert 0 < len(obj["Title"]) <= 256
    assert 0 < len(obj["Description"]) <= 1024
    assert 1 <= len(obj["Resources"]) <= 32
    for resource in obj["Resources"]:
        assert resource["Type"] and resource["Id"] and resource["Partition"] and resource["Region"]
    assert obj["Workflow"]["Status"] in {"NEW", "NOTIFIED", "SUPPRESSED", "RESOLVED"}
    assert obj["RecordState"] in {"ACTIVE", "ARCHIVED"}
    if "Compliance" in obj:
        assert obj["Compliance"]["Status"] in {"PASSED", "WARNING", "FAILED", "NOT_AVAILABLE"}
        assert len(obj["Compliance"].get("RelatedRequirements", [])) <= 32
    if "Remediation" in obj:
        assert len(obj["Remediation"]["Recommendation"]["Text"]) <= 512


def test_every_object_has_the_required_fields(report: Report) -> None:
    objects = _asff(report)
    assert len(objects) == len(report.findings) + len(report.gaps)
    for obj in objects:
        _check_required(obj)


def test_compliance_workflow_and_record_state(report: Report) -> None:
    by_id = {o["Id"]: o for o in _asff(report)}

    def of(check: str, index: int = 0) -> dict[str, Any]:
        return by_id[[f for f in report.findings if f.check_id == check][index].uid]

    failing = of("s3_bucket_public_access")
    assert failing["Compliance"]["Status"] == "FAILED"
    assert failing["Compliance"]["RelatedRequirements"] == [
        "CIS-AWS-3.0/2.1.4",
        "AWS-FSBP/S3.8",
    ]
    standards_type = "Software and Configuration Checks/Industry and Regulatory Standards/"
    assert standards_type + "CIS-AWS-3.0" in failing["Types"]
    assert failing["Resources"][0]["Type"] == "AwsS3Bucket"
    assert failing["Remediation"]["Recommendation"]["Url"].startswith("https://")
    assert of("s3_bucket_public_access", 1)["Compliance"]["Status"] == "PASSED"
    assert of("guardduty_enabled")["Compliance"]["Status"] == "NOT_AVAILABLE"
    suppressed = of("iam_user_console_mfa")
    assert suppressed["Workflow"]["Status"] == "SUPPRESSED"
    assert suppressed["Note"]["Text"] == "Suppressed: break-glass account, reviewed 2026-10"
    resolved = of("ebs_default_encryption")
    assert resolved["RecordState"] == "ARCHIVED" and resolved["Workflow"]["Status"] == "RESOLVED"
    assert of("s3_bucket_public_access")["RecordState"] == "ACTIVE"


def test_detection_and_vulnerability_fields(report: Report) -> None:
    by_generator = {o["GeneratorId"]: o for o in _asff(report)}
    login = by_generator["console_login_without_mfa"]
    assert "TTPs/Initial Access" in login["Types"]
    assert "Compliance" not in login
    malware = by_generator["yara:EICAR_Test_File"]
    assert malware["Malware"] == [{"Name": "EICAR-Test-File", "Path": "s3://web-assets/js/app.js"}]
    vuln = by_generator["CVE-2023-0286"]
    assert vuln["Types"] == ["Software and Configuration Checks/Vulnerabilities/CVE"]
    assert vuln["Vulnerabilities"][0]["Id"] == "CVE-2023-0286"
    assert vuln["Vulnerabilities"][0]["VulnerablePackages"][0]["FixedInVersion"] == "3.0.2-0ubuntu1.12"
    assert vuln["AwsAccountId"] == "123456789012"  # filled in from the report's account
    shield = by_generator["shield_sqli_blocked"]
    assert shield["Resources"] == [
        {"Type": "AwsAccount", "Id": "AWS::::Account:123456789012", "Partition": "aws", "Region": "us-east-1"}
    ]


def test_gaps_are_not_available_findings(report: Report) -> None:
    gaps = [o for o in _asff(report) if o["GeneratorId"] == GAP_ANALYTIC]
    assert [o["Resources"][0]["Id"] for o in gaps] == [g.scope for g in report.gaps]
    assert gaps[0]["Compliance"]["Status"] == "NOT_AVAILABLE"
    assert "AccessDenied" in gaps[0]["Description"]


def test_limits_truncate_long_text(report: Report) -> None:
    vuln = next(f for f in report.findings if f.check_id == "CVE-2023-0286")
    long = vuln.model_copy(deep=True)
    long.finding_info.title = "T" * 400
    long.finding_info.desc = "D" * 5000
    obj = to_asff(long)
    assert len(obj["Title"]) == 256 and obj["Title"].endswith("…")
    assert len(obj["Description"]) == 1024 and obj["Description"].endswith("…")


def test_account_and_region_fill_ins() -> None:
    finding = Finding.from_ocsf(
        {
            "class_uid": 2004,
            "severity_id": 2,
            "time": 0,
            "finding_info": {"uid": "u1", "title": "t", "analytic": {"uid": "r1"}},
        }
    )
    obj = to_asff(finding, account_id="210987654321", region="eu-central-1")
    assert obj["AwsAccountId"] == "210987654321"
    assert obj["ProductArn"] == "arn:aws:securityhub:eu-central-1:210987654321:product/210987654321/default"
    assert to_asff(finding)["AwsAccountId"] == "000000000000"
