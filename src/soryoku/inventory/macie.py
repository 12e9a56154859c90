"""Amazon Macie: whether the account has an enabled Macie session in each region."""

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


__all__ = ["MacieRegion", "collect_macie", "not_enabled"]
