"""The AWS account's security alternate contact (who AWS notifies about security issues)."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class SecurityContact:
    """The account's SECURITY alternate contact; ``email`` is None when none is registered."""

    arn: str
    region: str
    account_id: str
    email: str | None
    contact_name: str | None

    @property
    def name(self) -> str:
        """The account id."""
        return self.account_id


@collector(
    "account.security_contact",
    service="account",
    scope="global",
    actions=("account:GetAlternateContact",),
    description="the account's SECURITY alternate contact",
)
def collect_security_contact(ctx: CollectContext) -> tuple[SecurityContact, ...]:
    """GetAlternateContact(SECURITY); ResourceNotFoundException means none is registered."""
    arn = f"arn:{ctx.partition}:account::{ctx.account_id}:alternate-contact/security"
    try:
        contact = ctx.client("account").get_alternate_contact(AlternateContactType="SECURITY")[
            "AlternateContact"
        ]
    except ClientError as exc:
        if error_code(exc) != "ResourceNotFoundException":
            raise
        return (SecurityContact(arn, ctx.region, ctx.account_id, None, None),)
    email, name = contact.get("EmailAddress"), contact.get("Name")
    return (
        SecurityContact(
            arn, ctx.region, ctx.account_id, str(email) if email else None, str(name) if name else None
        ),
    )


__all__ = ["SecurityContact", "collect_security_contact"]
