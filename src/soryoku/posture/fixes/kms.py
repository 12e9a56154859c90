"""KMS fix: enable automatic key rotation."""

from __future__ import annotations

from soryoku.posture.fixes.base import ApiCall, Aws, Change, FixTarget, fix


@fix("kms_cmk_rotation_enabled", service="kms", summary="Enable automatic rotation of the key")
def key_rotation(target: FixTarget, aws: Aws) -> list[Change]:
    """Enable yearly automatic rotation (old key material stays usable for decryption)."""
    key_id = target.arn_tail
    kms = aws.client("kms", target.region)
    if kms.get_key_rotation_status(KeyId=key_id).get("KeyRotationEnabled"):
        return []
    call = ApiCall("kms", target.region, "enable_key_rotation", {"KeyId": key_id})
    undo = ApiCall("kms", target.region, "disable_key_rotation", {"KeyId": key_id})
    return [Change(call, {"KeyRotationEnabled": False}, {"KeyRotationEnabled": True}, undo)]
