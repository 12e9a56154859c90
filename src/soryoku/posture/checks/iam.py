"""IAM checks: console users without MFA, root and old access keys, direct and admin policies."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from soryoku.core.severity import Severity
from soryoku.inventory.iam import IamPolicy, IamUser, RootAccount
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

USERS = "iam.users"
POLICIES = "iam.policies"
MAX_KEY_AGE = timedelta(days=90)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def grants_full_admin(document: Mapping[str, Any]) -> bool:
    """True when a statement allows every action (``*`` or ``*:*``) on every resource."""
    for statement in _as_list(document.get("Statement")):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        actions = {str(a) for a in _as_list(statement.get("Action"))}
        resources = {str(r) for r in _as_list(statement.get("Resource"))}
        if actions & {"*", "*:*"} and "*" in resources:
            return True
    return False


@check(
    "iam_user_console_access_mfa_enabled",
    service="iam",
    resource_type="AwsIamUser",
    severity=Severity.MEDIUM,
    collectors=(USERS,),
)
def user_console_mfa(user: IamUser, ctx: CheckContext) -> CheckResult:
    """FAIL when a user with a console password has no MFA device."""
    if not user.password_enabled:
        return passed(f"User {user.name} has no console password.")
    if user.mfa_active:
        return passed(f"User {user.name} has a console password and MFA.")
    return failed(f"User {user.name} can sign in to the console without MFA.")


@check(
    "iam_root_access_key_absent",
    service="iam",
    resource_type="AwsAccount",
    severity=Severity.CRITICAL,
    collectors=("iam.root",),
)
def root_access_key(root: RootAccount, ctx: CheckContext) -> CheckResult:
    """FAIL when the root user has an access key (GetAccountSummary AccountAccessKeysPresent)."""
    if root.access_keys_present:
        return failed(f"The root user of account {ctx.account_id} has an access key.")
    return passed(f"The root user of account {ctx.account_id} has no access key.")


@check(
    "iam_user_access_keys_rotated_90_days",
    service="iam",
    resource_type="AwsIamUser",
    severity=Severity.MEDIUM,
    collectors=(USERS,),
)
def user_key_age(user: IamUser, ctx: CheckContext) -> CheckResult:
    """FAIL when an active access key was created (last rotated) more than 90 days ago."""
    active = [k for k in user.access_keys if k.active]
    if not active:
        return passed(f"User {user.name} has no active access key.")
    stale = [
        f"key {k.slot} is {(ctx.now - k.last_rotated).days} days old"
        for k in active
        if k.last_rotated is not None and ctx.now - k.last_rotated > MAX_KEY_AGE
    ]
    if stale:
        return failed(
            f"User {user.name} has access keys older than 90 days: {', '.join(stale)}.", stale=stale
        )
    return passed(f"User {user.name} has rotated its active access keys within 90 days.")


@check(
    "iam_user_no_policies_attached",
    service="iam",
    resource_type="AwsIamUser",
    severity=Severity.LOW,
    collectors=(USERS,),
)
def user_direct_policies(user: IamUser, ctx: CheckContext) -> CheckResult:
    """FAIL when managed or inline policies are attached to the user itself (not through a group)."""
    direct = [*user.attached_policy_arns, *(f"inline:{n}" for n in user.inline_policy_names)]
    if direct:
        return failed(
            f"User {user.name} has policies attached directly: {', '.join(direct)}.", policies=direct
        )
    return passed(f"User {user.name} receives permissions only through groups or roles.")


@check(
    "iam_policy_no_full_admin_privileges",
    service="iam",
    resource_type="AwsIamPolicy",
    severity=Severity.HIGH,
    collectors=(POLICIES,),
)
def policy_full_admin(policy: IamPolicy, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a customer managed policy's default version allows ``*`` on ``*``.

    AWS managed policies are not judged, as the control defines.
    """
    if policy.aws_managed:
        return
    if grants_full_admin(policy.document):
        yield failed(f"Customer managed policy {policy.name} allows full administrative privileges (* on *).")
    else:
        yield passed(f"Customer managed policy {policy.name} does not allow * on *.")


@check(
    "iam_attached_policy_no_full_admin_privileges",
    service="iam",
    resource_type="AwsIamPolicy",
    severity=Severity.HIGH,
    collectors=(POLICIES,),
)
def attached_policy_full_admin(policy: IamPolicy, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when an attached managed policy (customer or AWS) allows ``*:*``; unattached: not judged."""
    if policy.attachment_count == 0:
        return
    if grants_full_admin(policy.document):
        yield failed(
            f"Policy {policy.name} allows full administrative privileges and is attached "
            f"to {policy.attachment_count} identities.",
            attachments=policy.attachment_count,
        )
    else:
        yield passed(f"Attached policy {policy.name} does not allow *:*.")
