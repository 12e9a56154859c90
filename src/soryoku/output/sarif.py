"""``sarif``: SARIF 2.1.0, for code-scanning dashboards and CI annotations.

One run; ``tool.driver.rules`` holds one rule per check/rule/advisory that produced a result.
Choices (documented in docs/formats.md):

* PASS results are omitted (SARIF consumers such as code-scanning dashboards treat results as
  alerts); their count is kept in ``runs[0].properties.passed``.
* NOT_EVALUATED results are ``kind: "open"`` (the tool could not decide), level ``none``.
* suppressed findings carry ``suppressions: [{kind: external, status: accepted, justification}]``;
  resolved ones ``baselineState: "absent"``.
* gaps are ``invocations[0].toolExecutionNotifications`` (level ``warning``).
* file paths (vuln package locations, scanned files) are ``physicalLocation.artifactLocation``;
  ARNs and other resource ids are ``logicalLocations`` (kind ``resource``).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import quote

from soryoku import __version__
from soryoku.core.finding import Finding, ResultStatus, WorkflowStatus
from soryoku.core.severity import Severity
from soryoku.output.base import Report, writer
from soryoku.output.table import by_severity, rationale, references, suppression_reason

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/soryoku/soryoku"
FINGERPRINT_KEY = "soryokuFindingUid/v1"

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFORMATIONAL: "note",
    Severity.UNKNOWN: "note",
}
# GitHub's bands: critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFORMATIONAL: "0.0",
    Severity.UNKNOWN: "0.0",
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def iso_time(ms: int) -> str:
    """An OCSF millisecond timestamp as SARIF/ASFF date-time (``2026-01-01T00:00:00.000Z``)."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def file_paths(finding: Finding) -> list[str]:
    """The files a finding points at: package locations, scanned files, path-shaped resources."""
    paths: list[str] = []
    for vulnerability in finding.vulnerabilities or []:
        paths.extend(p.path for p in vulnerability.affected_packages or [] if p.path)
    for evidence in finding.evidences or []:
        if evidence.file:
            path = evidence.file.get("path") or evidence.file.get("name")
            if isinstance(path, str) and path:
                paths.append(path)
    for resource in finding.resources:
        if not resource.uid.startswith("arn:") and (
            resource.uid.startswith(("/", "./"))
            or _SCHEME.match(resource.uid)
            or resource.type == "Package Location"
        ):
            paths.append(resource.uid)
    return list(dict.fromkeys(paths))


def artifact_uri(path: str) -> str:
    """A SARIF artifactLocation uri for a path: URIs kept, absolute paths as file://, others relative."""
    if _SCHEME.match(path):
        return path
    if path.startswith("/"):
        return "file://" + quote(path)
    return quote(path.removeprefix("./"))


def _rule_name(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", rule_id) if part)


def _rule(findings: list[Finding]) -> dict[str, Any]:
    first = findings[0]
    severity = max(f.severity_id for f in findings)
    analytic = first.finding_info.analytic
    title = analytic.name if analytic and analytic.name else first.finding_info.title
    desc = next((text for f in findings if (text := rationale(f))), None) or title
    remediation = next((f.remediation for f in findings if f.remediation), None)
    links = list(dict.fromkeys(ref for f in findings for ref in references(f)))
    help_text = f"Remediation: {remediation.desc}" if remediation else "Remediation: none recorded."
    help_markdown = (
        f"**Remediation.** {remediation.desc}" if remediation else "**Remediation.** none recorded."
    )
    if links:
        help_text += "\nReferences: " + " ".join(links)
        help_markdown += "\n\n**References**\n\n" + "\n".join(f"- <{ref}>" for ref in links)
    rule: dict[str, Any] = {
        "id": first.check_id,
        "name": _rule_name(first.check_id) or "Finding",
        "shortDescription": {"text": title},
        "fullDescription": {"text": desc},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "security-severity": _security_severity(findings, severity),
            "tags": sorted({"security", first.engine or "unknown", first.class_uid.caption}),
        },
    }
    if links:
        rule["helpUri"] = links[0]
    return rule


