"""``json-asff``: AWS Security Finding Format, as Security Hub's BatchImportFindings takes it.

``to_asff`` maps one Finding; the ``json-asff`` writer emits a JSON array of them, and the
Security Hub exporter sends the same objects. Gaps become ASFF findings with
``Compliance.Status: NOT_AVAILABLE`` (Security Hub's own "the check could not be performed").

Mapping choices (docs/formats.md): ``Id`` is the finding uid; ``ProductArn`` is the account's
default product ``arn:aws:securityhub:<region>:<account>:product/<account>/default``; the account is
the finding's, else the caller's (exporter) or the report's most common one, else
``000000000000``; a finding without resources gets the account itself (``AwsAccount``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import IO, Any

from soryoku import __version__
from soryoku.core.finding import Finding, FindingClass, ResultStatus, WorkflowStatus
from soryoku.core.severity import Severity
from soryoku.output.base import Report, writer
from soryoku.output.csv_writer import compliance_pairs
from soryoku.output.json_ocsf import gap_finding
from soryoku.output.sarif import file_paths, iso_time
from soryoku.output.table import rationale, suppression_reason

SCHEMA_VERSION = "2018-10-08"
PLACEHOLDER_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"
TITLE_MAX = 256
DESCRIPTION_MAX = 1024
RECOMMENDATION_MAX = 512
ID_MAX = 512
MAX_RESOURCES = 32
MAX_REQUIREMENTS = 32
MAX_TYPES = 50
MAX_MALWARE = 5

SEVERITY_LABELS = {
    Severity.UNKNOWN: "INFORMATIONAL",
    Severity.INFORMATIONAL: "INFORMATIONAL",
    Severity.LOW: "LOW",
    Severity.MEDIUM: "MEDIUM",
    Severity.HIGH: "HIGH",
    Severity.CRITICAL: "CRITICAL",
}
COMPLIANCE_STATUS = {
    ResultStatus.PASS: "PASSED",
    ResultStatus.FAIL: "FAILED",
    ResultStatus.NOT_EVALUATED: "NOT_AVAILABLE",
}
WORKFLOW_STATUS = {
    WorkflowStatus.NEW: "NEW",
    WorkflowStatus.IN_PROGRESS: "NOTIFIED",
    WorkflowStatus.SUPPRESSED: "SUPPRESSED",
    WorkflowStatus.RESOLVED: "RESOLVED",
}
# ASFF's finding-type taxonomy: namespace/category/classifier; these are its valid namespaces.
NAMESPACES = (
    "Software and Configuration Checks",
    "TTPs",
    "Effects",
    "Unusual Behaviors",
    "Sensitive Data Identifications",
)
TTP_CATEGORIES = (
    "Initial Access",
    "Execution",
    "Persistence",
    "Privilege Escalation",
    "Defense Evasion",
    "Credential Access",
    "Discovery",
    "Lateral Movement",
    "Collection",
    "Command and Control",
)
_CFN_TYPE = re.compile(r"^AWS::([A-Za-z0-9]+)::([A-Za-z0-9]+)$")
_ACCOUNT = re.compile(r"^\d{12}$")


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def product_arn(region: str, account_id: str) -> str:
    """The ARN of an account's own (default) Security Hub product."""
    return f"arn:aws:securityhub:{region}:{account_id}:product/{account_id}/default"


def resource_type(ocsf_type: str) -> str:
    """An ASFF resource type: ``AWS::S3::Bucket`` → ``AwsS3Bucket``; ``Aws…`` kept; else ``Other``."""
    match = _CFN_TYPE.match(ocsf_type)
    if match:
        return f"Aws{match.group(1)}{match.group(2)}"
    if re.match(r"^Aws[A-Z][A-Za-z0-9]*$", ocsf_type):
        return ocsf_type
    return "Other"


