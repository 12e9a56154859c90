"""Organizations checks: the account is governed by an AWS Organizations organization."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.organizations import OrganizationMembership
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "organizations_account_part_of_organization",
    service="organizations",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=("organizations.membership",),
)
def part_of_organization(state: OrganizationMembership, ctx: CheckContext) -> CheckResult:
    """PASS when the account belongs to an organization with all features enabled."""
    if state.organization_id is None:
        return failed(f"Account {state.account_id} is not part of an AWS Organizations organization.")
    if state.feature_set != "ALL":
        return failed(
            f"Account {state.account_id} belongs to {state.organization_id}, but the organization has only "
            f"consolidated billing ({state.feature_set}): no SCPs or delegated administrators."
        )
    return passed(
        f"Account {state.account_id} belongs to organization {state.organization_id} "
        f"(management account {state.management_account_id}, all features)."
    )
