"""CloudWatch monitoring of CloudTrail: the metric filters on each trail-fed log group, the alarms on
their metrics, and the confirmed subscribers of the SNS topics those alarms notify."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector
from soryoku.inventory.cloudtrail import trails_with_shadows


@dataclass(frozen=True, slots=True)
class AlarmTopic:
    """An SNS topic an alarm notifies and how many confirmed subscriptions it has."""

    arn: str
    confirmed_subscriptions: int


@dataclass(frozen=True, slots=True)
class MetricAlarm:
    """An alarm on a metric filter's metric: whether its actions run, and the SNS topics it notifies."""

    name: str
    actions_enabled: bool
    topics: tuple[AlarmTopic, ...]


@dataclass(frozen=True, slots=True)
class MetricFilter:
    """A metric filter of a log group, its pattern, and the alarms on each metric it publishes."""

    name: str
    pattern: str
    metrics: tuple[tuple[str, str], ...]
    alarms: tuple[MetricAlarm, ...]


@dataclass(frozen=True, slots=True)
class LogGroupMonitoring:
    """A log group a trail delivers to, with its metric filters.

    ``unreadable`` says why the filters could not be read (a log group of another account, e.g. the
    management account's group an organization trail delivers to); ``filters`` is then empty.
    """

    log_group_arn: str
    filters: tuple[MetricFilter, ...]
    unreadable: str | None = None


@dataclass(frozen=True, slots=True)
class TrailMonitoring:
    """Every trail-fed log group of one account (the CIS 4.x monitoring recommendations read this)."""

    arn: str
    region: str
    account_id: str
    log_groups: tuple[LogGroupMonitoring, ...]

    @property
    def name(self) -> str:
        """The account id."""
        return self.account_id

    def log_group(self, arn: str) -> LogGroupMonitoring | None:
        """The monitoring of one log group, matched by ARN (with or without the ``:*`` suffix)."""
        wanted = arn.removesuffix(":*")
        return next((g for g in self.log_groups if g.log_group_arn.removesuffix(":*") == wanted), None)


def log_group_location(arn: str) -> tuple[str, str]:
    """(region, log group name) of ``arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]``."""
    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "logs" or parts[5] != "log-group":
        raise ValueError(f"not a log group ARN: {arn!r}")
    return parts[3], ":".join(parts[6:]).removesuffix(":*")


def alarm_from(item: Mapping[str, Any], subscriptions: Mapping[str, int]) -> MetricAlarm:
    """One DescribeAlarmsForMetric entry, its SNS actions resolved to confirmed-subscription counts."""
    topics = tuple(
        AlarmTopic(str(action), subscriptions.get(str(action), 0))
        for action in item.get("AlarmActions", [])
        if str(action).startswith("arn:") and str(action).split(":")[2] == "sns"
    )
    return MetricAlarm(str(item.get("AlarmName", "")), bool(item.get("ActionsEnabled", True)), topics)


def confirmed(subscriptions: list[Mapping[str, Any]]) -> int:
    """Subscriptions with a real ARN (not ``PendingConfirmation`` or ``Deleted``)."""
    return sum(1 for s in subscriptions if str(s.get("SubscriptionArn", "")).startswith("arn:"))


@collector(
    "cloudwatch.trail_alarms",
    service="cloudwatch",
    scope="global",
    actions=(
        "cloudtrail:DescribeTrails",
        "logs:DescribeMetricFilters",
        "cloudwatch:DescribeAlarmsForMetric",
        "sns:ListSubscriptionsByTopic",
    ),
    description="metric filters, alarms and SNS subscribers on the log groups CloudTrail trails feed",
)
def collect_trail_alarms(ctx: CollectContext) -> tuple[TrailMonitoring, ...]:
    """Follow each trail's log group to its metric filters, their alarms, and the alarms' SNS topics."""
    listed = trails_with_shadows(ctx)
    groups = sorted(
        {str(t["CloudWatchLogsLogGroupArn"]) for t in listed if t.get("CloudWatchLogsLogGroupArn")}
    )
    subscriptions: dict[str, int] = {}

    def topic_subscribers(topic: str) -> int:
        if topic not in subscriptions:
            sns = ctx.client("sns", topic.split(":")[3])
            pages = sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic)
            subscriptions[topic] = sum(confirmed(page.get("Subscriptions", [])) for page in pages)
        return subscriptions[topic]

    def monitor(group_arn: str) -> LogGroupMonitoring:
        region, name = log_group_location(group_arn)
        owner = group_arn.split(":")[4]
        if owner != ctx.account_id:
            return LogGroupMonitoring(group_arn, (), f"log group {name} belongs to account {owner}")
        logs, cloudwatch = ctx.client("logs", region), ctx.client("cloudwatch", region)
        filters = []
        for page in logs.get_paginator("describe_metric_filters").paginate(logGroupName=name):
            for item in page.get("metricFilters", []):
                metrics = tuple(
                    (str(m.get("metricNamespace", "")), str(m.get("metricName", "")))
                    for m in item.get("metricTransformations", [])
                )
                alarms = []
                for namespace, metric in metrics:
                    found = cloudwatch.describe_alarms_for_metric(MetricName=metric, Namespace=namespace)
                    for alarm in found.get("MetricAlarms", []):
                        for action in alarm.get("AlarmActions", []):
                            if str(action).split(":")[2:3] == ["sns"]:
                                topic_subscribers(str(action))
                        alarms.append(alarm_from(alarm, subscriptions))
                filters.append(
                    MetricFilter(
                        str(item.get("filterName", "")),
                        str(item.get("filterPattern", "")),
                        metrics,
                        tuple(alarms),
                    )
                )
        return LogGroupMonitoring(group_arn, tuple(filters))

    arn = f"arn:{ctx.partition}:cloudwatch::{ctx.account_id}:trail-monitoring"
    return (TrailMonitoring(arn, ctx.region, ctx.account_id, tuple(monitor(g) for g in groups)),)


__all__ = [
    "AlarmTopic",
    "LogGroupMonitoring",
    "MetricAlarm",
    "MetricFilter",
    "TrailMonitoring",
    "alarm_from",
    "collect_trail_alarms",
    "confirmed",
    "log_group_location",
]
