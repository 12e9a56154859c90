"""SNS topic collector against the moto server over HTTP."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_topics_with_kms_and_policy(aws: str) -> None:
    sns = boto3.client("sns")
    sns.create_topic(Name="alerts", Attributes={"KmsMasterKeyId": "alias/aws/sns"})
    sns.create_topic(Name="plain")
    alerts, plain = collect("sns.topics")
    assert alerts.arn == f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts" and alerts.kms_key_id == "alias/aws/sns"
    assert plain.kms_key_id is None
    assert plain.policy is not None and plain.policy["Statement"]  # the default topic policy
