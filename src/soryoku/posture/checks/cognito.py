"""Amazon Cognito checks: user pools behind a web ACL, with threat protection enforced, a strong
password policy, MFA and deletion protection; identity pools without guest access."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.cognito import IdentityPool, UserPool
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

USER_POOLS = "cognito.user_pools"
IDENTITY_POOLS = "cognito.identity_pools"
USER_POOL = "AwsCognitoUserPool"

# Security Hub's defaults for Cognito.3.
MIN_PASSWORD_LENGTH = 8
MAX_TEMPORARY_PASSWORD_DAYS = 7


@check(
    "cognito_user_pool_waf_acl_attached",
    service="cognito",
    resource_type=USER_POOL,
    severity=Severity.MEDIUM,
    collectors=(USER_POOLS,),
)
def waf_attached(pool: UserPool, ctx: CheckContext) -> CheckResult:
    """FAIL when no AWS WAF web ACL protects the user pool's public sign-in and token endpoints."""
    if pool.web_acl_arn:
        return passed(
            f"User pool {pool.name} is protected by web ACL {pool.web_acl_arn.rsplit('/', 2)[-2]}.",
            web_acl=pool.web_acl_arn,
        )
    if pool.web_acl_unknown:
        return CheckResult(ResultStatus.NOT_EVALUATED, f"User pool {pool.name}: {pool.web_acl_unknown}")
    return failed(
        f"User pool {pool.name} has no AWS WAF web ACL: its public sign-in, sign-up and token endpoints "
        "take credential stuffing and floods unfiltered.",
        exposure="internet",
    )


@check(
    "cognito_user_pool_threat_protection_enforced",
    service="cognito",
    resource_type=USER_POOL,
    severity=Severity.MEDIUM,
    collectors=(USER_POOLS,),
)
def threat_protection(pool: UserPool, ctx: CheckContext) -> CheckResult:
    """FAIL unless threat protection runs in full-function (ENFORCED) mode for standard authentication."""
    if pool.threat_protection == "ENFORCED":
        return passed(f"User pool {pool.name} enforces threat protection for standard authentication.")
    return failed(
        f"User pool {pool.name} has threat protection {pool.threat_protection} for standard authentication "
        "(not full-function): risky and compromised-credential sign-ins are not blocked.",
        mode=pool.threat_protection,
    )


@check(
    "cognito_user_pool_custom_auth_threat_protection_enforced",
    service="cognito",
    resource_type=USER_POOL,
    severity=Severity.MEDIUM,
    collectors=(USER_POOLS,),
)
def custom_auth_threat_protection(pool: UserPool, ctx: CheckContext) -> CheckResult:
    """FAIL unless threat protection is on and in full-function (ENFORCED) mode for custom authentication."""
    if pool.threat_protection != "OFF" and pool.custom_auth_threat == "ENFORCED":
        return passed(f"User pool {pool.name} enforces threat protection for custom authentication.")
    mode = "OFF" if pool.threat_protection == "OFF" else (pool.custom_auth_threat or "not set")
    return failed(
        f"User pool {pool.name} has threat protection for custom authentication {mode} (not full-function).",
        mode=mode,
    )


def _classes(pool: UserPool) -> tuple[tuple[str, bool], ...]:
    policy = pool.password_policy
    return (
        ("uppercase", policy.require_uppercase),
        ("lowercase", policy.require_lowercase),
        ("number", policy.require_numbers),
        ("symbol", policy.require_symbols),
    )


@check(
    "cognito_user_pool_password_policy_strong",
    service="cognito",
    resource_type=USER_POOL,
    severity=Severity.MEDIUM,
    collectors=(USER_POOLS,),
)
def password_policy(pool: UserPool, ctx: CheckContext) -> CheckResult:
    """FAIL when the password policy is weaker than Security Hub's defaults (length 8, all four character
    classes, temporary passwords valid at most 7 days)."""
    policy = pool.password_policy
    weak = [f"no {kind} required" for kind, required in _classes(pool) if not required]
    if policy.minimum_length < MIN_PASSWORD_LENGTH:
        weak.insert(0, f"minimum length {policy.minimum_length} < {MIN_PASSWORD_LENGTH}")
    if policy.temporary_password_validity_days > MAX_TEMPORARY_PASSWORD_DAYS:
        days = policy.temporary_password_validity_days
        weak.append(f"temporary passwords valid {days} days > {MAX_TEMPORARY_PASSWORD_DAYS}")
    if weak:
        return failed(
            f"User pool {pool.name} has a weak password policy ({'; '.join(weak)}).", weaknesses=weak
        )
    return passed(f"User pool {pool.name} requires strong passwords.")


@check(
    "cognito_user_pool_mfa_enabled",
    service="cognito",
    resource_type=USER_POOL,
    severity=Severity.MEDIUM,
    collectors=(USER_POOLS,),
)
def mfa_enabled(pool: UserPool, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when a password-only user pool has MFA off; pools that allow passwordless first factors get no
    verdict (the control does not apply to them)."""
    if set(pool.first_auth_factors) - {"PASSWORD"}:
        return []
    if pool.mfa in {"ON", "OPTIONAL"}:
        return [passed(f"User pool {pool.name} has MFA {pool.mfa}.", mfa=pool.mfa)]
    return [failed(f"User pool {pool.name} signs users in with a password alone (MFA {pool.mfa}).")]


@check(
    "cognito_user_pool_deletion_protection",
    service="cognito",
    resource_type=USER_POOL,
    severity=Severity.MEDIUM,
    collectors=(USER_POOLS,),
)
def deletion_protection(pool: UserPool, ctx: CheckContext) -> CheckResult:
    """FAIL when the user pool's deletion protection is not active."""
    if pool.deletion_protection:
        return passed(f"User pool {pool.name} has deletion protection active.")
    return failed(f"User pool {pool.name} can be deleted (with every user in it) by a single API call.")


@check(
    "cognito_identity_pool_no_unauthenticated_identities",
    service="cognito",
    resource_type="AwsCognitoIdentityPool",
    severity=Severity.MEDIUM,
    collectors=(IDENTITY_POOLS,),
)
def no_guest_access(pool: IdentityPool, ctx: CheckContext) -> CheckResult:
    """FAIL when the identity pool hands AWS credentials to unauthenticated (guest) identities."""
    if pool.allow_unauthenticated:
        return failed(
            f"Identity pool {pool.name} gives AWS credentials to unauthenticated guests.", exposure="internet"
        )
    return passed(f"Identity pool {pool.name} requires authenticated identities.")
