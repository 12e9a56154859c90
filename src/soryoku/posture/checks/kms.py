"""KMS checks: rotation, keys scheduled for deletion, and key policies (public, cross-account)."""

from __future__ import annotations

from collections.abc import Iterator

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.kms import KmsKey
from soryoku.posture.policy import analyze_resource_policy
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

KEYS = "kms.keys"
DELETION_STATES = {"PendingDeletion", "PendingReplicaDeletion"}


def _unreadable(key: KmsKey, what: str) -> CheckResult:
    errors = "; ".join(e for e in key.read_errors if e.startswith(what)) or f"{what}: not readable"
    return CheckResult(ResultStatus.NOT_EVALUATED, f"not evaluated: key {key.name}: {errors}")


@check(
    "kms_cmk_rotation_enabled",
    service="kms",
    resource_type="AwsKmsKey",
    severity=Severity.MEDIUM,
    collectors=(KEYS,),
)
def key_rotation(key: KmsKey, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when an enabled customer managed symmetric key does not rotate its key material.

    Asymmetric, HMAC, imported and custom-key-store keys cannot rotate automatically, AWS managed keys
    rotate on their own, and disabled or deleted keys protect nothing new: none of them is judged.
    """
    if not key.customer_managed or not key.rotatable or key.state != "Enabled":
        return
    if key.rotation_enabled is None:
        yield _unreadable(key, "rotation")
    elif key.rotation_enabled:
        yield passed(f"KMS key {key.name} rotates its key material automatically.")
    else:
        yield failed(f"KMS key {key.name} does not rotate its key material.")


@check(
    "kms_cmk_not_scheduled_for_deletion",
    service="kms",
    resource_type="AwsKmsKey",
    severity=Severity.CRITICAL,
    collectors=(KEYS,),
)
def key_deletion(key: KmsKey, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a customer managed key is scheduled for deletion (its data becomes unrecoverable)."""
    if not key.customer_managed:
        return
    if key.state in DELETION_STATES:
        when = key.deletion_date.date().isoformat() if key.deletion_date else "the end of its waiting period"
        yield failed(
            f"KMS key {key.name} is scheduled for deletion on {when}.",
            deletion_date=key.deletion_date.isoformat() if key.deletion_date else None,
        )
    else:
        yield passed(f"KMS key {key.name} is not scheduled for deletion (state {key.state}).")


@check(
    "kms_key_policy_not_public",
    service="kms",
    resource_type="AwsKmsKey",
    severity=Severity.CRITICAL,
    collectors=(KEYS,),
)
def key_policy_public(key: KmsKey, ctx: CheckContext) -> CheckResult:
    """FAIL when the key policy lets anyone use the key (no condition pins the caller)."""
    if key.policy is None:
        return _unreadable(key, "key policy")
    access = analyze_resource_policy(key.policy, ctx.account_id)
    if access.public:
        return failed(
            f"KMS key {key.name} is public: its key policy allows everyone ({access.describe()}).",
            statements=list(access.public_statements),
        )
    return passed(f"KMS key {key.name} is not public: {access.describe()}.", exposure=access.describe())


@check(
    "kms_key_policy_no_cross_account_access",
    service="kms",
    resource_type="AwsKmsKey",
    severity=Severity.MEDIUM,
    collectors=(KEYS,),
)
def key_policy_cross_account(key: KmsKey, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a customer managed key's policy grants other accounts (or an organisation) access.

    AWS managed keys are shared only through AWS services in the owner account and are not judged.
    """
    if not key.customer_managed:
        return
    if key.policy is None:
        yield _unreadable(key, "key policy")
        return
    access = analyze_resource_policy(key.policy, ctx.account_id)
    if access.public:
        yield failed(f"KMS key {key.name} is open to every account ({access.describe()}).")
    elif access.cross_account:
        yield failed(
            f"KMS key {key.name} is shared outside the account: {access.describe()}.",
            accounts=list(access.cross_accounts),
            organizations=list(access.organizations),
        )
    else:
        yield passed(f"KMS key {key.name} is used only within account {ctx.account_id}.")