def _security_severity(findings: list[Finding], severity: Severity) -> str:
    scores = [
        float(score["base_score"])
        for f in findings
        for v in f.vulnerabilities or []
        if v.cve
        for score in v.cve.cvss or []
        if isinstance(score.get("base_score"), int | float)
    ]
    return f"{max(scores):.1f}" if scores else SECURITY_SEVERITY[severity]


def _locations(finding: Finding) -> list[dict[str, Any]]:
    locations: list[dict[str, Any]] = [
        {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}}}
        for path in file_paths(finding)
    ]
    logical = [
        {"fullyQualifiedName": r.uid, "kind": "resource", **({"name": r.name} if r.name else {})}
        for r in finding.resources
        if not locations or r.uid.startswith("arn:")
    ]
    if logical:
        locations.append({"logicalLocations": logical})
    return locations


def _message(finding: Finding) -> str:
    text = finding.message or finding.finding_info.title
    if finding.resource_uid and finding.resource_uid not in text:
        text = f"{text} ({finding.resource_uid})"
    return text


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.check_id, "ruleIndex": rule_index}
    if finding.status_code is ResultStatus.NOT_EVALUATED:
        result["kind"] = "open"
        result["level"] = "none"
    else:
        result["level"] = LEVELS[finding.severity_id]
    result["message"] = {"text": _message(finding)}
    locations = _locations(finding)
    if locations:
        result["locations"] = locations
    result["partialFingerprints"] = {FINGERPRINT_KEY: finding.uid}
    if finding.status_id is WorkflowStatus.SUPPRESSED:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        reason = suppression_reason(finding)
        if reason:
            suppression["justification"] = reason
        result["suppressions"] = [suppression]
    if finding.status_id is WorkflowStatus.RESOLVED:
        result["baselineState"] = "absent"
    properties: dict[str, Any] = {
        "severity": finding.severity_id.label,
        "engine": finding.engine,
        "status": finding.status_code.value,
        "workflowStatus": finding.status_id.caption,
    }
    if finding.account_uid:
        properties["account"] = finding.account_uid
    if finding.region:
        properties["region"] = finding.region
    if finding.compliance and finding.compliance.requirements:
        properties["requirements"] = list(finding.compliance.requirements)
    result["properties"] = properties
    return result


def _notifications(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "level": "warning",
            "descriptor": {"id": "not-evaluated"},
            "message": {
                "text": f"Not evaluated: {gap.scope}: {gap.reason}"
                + (f" (checks: {', '.join(gap.checks)})" if gap.checks else "")
            },
            "timeUtc": iso_time(report.generated_ms),
            "properties": {
                "engine": gap.engine,
                "scope": gap.scope,
                "reason": gap.reason,
                "checks": list(gap.checks),
            },
        }
        for gap in report.gaps
    ]


def build_sarif(report: Report) -> dict[str, Any]:
    """The SARIF 2.1.0 log of a report, as a JSON-ready dict."""
    shown = by_severity([f for f in report.findings if f.status_code is not ResultStatus.PASS])
    groups: dict[str, list[Finding]] = {}
    for finding in shown:
        groups.setdefault(finding.check_id, []).append(finding)
    rule_ids = sorted(groups)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "soryoku",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(groups[rule_id]) for rule_id in rule_ids],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "endTimeUtc": iso_time(report.generated_ms),
                "toolExecutionNotifications": _notifications(report),
            }
        ],
        "results": [_result(f, index[f.check_id]) for f in shown],
        "columnKind": "unicodeCodePoints",
        "properties": {
            "title": report.title,
            "scope": report.scope,
            "passed": sum(1 for f in report.findings if f.status_code is ResultStatus.PASS),
            "notEvaluatedScopes": len(report.gaps),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


@writer("sarif", description="SARIF 2.1.0 log (PASS omitted, gaps as notifications)", extension="sarif")
def write_sarif(report: Report, stream: IO[str]) -> None:
    """Write the report as a SARIF 2.1.0 log."""
    json.dump(build_sarif(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


__all__ = [
    "FINGERPRINT_KEY",
    "SARIF_SCHEMA",
    "SARIF_VERSION",
    "artifact_uri",
    "build_sarif",
    "file_paths",
    "iso_time",
    "write_sarif",
]
