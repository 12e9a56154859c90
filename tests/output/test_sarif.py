"""sarif: the required properties of the SARIF 2.1.0 schema, and soryoku's documented choices."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from soryoku.core.finding import ResultStatus
from soryoku.output.base import Report
from soryoku.output.sarif import FINGERPRINT_KEY, write_sarif

LEVELS = {"none", "note", "warning", "error"}
KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}


def _sarif(report: Report) -> dict[str, Any]:
    stream = io.StringIO()
    write_sarif(report, stream)
    data = json.loads(stream.getvalue())
    assert isinstance(data, dict)
    return data


def _message_ok(message: Any) -> bool:
    return isinstance(message, dict) and (isinstance(message.get("text"), str) or "id" in message)


def test_required_properties_of_the_schema(report: Report) -> None:
    log = _sarif(report)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "soryoku"
    for rule in driver["rules"]:
        assert isinstance(rule["id"], str) and rule["id"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"].startswith("Remediation:")
        assert rule["defaultConfiguration"]["level"] in LEVELS
        assert 0.0 <= float(rule["properties"]["security-severity"]) <= 10.0
    for invocation in run["invocations"]:
        assert isinstance(invocation["executionSuccessful"], bool)
        for note in invocation["toolExecutionNotifications"]:
            assert _message_ok(note["message"])
            assert note["level"] in LEVELS
    for result in run["results"]:
        assert _message_ok(result["message"])
        assert result["level"] in LEVELS
        assert result.get("kind", "fail") in KINDS
        if result.get("kind", "fail") != "fail":
            assert result["level"] == "none"  # §3.27.10: kind other than fail has level none
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert set(result["partialFingerprints"]) == {FINGERPRINT_KEY}
        for location in result.get("locations", []):
            assert "physicalLocation" in location or "logicalLocations" in location
            if "physicalLocation" in location:
                uri = location["physicalLocation"]["artifactLocation"]["uri"]
                assert re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[^:]*$", uri), uri


def test_results_are_failures_and_open_items_but_not_passes(report: Report) -> None:
    run = _sarif(report)["runs"][0]
    expected = [f for f in report.findings if f.status_code is not ResultStatus.PASS]
    assert len(run["results"]) == len(expected)
    assert run["properties"]["passed"] == 1
    uids = {r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]}
    assert uids == {f.uid for f in expected}
    open_items = [r for r in run["results"] if r.get("kind") == "open"]
    assert [r["ruleId"] for r in open_items] == ["guardduty_enabled"]


SG_ARN = "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0"


def test_locations_files_and_arns(report: Report) -> None:
    results = {r["ruleId"]: r for r in _sarif(report)["runs"][0]["results"]}
    vuln = results["CVE-2023-0286"]["locations"]
    assert vuln[0]["physicalLocation"]["artifactLocation"]["uri"] == "file:///var/lib/dpkg/status"
    content = results["yara:EICAR_Test_File"]["locations"]
    assert content[0]["physicalLocation"]["artifactLocation"]["uri"] == "s3://web-assets/js/app.js"
    assert content[1]["logicalLocations"][0]["fullyQualifiedName"] == "arn:aws:s3:::web-assets/js/app.js"
    ssh = results["ec2_securitygroup_open_ssh"]["locations"]
    assert ssh == [
        {
            "logicalLocations": [
                {
                    "fullyQualifiedName": SG_ARN,
                    "kind": "resource",
                    "name": "web-sg",
                }
            ]
        }
    ]
    assert "locations" not in results["shield_sqli_blocked"]


def test_suppressed_and_resolved(report: Report) -> None:
    results = {r["ruleId"]: r for r in _sarif(report)["runs"][0]["results"]}
    assert results["iam_user_console_mfa"]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "break-glass account, reviewed 2026-10"}
    ]
    assert results["ebs_default_encryption"]["baselineState"] == "absent"
    assert "suppressions" not in results["s3_bucket_public_access"]


def test_gaps_are_tool_execution_notifications(report: Report) -> None:
    notes = _sarif(report)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["properties"]["scope"] for n in notes] == [g.scope for g in report.gaps]
    assert "guardduty_enabled" in notes[0]["message"]["text"]


def test_rule_help_and_severity(report: Report) -> None:
    rules = {r["id"]: r for r in _sarif(report)["runs"][0]["tool"]["driver"]["rules"]}
    ssh = rules["ec2_securitygroup_open_ssh"]
    assert ssh["defaultConfiguration"]["level"] == "error"
    assert ssh["properties"]["security-severity"] == "9.5"
    assert "Session Manager" in ssh["help"]["text"]
    assert ssh["helpUri"].startswith("https://docs.aws.amazon.com/")
    assert rules["CVE-2023-0286"]["properties"]["security-severity"] == "7.4"  # its CVSS base score
    assert rules["shield_sqli_blocked"]["defaultConfiguration"]["level"] == "note"
