"""CloudTrail fix: enable log file integrity validation."""

from __future__ import annotations

from soryoku.posture.fixes.base import ApiCall, Aws, Change, FixTarget, fix


@fix("cloudtrail_log_file_validation_enabled", service="cloudtrail", summary="Enable log file validation")
def log_file_validation(target: FixTarget, aws: Aws) -> list[Change]:
    """Turn on digest files for the trail (nothing else about the trail changes)."""
    trail = target.resource_uid
    cloudtrail = aws.client("cloudtrail", target.region)
    trails = cloudtrail.describe_trails(trailNameList=[trail]).get("trailList", [])
    if not trails or trails[0].get("LogFileValidationEnabled"):
        return []
    call = ApiCall(
        "cloudtrail", target.region, "update_trail", {"Name": trail, "EnableLogFileValidation": True}
    )
    undo = ApiCall(
        "cloudtrail", target.region, "update_trail", {"Name": trail, "EnableLogFileValidation": False}
    )
    return [Change(call, {"LogFileValidationEnabled": False}, {"LogFileValidationEnabled": True}, undo)]
