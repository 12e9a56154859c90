"""Secrets Manager checks: automatic rotation, rotation age, unused secrets."""

from __future__ import annotations

from datetime import datetime

from soryoku.core.severity import Severity
from soryoku.inventory.secretsmanager import Secret
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

SECRETS = "secretsmanager.secrets"
MAX_DAYS_SINCE_ROTATION = 90  # the controls' default parameters
MAX_DAYS_UNUSED = 90


def _age_days(now: datetime, then: datetime) -> int:
    return (now - then).days


@check(
    "secretsmanager_secret_rotation_enabled",
    service="secretsmanager",
    resource_type="AwsSecretsManagerSecret",
    severity=Severity.MEDIUM,
    collectors=(SECRETS,),
)
def secretsmanager_secret_rotation_enabled(secret: Secret, ctx: CheckContext) -> CheckResult:
    """FAIL unless automatic rotation is enabled."""
    if secret.rotation_enabled:
        every = f" every {secret.rotation_days} days" if secret.rotation_days else ""
        return passed(f"Secret {secret.name} rotates automatically{every}.")
    return failed(f"Secret {secret.name} does not have automatic rotation enabled.")


@check(
    "secretsmanager_secret_rotated_recently",
    service="secretsmanager",
    resource_type="AwsSecretsManagerSecret",
    severity=Severity.MEDIUM,
    collectors=(SECRETS,),
)
def secretsmanager_secret_rotated_recently(secret: Secret, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when the secret was last rotated (or, never rotated, created) more than 90 days ago."""
    since = secret.last_rotated or secret.created
    if since is None:
        return []
    days = _age_days(ctx.now, since)
    what = "rotated" if secret.last_rotated else "created and never rotated"
    if days > MAX_DAYS_SINCE_ROTATION:
        return [failed(f"Secret {secret.name} was {what} {days} days ago.", days=days)]
    return [passed(f"Secret {secret.name} was {what} {days} days ago.", days=days)]


@check(
    "secretsmanager_secret_unused",
    service="secretsmanager",
    resource_type="AwsSecretsManagerSecret",
    severity=Severity.MEDIUM,
    collectors=(SECRETS,),
)
def secretsmanager_secret_unused(secret: Secret, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when the secret has not been accessed for more than 90 days (or since its creation)."""
    since = secret.last_accessed or secret.created
    if since is None:
        return []
    days = _age_days(ctx.now, since)
    what = "last accessed" if secret.last_accessed else "created and never accessed"
    if days > MAX_DAYS_UNUSED:
        return [failed(f"Secret {secret.name} was {what} {days} days ago; remove it if unused.", days=days)]
    return [passed(f"Secret {secret.name} was {what} {days} days ago.", days=days)]


@check(
    "secretsmanager_secret_rotation_succeeding",
    service="secretsmanager",
    resource_type="AwsSecretsManagerSecret",
    severity=Severity.MEDIUM,
    collectors=(SECRETS,),
)
def secretsmanager_secret_rotation_succeeding(secret: Secret, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when a secret with automatic rotation has not rotated within its schedule (rotation failing)."""
    if not secret.rotation_enabled or not secret.rotation_days:
        return []
    if secret.last_rotated is None:
        return [failed(f"Secret {secret.name} has rotation enabled but has never rotated.")]
    days = _age_days(ctx.now, secret.last_rotated)
    if days > secret.rotation_days:
        return [
            failed(
                f"Secret {secret.name} last rotated {days} days ago although it should rotate every "
                f"{secret.rotation_days} days.",
                days=days,
            )
        ]
    return [
        passed(
            f"Secret {secret.name} rotated {days} days ago, within its {secret.rotation_days}-day schedule."
        )
    ]
