"""SQS: queues with their encryption at rest and access policy."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class SqsQueue:
    """A queue: its KMS key (SSE-KMS), SQS-managed encryption (SSE-SQS) and access policy."""

    name: str
    arn: str
    region: str
    url: str
    kms_key_id: str | None = None
    sqs_managed_sse: bool = False
    policy: Mapping[str, Any] | None = None


def _policy(text: str | None) -> Mapping[str, Any] | None:
    return json.loads(text) if text else None


def queue_from(url: str, attributes: Mapping[str, str], region: str) -> SqsQueue:
    """A queue URL and its GetQueueAttributes(All) answer as the model."""
    arn = str(attributes["QueueArn"])
    return SqsQueue(
        name=arn.rsplit(":", 1)[-1],
        arn=arn,
        region=region,
        url=url,
        kms_key_id=attributes.get("KmsMasterKeyId") or None,
        sqs_managed_sse=str(attributes.get("SqsManagedSseEnabled", "false")).lower() == "true",
        policy=_policy(attributes.get("Policy")),
    )


@collector(
    "sqs.queues",
    service="sqs",
    scope="regional",
    actions=("sqs:ListQueues", "sqs:GetQueueAttributes"),
    description="SQS queues with encryption settings and access policy",
)
def collect_sqs_queues(ctx: CollectContext) -> tuple[SqsQueue, ...]:
    """List the region's queues, then read each one's attributes."""
    sqs = ctx.client("sqs")
    urls = [u for page in sqs.get_paginator("list_queues").paginate() for u in page.get("QueueUrls", [])]

    def detail(url: str) -> SqsQueue:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        return queue_from(url, attributes, ctx.region)

    return tuple(sorted(ctx.map(detail, urls), key=lambda q: q.name))


__all__ = ["SqsQueue", "collect_sqs_queues", "queue_from"]
