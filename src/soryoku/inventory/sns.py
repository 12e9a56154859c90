"""SNS: topics with their KMS encryption and access policy."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class SnsTopic:
    """A topic: its KMS key (None = not encrypted at rest with KMS) and access policy."""

    name: str
    arn: str
    region: str
    kms_key_id: str | None = None
    policy: Mapping[str, Any] | None = None


def _policy(text: str | None) -> Mapping[str, Any] | None:
    return json.loads(text) if text else None


def topic_from(attributes: Mapping[str, str], region: str) -> SnsTopic:
    """A GetTopicAttributes answer as the model."""
    arn = str(attributes["TopicArn"])
    return SnsTopic(
        name=arn.rsplit(":", 1)[-1],
        arn=arn,
        region=region,
        kms_key_id=attributes.get("KmsMasterKeyId") or None,
        policy=_policy(attributes.get("Policy")),
    )


@collector(
    "sns.topics",
    service="sns",
    scope="regional",
    actions=("sns:ListTopics", "sns:GetTopicAttributes"),
    description="SNS topics with KMS encryption and access policy",
)
def collect_sns_topics(ctx: CollectContext) -> tuple[SnsTopic, ...]:
    """List the region's topics, then read each one's attributes."""
    sns = ctx.client("sns")
    arns = [
        t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page.get("Topics", [])
    ]

    def detail(arn: str) -> SnsTopic:
        return topic_from(sns.get_topic_attributes(TopicArn=arn)["Attributes"], ctx.region)

    return tuple(sorted(ctx.map(detail, arns), key=lambda t: t.name))


__all__ = ["SnsTopic", "collect_sns_topics", "topic_from"]
