"""AWS Organizations membership: the organization the account belongs to, if any."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class OrganizationMembership:
    """The account's organization (None when the account is standalone)."""

    arn: str
    region: str
    account_id: str
    organization_id: str | None
    management_account_id: str | None
    feature_set: str | None

    @property
    def name(self) -> str:
        """The account id."""
        return self.account_id


@collector(
    "organizations.membership",
    service="organizations",
    scope="global",
    actions=("organizations:DescribeOrganization",),
    description="the AWS Organizations organization the account belongs to",
)
def collect_membership(ctx: CollectContext) -> tuple[OrganizationMembership, ...]:
    """DescribeOrganization; AWSOrganizationsNotInUseException means a standalone account."""
    arn = f"arn:{ctx.partition}:organizations::{ctx.account_id}:membership"
    try:
        organization = ctx.client("organizations").describe_organization()["Organization"]
    except ClientError as exc:
        if error_code(exc) != "AWSOrganizationsNotInUseException":
            raise
        return (OrganizationMembership(arn, ctx.region, ctx.account_id, None, None, None),)
    return (
        OrganizationMembership(
            arn,
            ctx.region,
            ctx.account_id,
            str(organization.get("Id")),
            str(organization.get("MasterAccountId")),
            str(organization.get("FeatureSet")),
        ),
    )


__all__ = ["OrganizationMembership", "collect_membership"]
