"""Amazon Macie: whether the account has an enabled Macie session in each region, and whether automated
sensitive data discovery runs there."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class MacieRegion:
    """Macie in one region: its session status (None when Macie was never enabled there)."""

    arn: str
    region: str
    account_id: str
    status: str | None

    @property
    def name(self) -> str:
        """Account and region."""
        return f"{self.account_id}/{self.region}"


def not_enabled(exc: ClientError) -> bool:
    """GetMacieSession's answers for an account without Macie (any other error is a real failure)."""
    code = error_code(exc)
    message = str(exc.response.get("Error", {}).get("Message", ""))
    return code == "ResourceNotFoundException" or (
        code == "AccessDeniedException" and "not enabled" in message.lower()
    )


@collector(
    "macie2.session",
    service="macie2",
    scope="regional",
    actions=("macie2:GetMacieSession",),
    description="Amazon Macie session status per region",
)
def collect_macie(ctx: CollectContext) -> tuple[MacieRegion, ...]:
    """GetMacieSession; 'not enabled' answers mean no session, other errors propagate."""
    try:
        status: str | None = str(ctx.client("macie2").get_macie_session().get("status", ""))
    except ClientError as exc:
        if not not_enabled(exc):
            raise
        status = None
    return (MacieRegion(ctx.account_arn("macie2", "session"), ctx.region, ctx.account_id, status),)


@dataclass(frozen=True, slots=True)
class MacieAutomatedDiscovery:
    """Automated sensitive data discovery in one region: its status, None when Macie is not enabled."""

    arn: str
    region: str
    account_id: str
    status: str | None

    @property
    def name(self) -> str:
        """Account and region."""
        return f"{self.account_id}/{self.region}"


@collector(
    "macie2.automated_discovery",
    service="macie2",
    scope="regional",
    actions=("macie2:GetAutomatedDiscoveryConfiguration",),
    description="Amazon Macie automated sensitive data discovery status per region",
)
def collect_automated_discovery(ctx: CollectContext) -> tuple[MacieAutomatedDiscovery, ...]:
    """GetAutomatedDiscoveryConfiguration; 'Macie not enabled' answers mean no status."""
    try:
        answer = ctx.client("macie2").get_automated_discovery_configuration()
        status: str | None = str(answer.get("status", ""))
    except ClientError as exc:
        if not not_enabled(exc):
            raise
        status = None
    arn = ctx.account_arn("macie2", "automated-discovery-configuration")
    return (MacieAutomatedDiscovery(arn, ctx.region, ctx.account_id, status),)


__all__ = [
    "MacieAutomatedDiscovery",
    "MacieRegion",
    "collect_automated_discovery",
    "collect_macie",
    "not_enabled",
]
