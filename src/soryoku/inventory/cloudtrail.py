"""CloudTrail: every trail the account has (shadow trails included), with status and event selectors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class Trail:
    """A trail: where it lives, whether it spans regions and logs, which management events it records.

    ``management_events`` is ``All``, ``ReadOnly``, ``WriteOnly`` or ``None`` (none recorded).
    """

    name: str
    arn: str
    region: str
    multi_region: bool
    is_logging: bool
    management_events: str | None


@dataclass(frozen=True, slots=True)
class CloudTrailAccount:
    """All trails of one account: account-level CloudTrail checks evaluate this once."""

    arn: str
    region: str
    account_id: str
    trails: tuple[Trail, ...]

    @property
    def name(self) -> str:
        """The account id."""
        return self.account_id


# -- transforms (pure) --


def management_events_from(selectors: Mapping[str, Any]) -> str | None:
    """Which management events GetEventSelectors says are recorded (classic or advanced selectors).

    A trail with no selector of either kind records all management events (CloudTrail's default for
    a new trail; moto answers two empty lists for it).
    """
    if not selectors.get("EventSelectors") and not selectors.get("AdvancedEventSelectors"):
        return "All"
    kinds: set[str] = set()
    for selector in selectors.get("EventSelectors") or []:
        if selector.get("IncludeManagementEvents", True):
            kinds.add(str(selector.get("ReadWriteType", "All")))
    for advanced in selectors.get("AdvancedEventSelectors") or []:
        fields = {str(f.get("Field")): f for f in advanced.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {})
        if "Management" not in category.get("Equals", []):
            continue
        read_only = fields.get("readOnly")
        if read_only is None:
            kinds.add("All")
        else:
            kinds.add("ReadOnly" if "true" in read_only.get("Equals", []) else "WriteOnly")
    if "All" in kinds or {"ReadOnly", "WriteOnly"} <= kinds:
        return "All"
    return next(iter(sorted(kinds)), None)


def trail_from(item: Mapping[str, Any], status: Mapping[str, Any], selectors: Mapping[str, Any]) -> Trail:
    """One DescribeTrails entry plus its status and selectors as a Trail."""
    return Trail(
        name=str(item["Name"]),
        arn=str(item["TrailARN"]),
        region=str(item.get("HomeRegion", "")),
        multi_region=bool(item.get("IsMultiRegionTrail", False)),
        is_logging=bool(status.get("IsLogging", False)),
        management_events=management_events_from(selectors),
    )


def account_from_trails(
    trails: Iterable[Trail], account_id: str, partition: str, region: str
) -> CloudTrailAccount:
    """The account-level view over its trails."""
    return CloudTrailAccount(
        arn=f"arn:{partition}:cloudtrail::{account_id}:trails",
        region=region,
        account_id=account_id,
        trails=tuple(sorted(trails, key=lambda t: t.arn)),
    )


# -- get (I/O) --


@collector(
    "cloudtrail.trails",
    service="cloudtrail",
    scope="global",
    actions=("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"),
    description="all trails of the account with logging status and management-event selectors",
)
def collect_trails(ctx: CollectContext) -> tuple[CloudTrailAccount, ...]:
    """Trails visible from the home region (multi-region ones appear everywhere), each asked at home."""
    listed = ctx.client("cloudtrail").describe_trails(includeShadowTrails=True).get("trailList", [])
    unique = {str(item["TrailARN"]): item for item in listed}
    trails = []
    for arn, item in unique.items():
        home = ctx.client("cloudtrail", str(item.get("HomeRegion") or ctx.region))
        status = home.get_trail_status(Name=arn)
        selectors = home.get_event_selectors(TrailName=arn)
        trails.append(trail_from(item, status, selectors))
    return (account_from_trails(trails, ctx.account_id, ctx.partition, ctx.region),)


__all__ = [
    "CloudTrailAccount",
    "Trail",
    "account_from_trails",
    "collect_trails",
    "management_events_from",
    "trail_from",
]
