"""Security Hub checks: the account is subscribed in every scanned region."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.securityhub import SecurityHubRegion
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "securityhub_enabled",
    service="securityhub",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=("securityhub.hub",),
)
def securityhub_enabled(state: SecurityHubRegion, ctx: CheckContext) -> CheckResult:
    """FAIL when the account is not subscribed to Security Hub in the region."""
    if state.enabled:
        return passed(f"Security Hub is enabled in {state.region} ({state.hub_arn}).")
    return failed(f"Security Hub is not enabled in {state.region}.")
