"""IAM role trust policies, through the shared analyzer: who may assume the role."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.iam import IamRole
from soryoku.posture.policy import analyze_resource_policy, external_trusts
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

ROLES = "iam.roles"


@check(
    "iam_role_trust_policy_not_public",
    service="iam",
    resource_type="AwsIamRole",
    severity=Severity.CRITICAL,
    collectors=(ROLES,),
)
def role_trust_public(role: IamRole, ctx: CheckContext) -> CheckResult:
    """FAIL when anyone (``*``, a wildcard account, a NotPrincipal) may assume the role, unrestricted.

    A condition pinning the caller's account, organisation, source or network restricts the trust;
    that is reported as the exposure instead.
    """
    access = analyze_resource_policy(role.trust_policy, ctx.account_id)
    if access.public:
        return failed(
            f"Role {role.name} can be assumed by anyone: {access.describe()}.",
            statements=list(access.public_statements),
        )
    if access.restrictions:
        return passed(
            f"Role {role.name} trusts a wildcard principal, restricted by a condition.",
            exposure=access.describe(),
            restrictions=[r.describe() for r in access.restrictions],
        )
    return passed(f"Role {role.name} is not assumable by everyone.")


@check(
    "iam_role_cross_account_trust_requires_external_id",
    service="iam",
    resource_type="AwsIamRole",
    severity=Severity.MEDIUM,
    collectors=(ROLES,),
)
def role_external_id(role: IamRole, ctx: CheckContext) -> CheckResult:
    """FAIL when the role trusts another account without requiring an sts:ExternalId (confused deputy)."""
    trusts = external_trusts(role.trust_policy, ctx.account_id)
    missing = sorted({t.account for t in trusts if not t.external_id})
    if missing:
        return failed(
            f"Role {role.name} trusts account(s) {', '.join(missing)} without requiring an sts:ExternalId.",
            accounts=missing,
        )
    if trusts:
        accounts = sorted({t.account for t in trusts})
        return passed(
            f"Role {role.name} trusts account(s) {', '.join(accounts)} and requires an sts:ExternalId.",
            exposure=f"cross-account to {', '.join(accounts)}",
        )
    return passed(f"Role {role.name} trusts no other account.")
