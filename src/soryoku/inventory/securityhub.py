"""Security Hub: whether the account is subscribed in each region."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector

# What DescribeHub answers when the account is not subscribed (any other error is a real failure).
NOT_SUBSCRIBED = {"InvalidAccessException", "ResourceNotFoundException"}


@dataclass(frozen=True, slots=True)
class SecurityHubRegion:
    """Security Hub in one region of one account."""

    arn: str
    region: str
    account_id: str
    hub_arn: str | None

    @property
    def name(self) -> str:
        """Account and region."""
        return f"{self.account_id}/{self.region}"

    @property
    def enabled(self) -> bool:
        """True when the account is subscribed to Security Hub here."""
        return self.hub_arn is not None


@collector(
    "securityhub.hub",
    service="securityhub",
    scope="regional",
    actions=("securityhub:DescribeHub",),
    description="Security Hub subscription per region",
)
def collect_securityhub(ctx: CollectContext) -> tuple[SecurityHubRegion, ...]:
    """DescribeHub in the region; 'not subscribed' answers mean disabled, other errors propagate."""
    try:
        hub_arn: str | None = str(ctx.client("securityhub").describe_hub()["HubArn"])
    except ClientError as exc:
        if error_code(exc) not in NOT_SUBSCRIBED:
            raise
        hub_arn = None
    arn = ctx.account_arn("securityhub", "hub/default")
    return (SecurityHubRegion(arn=arn, region=ctx.region, account_id=ctx.account_id, hub_arn=hub_arn),)


__all__ = ["NOT_SUBSCRIBED", "SecurityHubRegion", "collect_securityhub"]
