"""SQS queue collector against the moto server over HTTP."""

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


def test_queues_with_encryption_and_policy(aws: str) -> None:
    sqs = boto3.client("sqs")
    sqs.create_queue(QueueName="jobs")
    policy = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}'
    sqs.create_queue(QueueName="plain", Attributes={"SqsManagedSseEnabled": "false", "Policy": policy})
    sqs.create_queue(QueueName="keyed", Attributes={"KmsMasterKeyId": "alias/aws/sqs"})
    jobs, keyed, plain = collect("sqs.queues")
    assert jobs.arn == f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs" and jobs.sqs_managed_sse and jobs.policy is None
    assert keyed.kms_key_id == "alias/aws/sqs"
    assert not plain.sqs_managed_sse and plain.kms_key_id is None
    assert plain.policy is not None and plain.policy["Statement"][0]["Principal"] == "*"
