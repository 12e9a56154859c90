"""AWS Config recorders against moto."""

from __future__ import annotations

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.config import ConfigRegion

ACCOUNT = "123456789012"
SLR = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def collect(region: str) -> ConfigRegion:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    (state,) = COLLECTORS.get("config.recorders").collect(CollectContext(factory, ACCOUNT, region))
    assert isinstance(state, ConfigRegion)
    return state


def test_recorders_with_status(aws: str) -> None:
    config = boto3.client("config")
    boto3.client("s3").create_bucket(Bucket="config-history")
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": SLR,
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config-history"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    (recorder,) = collect("us-east-1").recorders
    assert recorder.recording and recorder.all_supported and recorder.include_global_resource_types
    assert recorder.service_linked_role and recorder.healthy
    assert collect("us-west-2").recorders == ()
