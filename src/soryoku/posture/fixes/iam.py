"""IAM fix: an account password policy at least as strict as CIS AWS Foundations v3.0.0 asks."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from soryoku.posture.fixes.base import ApiCall, Aws, Change, FixTarget, error_code, fix

CIS_MIN_LENGTH = 14
CIS_REUSE_PREVENTION = 24
_SETTABLE = (
    "MinimumPasswordLength",
    "RequireSymbols",
    "RequireNumbers",
    "RequireUppercaseCharacters",
    "RequireLowercaseCharacters",
    "AllowUsersToChangePassword",
    "MaxPasswordAge",
    "PasswordReusePrevention",
    "HardExpiry",
)


def _params(policy: dict[str, Any]) -> dict[str, Any]:
    return {key: policy[key] for key in _SETTABLE if key in policy}


def strengthened(before: dict[str, Any] | None) -> dict[str, Any]:
    """``before`` raised to the CIS values; anything already stricter, and other settings, are kept."""
    current = _params(before or {})
    after = dict(current)
    after["MinimumPasswordLength"] = max(CIS_MIN_LENGTH, int(current.get("MinimumPasswordLength", 0)))
    after["PasswordReusePrevention"] = max(
        CIS_REUSE_PREVENTION, int(current.get("PasswordReusePrevention", 0))
    )
    for key in (
        "RequireSymbols",
        "RequireNumbers",
        "RequireUppercaseCharacters",
        "RequireLowercaseCharacters",
    ):
        after[key] = True
    after.setdefault("AllowUsersToChangePassword", True)
    return after


@fix(
    "iam_password_policy_minimum_length_14",
    "iam_password_policy_reuse_24",
    "iam_password_policy_strong",
    service="iam",
    summary="Set the account password policy to the CIS values (length 14, reuse 24, all character classes)",
)
def password_policy(target: FixTarget, aws: Aws) -> list[Change]:
    """Update the password policy to CIS strength; existing passwords stay valid until changed."""
    iam = aws.client("iam", "us-east-1" if not target.region else target.region)
    try:
        before: dict[str, Any] | None = _params(iam.get_account_password_policy()["PasswordPolicy"])
    except ClientError as exc:
        if error_code(exc) != "NoSuchEntity":
            raise
        before = None
    after = strengthened(before)
    if before == after:
        return []
    call = ApiCall("iam", target.region, "update_account_password_policy", after)
    undo = (
        ApiCall("iam", target.region, "delete_account_password_policy", {})
        if before is None
        else ApiCall("iam", target.region, "update_account_password_policy", before)
    )
    return [Change(call, before, after, undo, note="applies at each user's next password change")]
