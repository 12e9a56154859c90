"""CloudTrail checks: a multi-region trail that is logging read and write management events."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.cloudtrail import CloudTrailAccount
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "cloudtrail_multi_region_trail_logging",
    service="cloudtrail",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=("cloudtrail.trails",),
)
def multi_region_trail(account: CloudTrailAccount, ctx: CheckContext) -> CheckResult:
    """PASS when at least one multi-region trail is logging and records all management events."""
    good = [
        t.name for t in account.trails if t.multi_region and t.is_logging and t.management_events == "All"
    ]
    if good:
        return passed(f"Account {account.account_id} has a logging multi-region trail: {', '.join(good)}.")
    if not account.trails:
        return failed(f"Account {account.account_id} has no CloudTrail trail.")
    why = [
        f"{t.name}: "
        + ", ".join(
            reason
            for reason, bad in (
                ("single-region", not t.multi_region),
                ("not logging", not t.is_logging),
                (f"management events {t.management_events or 'none'}", t.management_events != "All"),
            )
            if bad
        )
        for t in account.trails
    ]
    return failed(
        f"Account {account.account_id} has no logging multi-region trail with read and write management "
        f"events ({'; '.join(why)}).",
        trails=why,
    )