def finding_types(finding: Finding) -> list[str]:
    """ASFF ``Types`` in its taxonomy, from the finding's class, standards, attacks and malware."""
    types: list[str] = [t for t in finding.finding_info.types or [] if t.startswith(NAMESPACES)]
    if finding.class_uid is FindingClass.COMPLIANCE and finding.compliance:
        types.append("Software and Configuration Checks/AWS Security Best Practices")
        types.extend(
            "Software and Configuration Checks/Industry and Regulatory Standards/"
            + standard.replace("/", "-")
            for standard in finding.compliance.standards
            if standard != "soryoku"
        )
    elif finding.class_uid is FindingClass.VULNERABILITY:
        cves = [v.cve.uid for v in finding.vulnerabilities or [] if v.cve and v.cve.uid.startswith("CVE-")]
        types.append("Software and Configuration Checks/Vulnerabilities/" + ("CVE" if cves else "Advisory"))
    else:
        for attack in finding.finding_info.attacks or []:
            tactic = str((attack.get("tactic") or {}).get("name") or "")
            if tactic in TTP_CATEGORIES:
                types.append(f"TTPs/{tactic}")
        if finding.malware:
            types.append("TTPs/Execution/Malware")
        if not types:
            types.append("Unusual Behaviors/Application")
    return list(dict.fromkeys(types))[:MAX_TYPES]


def _partition(uid: str, fallback: str | None) -> str:
    parts = uid.split(":")
    if len(parts) > 2 and parts[0] == "arn" and parts[1]:
        return parts[1]
    return fallback or "aws"


def _resources(finding: Finding, account_id: str, region: str) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = []
    for resource in finding.resources[:MAX_RESOURCES]:
        item: dict[str, Any] = {
            "Type": resource_type(resource.type),
            "Id": truncate(resource.uid, ID_MAX),
            "Partition": _partition(resource.uid, resource.cloud_partition),
            "Region": resource.region or region,
        }
        if resource.tags:
            item["Tags"] = {t["key"]: t.get("value", "") for t in resource.tags if "key" in t}
        details = {"Type": resource.type}
        if resource.name:
            details["Name"] = resource.name
        item["Details"] = {"Other": details}
        resources.append(item)
    if not resources:
        resources.append(
            {"Type": "AwsAccount", "Id": f"AWS::::Account:{account_id}", "Partition": "aws", "Region": region}
        )
    return resources


def _vulnerabilities(finding: Finding) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for vulnerability in finding.vulnerabilities or []:
        item: dict[str, Any] = {"Id": vulnerability.cve.uid if vulnerability.cve else finding.check_id}
        packages = [
            {
                k: v
                for k, v in {
                    "Name": p.name,
                    "Version": p.version,
                    "FixedInVersion": p.fixed_in_version,
                    "FilePath": p.path,
                    "PackageManager": p.package_manager,
                }.items()
                if v
            }
            for p in vulnerability.affected_packages or []
        ]
        if packages:
            item["VulnerablePackages"] = packages
        if vulnerability.fix_available is not None:
            item["FixAvailable"] = "YES" if vulnerability.fix_available else "NO"
        if vulnerability.references:
            item["ReferenceUrls"] = list(vulnerability.references)
        items.append(item)
    return items


