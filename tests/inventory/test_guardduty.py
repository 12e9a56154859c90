"""GuardDuty detectors with their protection plans against moto."""

from __future__ import annotations

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.guardduty import detector_from

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


def test_additional_configuration_of_a_feature() -> None:
    # moto 5.2.5 drops RUNTIME_MONITORING and additional configurations: the GetDetector shape of AWS
    answer = {
        "Status": "ENABLED",
        "Features": [
            {
                "Name": "RUNTIME_MONITORING",
                "Status": "ENABLED",
                "AdditionalConfiguration": [
                    {"Name": "EKS_ADDON_MANAGEMENT", "Status": "ENABLED"},
                    {"Name": "ECS_FARGATE_AGENT_MANAGEMENT", "Status": "DISABLED"},
                ],
            }
        ],
    }
    detector = detector_from("d1", answer)
    assert detector.feature("RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT") == "ENABLED"
    assert detector.feature("RUNTIME_MONITORING/ECS_FARGATE_AGENT_MANAGEMENT") == "DISABLED"
