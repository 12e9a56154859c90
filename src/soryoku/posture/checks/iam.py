"""IAM checks on users, the root user and managed policies: MFA, keys (age, count, never-used initial
keys), unused credentials, admin policies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from soryoku.core.severity import Severity
from soryoku.inventory.iam import IamPolicy, IamUser, RootAccount
from soryoku.posture.policy import grants_full_admin
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

USERS = "iam.users"
POLICIES = "iam.policies"
ROOT = "iam.root"
MAX_KEY_AGE = timedelta(days=90)


def unused_credentials(user: IamUser, now: datetime, days: int) -> list[str]:
    """The user's console password and active keys not used for ``days`` days (never used: since created).

    As AWS Config's ``iam-user-unused-credentials-check``: a credential never used counts from its
    creation (password last changed, key last rotated, else the user's creation).
    """
    limit = timedelta(days=days)
    stale: list[str] = []
    if user.password_enabled:
        since = user.password_last_used or user.password_last_changed or user.created
        if since is not None and now - since >= limit:
            stale.append(f"console password unused for {(now - since).days} days")
    for key in user.access_keys:
        if not key.active:
            continue
        since = key.last_used or key.last_rotated or user.created
        if since is not None and now - since >= limit:
            stale.append(f"access key {key.slot} unused for {(now - since).days} days")
    return stale


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
    collectors=(ROOT,),
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


def _unused(user: IamUser, ctx: CheckContext, days: int) -> CheckResult:
    stale = unused_credentials(user, ctx.now, days)
    if stale:
        return failed(
            f"User {user.name} has credentials unused for {days} days or more: {', '.join(stale)}.",
            stale=stale,
        )
    return passed(f"User {user.name} has no password or active access key unused for {days} days.")


@check(
    "iam_user_credentials_unused_90_days_removed",
    service="iam",
    resource_type="AwsIamUser",
    severity=Severity.MEDIUM,
    collectors=(USERS,),
)
def user_unused_90(user: IamUser, ctx: CheckContext) -> CheckResult:
    """FAIL when the console password or an active key has not been used for 90 days (FSBP IAM.8)."""
    return _unused(user, ctx, 90)


@check(
    "iam_user_credentials_unused_45_days_removed",
    service="iam",
    resource_type="AwsIamUser",
    severity=Severity.MEDIUM,
    collectors=(USERS,),
)
def user_unused_45(user: IamUser, ctx: CheckContext) -> CheckResult:
    """FAIL when the console password or an active key has not been used for 45 days (CIS 1.12)."""
    return _unused(user, ctx, 45)


@check(
    "iam_user_single_active_access_key",
    service="iam",
    resource_type="AwsIamUser",
    severity=Severity.MEDIUM,
    collectors=(USERS,),
)
def user_single_active_key(user: IamUser, ctx: CheckContext) -> CheckResult:
    """FAIL when a user has two active access keys (CIS 1.13)."""
    active = [k.slot for k in user.access_keys if k.active]
    if len(active) > 1:
        return failed(f"User {user.name} has {len(active)} active access keys.", active_keys=active)
    return passed(f"User {user.name} has at most one active access key.")


# A key rotated this close to the user's creation was created with the user (the console's wizard).
INITIAL_KEY_WINDOW = timedelta(minutes=10)


@check(
    "iam_user_no_unused_initial_access_key",
    service="iam",
    resource_type="AwsIamUser",
    severity=Severity.LOW,
    collectors=(USERS,),
)
def user_no_unused_initial_key(user: IamUser, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when a console user holds an active access key that was never used (CIS 1.11's audit).

    Users without a console password are not judged; the detail says whether the key was created
    together with the user.
    """
    if not user.password_enabled:
        return []
    unused = [k for k in user.access_keys if k.active and k.last_used is None]
    if not unused:
        return [passed(f"Console user {user.name} has no active access key that was never used.")]
    initial = [
        k.slot
        for k in unused
        if user.created and k.last_rotated and abs(k.last_rotated - user.created) <= INITIAL_KEY_WINDOW
    ]
    slots = ", ".join(str(k.slot) for k in unused)
    return [
        failed(
            f"Console user {user.name} has active access key(s) in slot {slots} that were never used"
            + (" (created with the user)." if initial else "."),
            unused_key_slots=[k.slot for k in unused],
            created_with_user=initial,
        )
    ]


@check(
    "iam_root_mfa_enabled",
    service="iam",
    resource_type="AwsAccount",
    severity=Severity.CRITICAL,
    collectors=(ROOT,),
)
def root_mfa(root: RootAccount, ctx: CheckContext) -> CheckResult:
    """FAIL when the root user has no MFA device (GetAccountSummary AccountMFAEnabled)."""
    if root.mfa_enabled:
        return passed(f"The root user of account {ctx.account_id} has MFA enabled.")
    return failed(f"The root user of account {ctx.account_id} can sign in without MFA.")


@check(
    "iam_root_hardware_mfa_enabled",
    service="iam",
    resource_type="AwsAccount",
    severity=Severity.CRITICAL,
    collectors=(ROOT,),
)
def root_hardware_mfa(root: RootAccount, ctx: CheckContext) -> CheckResult:
    """FAIL unless the root user's MFA is a hardware device (no MFA, or a virtual device, fails)."""
    if not root.mfa_enabled:
        return failed(f"The root user of account {ctx.account_id} has no MFA device at all.")
    if root.virtual_mfa:
        return failed(f"The root user of account {ctx.account_id} uses a virtual MFA device, not hardware.")
    return passed(f"The root user of account {ctx.account_id} uses a hardware MFA device.")
