"""IAM role trust policies, through the shared analyzer: who may assume the role."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.iam import IamPolicy, IamRole
from soryoku.posture.policy import (
    analyze_resource_policy,
    external_trusts,
    grants_full_admin,
    web_identity_trusts,
)
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

ROLES = "iam.roles"
POLICIES = "iam.policies"
ADMINISTRATOR_ACCESS = ":aws:policy/AdministratorAccess"


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


def admin_grants(role: IamRole, policies: tuple[IamPolicy, ...]) -> list[str]:
    """The role's policies granting ``*`` on ``*``: inline, and attached (by their default version)."""
    by_arn = {p.arn: p for p in policies}
    found = [f"inline:{p.name}" for p in role.inline_policies if grants_full_admin(p.document)]
    for arn in role.attached_policy_arns:
        policy = by_arn.get(arn)
        if arn.endswith(ADMINISTRATOR_ACCESS) or (policy is not None and grants_full_admin(policy.document)):
            found.append(arn)
    return found


@check(
    "iam_role_cross_account_no_admin_privileges",
    service="iam",
    resource_type="AwsIamRole",
    severity=Severity.HIGH,
    collectors=(ROLES, POLICIES),
)
def role_cross_account_admin(role: IamRole, ctx: CheckContext) -> CheckResult:
    """FAIL when a role another account (or anyone) may assume holds full administrator rights."""
    access = analyze_resource_policy(role.trust_policy, ctx.account_id)
    outside = sorted({t.account for t in external_trusts(role.trust_policy, ctx.account_id)})
    if not outside and not access.public:
        return passed(f"Role {role.name} is not assumable from outside the account.")
    admin = admin_grants(role, ctx.resources(POLICIES))
    who = "anyone" if access.public else f"account(s) {', '.join(outside)}"
    if admin:
        return failed(
            f"Role {role.name} gives {who} full administrator rights through {', '.join(admin)}.",
            accounts=outside,
            policies=admin,
        )
    return passed(f"Role {role.name} is assumable by {who} but holds no full administrator policy.")


@check(
    "iam_role_web_identity_trust_pins_subject",
    service="iam",
    resource_type="AwsIamRole",
    severity=Severity.HIGH,
    collectors=(ROLES,),
)
def role_web_identity_subject(role: IamRole, ctx: CheckContext) -> CheckResult:
    """FAIL when the role trusts an OIDC provider (e.g. GitHub Actions) without pinning the subject."""
    trusts = web_identity_trusts(role.trust_policy)
    loose = sorted({t.provider for t in trusts if not t.subject_pinned})
    if loose:
        return failed(
            f"Role {role.name} can be assumed by any identity of {', '.join(loose)} (no subject condition).",
            providers=loose,
        )
    if trusts:
        providers = sorted({t.provider for t in trusts})
        return passed(f"Role {role.name} trusts {', '.join(providers)} for pinned subjects only.")
    return passed(f"Role {role.name} trusts no web identity provider.")
