"""Amazon Macie checks: Macie enabled in the region, automated sensitive data discovery running."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.macie import MacieAutomatedDiscovery, MacieRegion
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "macie_enabled",
    service="macie2",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=("macie2.session",),
)
def macie_enabled(state: MacieRegion, ctx: CheckContext) -> CheckResult:
    """PASS when the region has an ENABLED Macie session (PAUSED or none fail)."""
    if state.status == "ENABLED":
        return passed(f"Amazon Macie is enabled in {state.region}.")
    if state.status is None:
        return failed(f"Amazon Macie is not enabled in {state.region}.")
    return failed(f"Amazon Macie is {state.status} in {state.region}.")


@check(
    "macie_automated_sensitive_data_discovery_enabled",
    service="macie2",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=("macie2.automated_discovery",),
)
def automated_discovery(state: MacieAutomatedDiscovery, ctx: CheckContext) -> list[CheckResult]:
    """FAIL unless automated sensitive data discovery is ENABLED (regions without Macie: macie_enabled)."""
    if state.status is None:
        return []
    if state.status == "ENABLED":
        return [passed(f"Macie automated sensitive data discovery is enabled in {state.region}.")]
    return [failed(f"Macie automated sensitive data discovery is {state.status or 'off'} in {state.region}.")]