def to_asff(
    finding: Finding,
    *,
    account_id: str | None = None,
    region: str | None = None,
    importer: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """One Finding as an ASFF object.

    ``account_id``/``region`` fill what the finding lacks. ``importer`` is the (account, region)
    of the Security Hub that receives the finding: its default product is the ``ProductArn``
    (the finding's own account and region otherwise), so an administrator account can import
    findings about member accounts.
    """
    account = finding.account_uid or account_id or PLACEHOLDER_ACCOUNT
    if not _ACCOUNT.match(account):
        account = account_id if account_id and _ACCOUNT.match(account_id) else PLACEHOLDER_ACCOUNT
    where = finding.region or region or DEFAULT_REGION
    product_account, product_region = importer or (account, where)
    info = finding.finding_info
    created = info.first_seen_time or finding.time
    updated = max(info.last_seen_time or finding.time, created)
    description = rationale(finding) or finding.message or info.title
    asff: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": truncate(finding.uid, ID_MAX),
        "ProductArn": product_arn(product_region, product_account),
        "ProductName": "soryoku",
        "CompanyName": "soryoku",
        "GeneratorId": truncate(finding.check_id or finding.engine or "soryoku", ID_MAX),
        "AwsAccountId": account,
        "Types": finding_types(finding),
        "FirstObservedAt": iso_time(created),
        "LastObservedAt": iso_time(updated),
        "CreatedAt": iso_time(created),
        "UpdatedAt": iso_time(updated),
        "Severity": {"Label": SEVERITY_LABELS[finding.severity_id], "Original": finding.severity_id.label},
        "Title": truncate(info.title, TITLE_MAX),
        "Description": truncate(description, DESCRIPTION_MAX),
        "Resources": _resources(finding, account, where),
        "Workflow": {"Status": WORKFLOW_STATUS[finding.status_id]},
        "RecordState": "ARCHIVED" if finding.status_id is WorkflowStatus.RESOLVED else "ACTIVE",
        "ProductFields": {
            "ProviderName": "soryoku",
            "ProviderVersion": __version__,
            "soryoku/engine": finding.engine or "unknown",
            "soryoku/check_id": finding.check_id,
            "soryoku/status_code": finding.status_code.value,
            "soryoku/ocsf_class": str(int(finding.class_uid)),
        },
    }
    if finding.compliance is not None:
        requirements = [f"{s}/{r}" if r else s for s, r in compliance_pairs(finding)]
        compliance: dict[str, Any] = {"Status": COMPLIANCE_STATUS[finding.status_code]}
        if requirements:
            compliance["RelatedRequirements"] = requirements[:MAX_REQUIREMENTS]
        if finding.compliance.status_detail:
            compliance["StatusReasons"] = [
                {
                    "ReasonCode": "SORYOKU_" + finding.status_code.value,
                    "Description": truncate(finding.compliance.status_detail, DESCRIPTION_MAX),
                }
            ]
        asff["Compliance"] = compliance
    if finding.remediation is not None:
        recommendation: dict[str, Any] = {"Text": truncate(finding.remediation.desc, RECOMMENDATION_MAX)}
        if finding.remediation.references:
            recommendation["Url"] = finding.remediation.references[0]
        asff["Remediation"] = {"Recommendation": recommendation}
    vulnerabilities = _vulnerabilities(finding)
    if vulnerabilities:
        asff["Vulnerabilities"] = vulnerabilities
    if finding.malware:
        asff["Malware"] = [
            {
                k: v
                for k, v in {"Name": str(m.get("name") or "unknown"), "Path": _malware_path(finding)}.items()
                if v
            }
            for m in finding.malware[:MAX_MALWARE]
        ]
    reason = suppression_reason(finding)
    if reason:
        asff["Note"] = {
            "Text": truncate(f"Suppressed: {reason}", 512),
            "UpdatedBy": "soryoku",
            "UpdatedAt": iso_time(updated),
        }
    return asff


def _malware_path(finding: Finding) -> str | None:
    paths = file_paths(finding)
    return paths[0] if paths else None


def report_defaults(report: Report) -> tuple[str | None, str | None]:
    """The most common account and region among a report's findings (fill-ins for the rest)."""
    accounts = Counter(f.account_uid for f in report.findings if f.account_uid)
    regions = Counter(f.region for f in report.findings if f.region)
    return (
        accounts.most_common(1)[0][0] if accounts else None,
        regions.most_common(1)[0][0] if regions else None,
    )


def report_asff(report: Report) -> list[dict[str, Any]]:
    """The ASFF objects of a report: its findings, then one per gap."""
    account, region = report_defaults(report)
    objects = [to_asff(f, account_id=account, region=region) for f in report.findings]
    objects.extend(
        to_asff(gap_finding(gap, report.generated_ms), account_id=account, region=region)
        for gap in report.gaps
    )
    return objects


@writer("json-asff", description="JSON array of AWS Security Finding Format objects", extension="asff")
def write_asff(report: Report, stream: IO[str]) -> None:
    """Write the report as a JSON array of ASFF findings."""
    json.dump(report_asff(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


__all__ = [
    "COMPLIANCE_STATUS",
    "NAMESPACES",
    "SCHEMA_VERSION",
    "finding_types",
    "product_arn",
    "report_asff",
    "resource_type",
    "to_asff",
    "truncate",
    "write_asff",
]
