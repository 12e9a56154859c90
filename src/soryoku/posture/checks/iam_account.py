"""IAM account settings: password policy, a support role, expired server certificates, root use."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from soryoku.core.severity import Severity
from soryoku.inventory.iam import RootAccount
from soryoku.inventory.iam_account import PasswordPolicy, RootCredentials, ServerCertificate
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

PASSWORD_POLICY = "iam.password_policy"
SUPPORT_ACCESS = ":aws:policy/AWSSupportAccess"
ROOT_RECENT_USE = timedelta(days=30)


def _no_policy(policy: PasswordPolicy) -> CheckResult:
    return failed(f"Account {policy.account_id} has no IAM password policy (AWS defaults apply).")


@check(
    "iam_password_policy_strong",
    service="iam",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=(PASSWORD_POLICY,),
)
def password_policy_strong(policy: PasswordPolicy, ctx: CheckContext) -> CheckResult:
    """FAIL unless the policy requires upper and lower case, a number, a symbol and 8+ characters.

    These are Security Hub's IAM.7 defaults; reuse and age have no default there and are judged by
    the CIS checks below.
    """
    if not policy.present:
        return _no_policy(policy)
    weak = [
        name
        for name, ok in (
            ("uppercase", policy.require_uppercase),
            ("lowercase", policy.require_lowercase),
            ("numbers", policy.require_numbers),
            ("symbols", policy.require_symbols),
            (f"minimum length {policy.minimum_length} < 8", policy.minimum_length >= 8),
        )
        if not ok
    ]
    if weak:
        return failed(f"The account password policy is weak: not required {', '.join(weak)}.", weak=weak)
    return passed("The account password policy requires all character classes and 8+ characters.")


@check(
    "iam_password_policy_minimum_length_14",
    service="iam",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=(PASSWORD_POLICY,),
)
def password_policy_length(policy: PasswordPolicy, ctx: CheckContext) -> CheckResult:
    """FAIL unless the password policy requires at least 14 characters."""
    if not policy.present:
        return _no_policy(policy)
    if policy.minimum_length < 14:
        return failed(f"The account password policy allows passwords of {policy.minimum_length} characters.")
    return passed(f"The account password policy requires {policy.minimum_length} characters or more.")


@check(
    "iam_password_policy_reuse_24",
    service="iam",
    resource_type="AwsAccount",
    severity=Severity.LOW,
    collectors=(PASSWORD_POLICY,),
)
def password_policy_reuse(policy: PasswordPolicy, ctx: CheckContext) -> CheckResult:
    """FAIL unless the password policy remembers 24 passwords (the most IAM allows)."""
    if not policy.present:
        return _no_policy(policy)
    remembered = policy.reuse_prevention or 0
    if remembered < 24:
        return failed(f"The account password policy prevents reuse of only {remembered} previous passwords.")
    return passed("The account password policy prevents reuse of the last 24 passwords.")


def _holders(ctx: CheckContext, collector_id: str, kind: str) -> list[str]:
    return [
        f"{kind} {identity.name}"
        for identity in ctx.resources(collector_id)
        if any(arn.endswith(SUPPORT_ACCESS) for arn in identity.attached_policy_arns)
    ]


@check(
    "iam_support_role_created",
    service="iam",
    resource_type="AwsAccount",
    severity=Severity.LOW,
    collectors=("iam.root", "iam.roles", "iam.users", "iam.groups"),
)
def support_role(root: RootAccount, ctx: CheckContext) -> CheckResult:
    """FAIL when no user, group or role has the AWSSupportAccess managed policy attached."""
    holders: list[Any] = [
        *_holders(ctx, "iam.roles", "role"),
        *_holders(ctx, "iam.groups", "group"),
        *_holders(ctx, "iam.users", "user"),
    ]
    if holders:
        return passed(f"AWSSupportAccess is attached to {', '.join(holders)}.", holders=holders)
    return failed(
        f"No IAM identity in account {ctx.account_id} has AWSSupportAccess to manage support cases."
    )


@check(
    "iam_server_certificate_not_expired",
    service="iam",
    resource_type="AwsIamServerCertificate",
    severity=Severity.MEDIUM,
    collectors=("iam.server_certificates",),
)
def server_certificate_expired(cert: ServerCertificate, ctx: CheckContext) -> CheckResult:
    """FAIL when a server certificate stored in IAM has expired and is still there."""
    if cert.expiration is not None and cert.expiration <= ctx.now:
        return failed(
            f"Server certificate {cert.name} expired on {cert.expiration.date().isoformat()}.",
            expiration=cert.expiration.isoformat(),
        )
    when = cert.expiration.date().isoformat() if cert.expiration else "an unknown date"
    return passed(f"Server certificate {cert.name} is valid until {when}.")


@check(
    "iam_root_credentials_not_recently_used",
    service="iam",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=("iam.root_credentials",),
)
def root_recent_use(root: RootCredentials, ctx: CheckContext) -> CheckResult:
    """FAIL when the root password or a root access key was used in the last 30 days."""
    last = root.last_used
    if last is not None and ctx.now - last < ROOT_RECENT_USE:
        return failed(
            f"The root user of account {ctx.account_id} was used {(ctx.now - last).days} days ago.",
            last_used=last.isoformat(),
        )
    seen = last.date().isoformat() if last else "never recorded"
    return passed(
        f"The root user of account {ctx.account_id} was not used in the last 30 days (last: {seen})."
    )
