"""Fixes that turn on regional security services: GuardDuty and Security Hub."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from soryoku.posture.fixes.base import ApiCall, Aws, Change, FixTarget, error_code, fix


@fix("guardduty_enabled", service="guardduty", summary="Enable GuardDuty in the region")
def guardduty(target: FixTarget, aws: Aws) -> list[Change]:
    """Enable the region's existing detector, or create one (undo deletes the detector it created)."""
    client = aws.client("guardduty", target.region)
    detector_ids = client.list_detectors().get("DetectorIds", [])
    for detector_id in detector_ids:
        status = client.get_detector(DetectorId=detector_id).get("Status")
        if status == "ENABLED":
            return []
    if detector_ids:
        detector_id = detector_ids[0]
        call = ApiCall(
            "guardduty", target.region, "update_detector", {"DetectorId": detector_id, "Enable": True}
        )
        undo = ApiCall(
            "guardduty", target.region, "update_detector", {"DetectorId": detector_id, "Enable": False}
        )
        return [Change(call, {"Status": "DISABLED"}, {"Status": "ENABLED"}, undo)]
    region = target.region

    def delete_created(response: Mapping[str, Any]) -> ApiCall:
        return ApiCall("guardduty", region, "delete_detector", {"DetectorId": response["DetectorId"]})

    call = ApiCall("guardduty", region, "create_detector", {"Enable": True})
    return [Change(call, {"detector": None}, {"Status": "ENABLED"}, undo_from_response=delete_created)]


@fix("securityhub_enabled", service="securityhub", summary="Enable Security Hub in the region (no standards)")
def security_hub(target: FixTarget, aws: Aws) -> list[Change]:
    """Enable Security Hub without subscribing to default standards (that stays your choice)."""
    client = aws.client("securityhub", target.region)
    try:
        client.describe_hub()
        return []
    except ClientError as exc:
        if error_code(exc) not in {"InvalidAccessException", "ResourceNotFoundException"}:
            raise
    call = ApiCall("securityhub", target.region, "enable_security_hub", {"EnableDefaultStandards": False})
    undo = ApiCall("securityhub", target.region, "disable_security_hub", {})
    return [Change(call, {"hub": None}, {"hub": "enabled"}, undo)]
