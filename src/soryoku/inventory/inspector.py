"""Amazon Inspector: which scan types (EC2, ECR, Lambda, Lambda code) are enabled for the account."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class InspectorRegion:
    """Inspector in one region: the status of each resource scan type (``ec2``, ``ecr``, ``lambda``…)."""

    arn: str
    region: str
    account_id: str
    scans: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Account and region."""
        return f"{self.account_id}/{self.region}"

    def enabled(self, scan: str) -> bool:
        """True when the scan type's status is ENABLED."""
        return self.scans.get(scan) == "ENABLED"


def scans_from(answer: Mapping[str, Any], account_id: str) -> dict[str, str]:
    """BatchGetAccountStatus → ``{scan type: status}`` for the account (empty: never enabled)."""
    for account in answer.get("accounts", []):
        if str(account.get("accountId")) == account_id:
            return {str(k): str(v.get("status", "")) for k, v in (account.get("resourceState") or {}).items()}
    return {}


@collector(
    "inspector2.account_status",
    service="inspector2",
    scope="regional",
    actions=("inspector2:BatchGetAccountStatus",),
    description="Amazon Inspector scan types enabled for the account",
)
def collect_inspector(ctx: CollectContext) -> tuple[InspectorRegion, ...]:
    """The account's Inspector status in the region."""
    answer = ctx.client("inspector2").batch_get_account_status(accountIds=[ctx.account_id])
    arn = ctx.account_arn("inspector2", "account-status")
    return (InspectorRegion(arn, ctx.region, ctx.account_id, scans_from(answer, ctx.account_id)),)


__all__ = ["InspectorRegion", "collect_inspector", "scans_from"]
