"""Account checks: a security contact registered for the account."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.account import SecurityContact
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "account_security_contact_registered",
    service="account",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=("account.security_contact",),
)
def security_contact(contact: SecurityContact, ctx: CheckContext) -> CheckResult:
    """PASS when the account has a SECURITY alternate contact."""
    if contact.email:
        return passed(f"Account {contact.account_id} has a security contact ({contact.contact_name}).")
    return failed(f"Account {contact.account_id} has no security contact registered.")
