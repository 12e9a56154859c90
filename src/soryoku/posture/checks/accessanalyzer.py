"""IAM Access Analyzer: an external access analyzer is active in every scanned region."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.accessanalyzer import AccessAnalyzerRegion
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "accessanalyzer_external_access_analyzer_enabled",
    service="accessanalyzer",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=("accessanalyzer.analyzers",),
)
def external_access_analyzer(region: AccessAnalyzerRegion, ctx: CheckContext) -> CheckResult:
    """FAIL unless an ACTIVE analyzer of type ACCOUNT or ORGANIZATION exists in the region."""
    active = [a.name for a in region.analyzers if a.active_external_access]
    if active:
        return passed(f"IAM Access Analyzer {', '.join(active)} watches external access in {region.region}.")
    others = [f"{a.name} ({a.type}, {a.status})" for a in region.analyzers]
    detail = f"; analyzers present: {', '.join(others)}" if others else ""
    return failed(f"No active IAM Access Analyzer external access analyzer in {region.region}{detail}.")
