"""Builders of findings and runs for the hub tests."""

from __future__ import annotations

from soryoku.core.finding import Finding, Resource, ResultStatus, compliance_finding
from soryoku.core.result import Gap, ScanResult
from soryoku.core.severity import Severity

ACCOUNT = "123456789012"
DAY_MS = 86_400_000
# 2026-11-01T00:00:00Z: runs in the tests happen on days counted from here.
T0 = 1_793_491_200_000


def at(day: int) -> int:
    """The OCSF timestamp of noon on ``day`` days after T0."""
    return T0 + day * DAY_MS + DAY_MS // 2


def posture(
    check: str,
    resource: str,
    status: ResultStatus = ResultStatus.FAIL,
    *,
    severity: Severity = Severity.HIGH,
    region: str = "eu-west-1",
    tags: dict[str, str] | None = None,
    resource_type: str = "AwsS3Bucket",
) -> Finding:
    """A Compliance Finding of check ``check`` on resource ``resource`` (an ARN or a bucket name)."""
    uid = resource if resource.startswith("arn:") else f"arn:aws:s3:::{resource}"
    return compliance_finding(
        check_id=check,
        title=f"{check} on {resource}",
        status=status,
        severity=severity,
        resource=Resource(
            uid=uid,
            type=resource_type,
            name=resource,
            region=region,
            tags=[{"name": k, "value": v} for k, v in (tags or {}).items()] or None,
        ),
        standards=["soryoku"],
        account_id=ACCOUNT,
        region=region,
        time=T0,
    )


def run(
    findings: list[Finding],
    day: int,
    *,
    engine: str = "posture",
    scope: str = f"{ACCOUNT}/eu-west-1",
    gaps: list[Gap] | None = None,
) -> ScanResult:
    """A ScanResult finished on ``day``."""
    return ScanResult(
        engine=engine,
        scope=scope,
        findings=findings,
        gaps=gaps or [],
        started_ms=at(day) - 60_000,
        finished_ms=at(day),
    )
