"""GuardDuty detectors with their protection plans against moto."""

from __future__ import annotations

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"


def test_detector_features(aws: str) -> None:
    boto3.client("guardduty").create_detector(
        Enable=True,
        Features=[
            {"Name": "S3_DATA_EVENTS", "Status": "ENABLED"},
            {"Name": "EKS_AUDIT_LOGS", "Status": "DISABLED"},
        ],
    )
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    (state,) = COLLECTORS.get("guardduty.detectors").collect(CollectContext(factory, ACCOUNT, "us-east-1"))
    (detector,) = state.detectors
    assert state.enabled and detector.feature("S3_DATA_EVENTS") == "ENABLED"
    assert detector.feature("EKS_AUDIT_LOGS") == "DISABLED" and detector.feature("RDS_LOGIN_EVENTS") is None
