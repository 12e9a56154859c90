"""GuardDuty checks: a detector enabled in every scanned region."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.guardduty import GuardDutyRegion
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "guardduty_enabled",
    service="guardduty",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=("guardduty.detectors",),
)
def guardduty_enabled(state: GuardDutyRegion, ctx: CheckContext) -> CheckResult:
    """FAIL when the region has no ENABLED detector."""
    if state.enabled:
        return passed(f"GuardDuty is enabled in {state.region}.")
    if state.detectors:
        statuses = ", ".join(f"{d.detector_id}={d.status}" for d in state.detectors)
        return failed(f"GuardDuty has a detector in {state.region} but it is not enabled ({statuses}).")
    return failed(f"GuardDuty is not enabled in {state.region} (no detector).")
