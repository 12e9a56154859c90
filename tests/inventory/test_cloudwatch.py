"""CloudWatch trail monitoring against moto: trail → log group → metric filter → alarm → SNS subscribers."""

from __future__ import annotations

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.cloudwatch import TrailMonitoring, log_group_location

ACCOUNT = "123456789012"


def test_trail_log_group_filters_alarms_and_subscribers(aws: str) -> None:
    boto3.client("s3").create_bucket(Bucket="trail-logs")
    logs = boto3.client("logs", region_name="eu-west-1")
    logs.create_log_group(logGroupName="org-trail")
    group = logs.describe_log_groups()["logGroups"][0]["arn"]
    boto3.client("cloudtrail").create_trail(
        Name="org-trail",
        S3BucketName="trail-logs",
        IsMultiRegionTrail=True,
        CloudWatchLogsLogGroupArn=group,
        CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/ct",
    )
    pattern = "{ ($.eventName = CreateTrail) || ($.eventName = StopLogging) }"
    logs.put_metric_filter(
        logGroupName="org-trail",
        filterName="trail-changes",
        filterPattern=pattern,
        metricTransformations=[{"metricName": "TrailChanges", "metricNamespace": "CIS", "metricValue": "1"}],
    )
    sns = boto3.client("sns", region_name="eu-west-1")
    topic = sns.create_topic(Name="security-alarms")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="soc@example.com")
    boto3.client("cloudwatch", region_name="eu-west-1").put_metric_alarm(
        AlarmName="trail-changes",
        MetricName="TrailChanges",
        Namespace="CIS",
        Statistic="Sum",
        Period=300,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        EvaluationPeriods=1,
        AlarmActions=[topic],
    )
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    (state,) = COLLECTORS.get("cloudwatch.trail_alarms").collect(
        CollectContext(factory, ACCOUNT, "us-east-1")
    )
    assert isinstance(state, TrailMonitoring)
    monitored = state.log_group(group.removesuffix(":*"))
    assert monitored is not None
    (metric_filter,) = monitored.filters
    assert metric_filter.pattern == pattern and metric_filter.metrics == (("CIS", "TrailChanges"),)
    (alarm,) = metric_filter.alarms
    assert alarm.name == "trail-changes" and alarm.topics[0].arn == topic
    assert alarm.topics[0].confirmed_subscriptions == 1


def test_no_trail_means_no_log_group(aws: str) -> None:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    (state,) = COLLECTORS.get("cloudwatch.trail_alarms").collect(
        CollectContext(factory, ACCOUNT, "us-east-1")
    )
    assert state.log_groups == ()
    assert log_group_location("arn:aws:logs:eu-west-1:1:log-group:a:b:*") == ("eu-west-1", "a:b")


def test_log_group_of_another_account_is_not_read(aws: str) -> None:
    boto3.client("s3").create_bucket(Bucket="trail-logs")
    boto3.client("cloudtrail").create_trail(
        Name="org-trail",
        S3BucketName="trail-logs",
        IsMultiRegionTrail=True,
        CloudWatchLogsLogGroupArn="arn:aws:logs:us-east-1:111111111111:log-group:org-trail:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/ct",
    )
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    (state,) = COLLECTORS.get("cloudwatch.trail_alarms").collect(
        CollectContext(factory, ACCOUNT, "us-east-1")
    )
    (group,) = state.log_groups
    assert group.filters == () and group.unreadable and "111111111111" in group.unreadable
