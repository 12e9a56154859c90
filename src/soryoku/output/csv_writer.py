"""``csv``: one row per finding with stable columns, plus one row per gap.

Columns are ``COLUMNS`` (documented in docs/formats.md). ``row_kind`` is ``finding`` or ``gap``; a
gap row fills ``engine``, ``status_code`` (NOT_EVALUATED), ``check_id`` (the checks, ``;``-joined)
and the ``gap_*`` columns. The compliance columns make the framework view derivable: split
``compliance_requirements`` on ``;`` into ``STANDARD/REQUIREMENT`` pairs and count
``compliance_status`` per pair.

Cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or carriage
return) are prefixed with ``'``. The compliance attribution (``compliance_pairs``) is shared
with the HTML report, so both agree.
"""

from __future__ import annotations

import csv
from typing import IO

from soryoku.core.finding import Finding, WorkflowStatus
from soryoku.core.result import Gap
from soryoku.output.base import Report, writer
from soryoku.output.sarif import file_paths, iso_time
from soryoku.output.table import rationale, references, suppression_reason

UNATTRIBUTED = "(no standard named)"
LIST_SEPARATOR = ";"
REQUIREMENT_SEPARATORS = "/:"
# Text from the scanned estate (object keys, log fields, tag values) may start like a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: tuple[str, ...] = (
    "row_kind",
    "finding_uid",
    "engine",
    "class_name",
    "check_id",
    "title",
    "severity",
    "status_code",
    "workflow_status",
    "suppressed",
    "suppression_reason",
    "account_id",
    "region",
    "resource_uid",
    "resource_type",
    "resource_name",
    "resource_count",
    "message",
    "description",
    "remediation",
    "references",
    "compliance_standards",
    "compliance_requirements",
    "compliance_status",
    "cve_ids",
    "packages",
    "file_paths",
    "attacks",
    "malware",
    "first_seen",
    "last_seen",
    "time",
    "gap_scope",
    "gap_reason",
    "gap_checks",
)


def compliance_pairs(finding: Finding) -> list[tuple[str, str]]:
    """The (standard, requirement) pairs a finding counts toward.

    A requirement written ``STANDARD/ID`` (or ``STANDARD:ID``) whose prefix is one of the finding's
    standards belongs to that standard; an unprefixed one belongs to the only standard when there
    is one, else to ``UNATTRIBUTED``. A standard without any requirement gives ``(standard, "")``.
    """
    compliance = finding.compliance
    if compliance is None:
        return []
    standards = list(dict.fromkeys(compliance.standards))
    by_length = sorted(standards, key=len, reverse=True)
    pairs: list[tuple[str, str]] = []
    for raw in compliance.requirements or []:
        requirement = raw.strip()
        owner = next(
            (
                s
                for s in by_length
                if len(requirement) > len(s) + 1
                and requirement.startswith(s)
                and requirement[len(s)] in REQUIREMENT_SEPARATORS
            ),
            None,
        )
        if owner is not None:
            pairs.append((owner, requirement[len(owner) + 1 :].strip()))
        elif len(standards) == 1:
            pairs.append((standards[0], requirement))
        else:
            pairs.append((UNATTRIBUTED, requirement))
    attributed = {standard for standard, _ in pairs}
    pairs.extend((standard, "") for standard in standards if standard not in attributed)
    return list(dict.fromkeys(pairs))


def _join(values: list[str]) -> str:
    return LIST_SEPARATOR.join(v for v in values if v)


def finding_row(finding: Finding) -> dict[str, str]:
    """The CSV row of one finding."""
    resource = finding.resources[0] if finding.resources else None
    remediation = finding.remediation
    cves = [v.cve.uid for v in finding.vulnerabilities or [] if v.cve]
    packages = [
        f"{p.name}@{p.version}" + (f">{p.fixed_in_version}" if p.fixed_in_version else "")
        for v in finding.vulnerabilities or []
        for p in v.affected_packages or []
    ]
    attacks = [
        str((a.get("technique") or {}).get("uid") or (a.get("tactic") or {}).get("name") or "")
        for a in finding.finding_info.attacks or []
    ]
    malware = [str(m.get("name", "")) for m in finding.malware or []]
    return {
        "row_kind": "finding",
        "finding_uid": finding.uid,
        "engine": finding.engine,
        "class_name": finding.class_uid.caption,
        "check_id": finding.check_id,
        "title": finding.finding_info.title,
        "severity": finding.severity_id.label,
        "status_code": finding.status_code.value,
        "workflow_status": finding.status_id.caption,
        "suppressed": "true" if finding.status_id is WorkflowStatus.SUPPRESSED else "false",
        "suppression_reason": suppression_reason(finding) or "",
        "account_id": finding.account_uid or "",
        "region": finding.region or "",
        "resource_uid": resource.uid if resource else "",
        "resource_type": resource.type if resource else "",
        "resource_name": (resource.name or "") if resource else "",
        "resource_count": str(len(finding.resources)),
        "message": finding.message or "",
        "description": rationale(finding) or "",
        "remediation": remediation.desc if remediation else "",
        "references": _join(references(finding)),
        "compliance_standards": _join(list(finding.compliance.standards)) if finding.compliance else "",
        "compliance_requirements": _join([f"{s}/{r}" for s, r in compliance_pairs(finding) if r]),
        "compliance_status": finding.status_code.value if finding.compliance else "",
        "cve_ids": _join(cves),
        "packages": _join(packages),
        "file_paths": _join(file_paths(finding)),
        "attacks": _join(attacks),
        "malware": _join(malware),
        "first_seen": iso_time(finding.finding_info.first_seen_time)
        if finding.finding_info.first_seen_time
        else "",
        "last_seen": iso_time(finding.finding_info.last_seen_time)
        if finding.finding_info.last_seen_time
        else "",
        "time": iso_time(finding.time),
        "gap_scope": "",
        "gap_reason": "",
        "gap_checks": "",
    }


def neutralise(value: str) -> str:
    """A cell that spreadsheets will not run as a formula (OWASP CSV injection): ``'`` prefixed."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def gap_row(gap: Gap) -> dict[str, str]:
    """The CSV row of one gap (``row_kind`` = ``gap``)."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        row_kind="gap",
        engine=gap.engine,
        check_id=_join(list(gap.checks)),
        title=f"Not evaluated: {gap.scope}",
        status_code="NOT_EVALUATED",
        gap_scope=gap.scope,
        gap_reason=gap.reason,
        gap_checks=_join(list(gap.checks)),
    )
    return row


@writer("csv", description="one row per finding, one per gap; stable columns", extension="csv")
def write_csv(report: Report, stream: IO[str]) -> None:
    """Write the report as CSV with the header ``COLUMNS``."""
    out = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    out.writeheader()
    for finding in report.findings:
        out.writerow({k: neutralise(v) for k, v in finding_row(finding).items()})
    for gap in report.gaps:
        out.writerow({k: neutralise(v) for k, v in gap_row(gap).items()})


__all__ = ["COLUMNS", "UNATTRIBUTED", "compliance_pairs", "finding_row", "gap_row", "neutralise", "write_csv"]
