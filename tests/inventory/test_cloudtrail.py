"""CloudTrail trail details against moto: encryption, validation, log group, data events, bucket logging."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.cloudtrail import Trail, s3_data_events_from

ACCOUNT = "123456789012"


def collect(collector_id: str, region: str = "us-east-1") -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_home_trails_carry_their_settings(aws: str) -> None:
    s3 = boto3.client("s3")
    for bucket in ("trail-logs", "access-logs"):
        s3.create_bucket(Bucket=bucket)
    s3.put_bucket_acl(Bucket="access-logs", ACL="log-delivery-write")
    s3.put_bucket_logging(
        Bucket="trail-logs",
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "t/"}},
    )
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName="cloudtrail")
    group = logs.describe_log_groups()["logGroups"][0]["arn"]
    ct = boto3.client("cloudtrail")
    ct.create_trail(
        Name="org-trail",
        S3BucketName="trail-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1",
        CloudWatchLogsLogGroupArn=group,
        CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/ct",
    )
    ct.put_event_selectors(
        TrailName="org-trail",
        EventSelectors=[
            {
                "ReadWriteType": "WriteOnly",
                "IncludeManagementEvents": True,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
            }
        ],
    )
    ct.create_trail(Name="plain", S3BucketName="access-logs")
    boto3.client("cloudtrail", region_name="eu-west-1").create_trail(
        Name="eu-only", S3BucketName="access-logs"
    )

    org, plain = collect("cloudtrail.home_trails")
    assert isinstance(org, Trail) and org.name == "org-trail"
    assert org.log_file_validation and org.kms_key_id and org.log_group_arn == group
    assert org.s3_bucket == "trail-logs" and org.bucket_logging is True
    assert org.s3_data_events == "WriteOnly" and org.management_events == "WriteOnly"
    assert plain.name == "plain" and not plain.log_file_validation and plain.kms_key_id is None
    assert plain.bucket_logging is False and plain.s3_data_events is None
    # the multi-region trail is not repeated as a shadow copy in another region
    (eu,) = collect("cloudtrail.home_trails", "eu-west-1")
    assert eu.name == "eu-only" and eu.region == "eu-west-1"
    (account,) = collect("cloudtrail.trails")
    assert {t.name: t.s3_data_events for t in account.trails}["org-trail"] == "WriteOnly"


def test_unreadable_trail_bucket_is_unknown_not_false(aws: str) -> None:
    boto3.client("s3").create_bucket(Bucket="short-lived")
    ct = boto3.client("cloudtrail")
    ct.create_trail(Name="gone", S3BucketName="short-lived")
    boto3.client("s3").delete_bucket(Bucket="short-lived")
    (trail,) = collect("cloudtrail.home_trails")
    assert trail.bucket_logging is None and "not readable" in trail.bucket_logging_note


def test_s3_data_event_selectors() -> None:
    advanced_all = {
        "AdvancedEventSelectors": [
            {
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"]},
                    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                ]
            }
        ]
    }
    assert s3_data_events_from(advanced_all) == "All"
    read_only = {
        "AdvancedEventSelectors": [
            {
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"]},
                    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                    {"Field": "readOnly", "Equals": ["true"]},
                ]
            }
        ]
    }
    assert s3_data_events_from(read_only) == "ReadOnly"
    one_bucket = {
        "EventSelectors": [
            {
                "ReadWriteType": "All",
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::b/"]}],
            }
        ]
    }
    assert s3_data_events_from(one_bucket) is None
    narrowed = {
        "AdvancedEventSelectors": [
            {
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"]},
                    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                    {"Field": "eventName", "Equals": ["PutObject"]},
                ]
            }
        ]
    }
    assert s3_data_events_from(narrowed) is None
    classic_all = {
        "EventSelectors": [
            {
                "ReadWriteType": "ReadOnly",
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::"]}],
            },
            {
                "ReadWriteType": "WriteOnly",
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
            },
        ]
    }
    assert s3_data_events_from(classic_all) == "All"
