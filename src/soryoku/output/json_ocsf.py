"""``json-ocsf``: the report as one JSON array of OCSF finding objects.

Every element is an OCSF finding that ``Finding.from_ocsf`` reads back. What could not be
evaluated (``Report.gaps``) is not dropped: each gap becomes one more element with
``status_code: "NOT_EVALUATED"``, severity Unknown and ``unmapped.soryoku_gap`` holding the gap
itself, so an OCSF consumer keeps it and a reader can filter on that key.
"""

from __future__ import annotations

import json
from typing import IO, Any

from soryoku.core.finding import (
    Analytic,
    Compliance,
    ComplianceStatus,
    Feature,
    Finding,
    FindingClass,
    FindingInfo,
    Metadata,
    Product,
    Resource,
    ResultStatus,
    stable_uid,
)
from soryoku.core.result import Gap
from soryoku.core.severity import Severity
from soryoku.output.base import Report, writer

GAP_KEY = "soryoku_gap"
GAP_ANALYTIC = "soryoku-not-evaluated"


def gap_finding(gap: Gap, time_ms: int) -> Finding:
    """An OCSF finding that stands for one gap (Compliance for posture, Detection otherwise)."""
    checks = ", ".join(gap.checks) if gap.checks else "all checks in scope"
    text = f"Not evaluated ({checks}): {gap.reason}"
    is_posture = gap.engine == "posture"
    return Finding(
        class_uid=FindingClass.COMPLIANCE if is_posture else FindingClass.DETECTION,
        severity_id=Severity.UNKNOWN,
        time=time_ms,
        status_code=ResultStatus.NOT_EVALUATED,
        status_detail=gap.reason,
        message=text,
        metadata=Metadata(product=Product(feature=Feature(name=gap.engine))),
        finding_info=FindingInfo(
            uid=stable_uid(GAP_ANALYTIC, gap.engine, gap.scope, gap.reason, *gap.checks),
            title=f"Not evaluated: {gap.scope}",
            desc=text,
            analytic=Analytic(uid=GAP_ANALYTIC, name="Not evaluated"),
        ),
        resources=[Resource(uid=gap.scope, type="Scope")],
        compliance=Compliance(
            standards=["soryoku"],
            status_id=ComplianceStatus.WARNING,
            status="Warning",
            status_code=ResultStatus.NOT_EVALUATED.value,
            status_detail=gap.reason,
        )
        if is_posture
        else None,
        unmapped={
            GAP_KEY: {
                "engine": gap.engine,
                "scope": gap.scope,
                "reason": gap.reason,
                "checks": list(gap.checks),
            }
        },
    )


def is_gap_object(data: dict[str, Any]) -> bool:
    """True when an OCSF object written by soryoku stands for a gap, not a finding."""
    unmapped = data.get("unmapped")
    return isinstance(unmapped, dict) and GAP_KEY in unmapped


def report_objects(report: Report) -> list[dict[str, Any]]:
    """The OCSF objects of a report: its findings, then one object per gap."""
    objects = [finding.to_ocsf() for finding in report.findings]
    objects.extend(gap_finding(gap, report.generated_ms).to_ocsf() for gap in report.gaps)
    return objects


@writer("json-ocsf", description="JSON array of OCSF 1.x finding objects (gaps included)", extension="json")
def write_json_ocsf(report: Report, stream: IO[str]) -> None:
    """Write the report as a JSON array of OCSF objects."""
    json.dump(report_objects(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


__all__ = ["GAP_ANALYTIC", "GAP_KEY", "gap_finding", "is_gap_object", "report_objects", "write_json_ocsf"]
