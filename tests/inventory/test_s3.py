"""S3 bucket settings and access point collectors against the moto server over HTTP."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.s3 import (
    PublicAccessBlock,
    S3AccessPoint,
    S3BucketSettings,
    S3MultiRegionAccessPoint,
    notification_destinations_from,
)

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_bucket_settings(aws: str) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="plain-bucket")
    s3.create_bucket(Bucket="vault-bucket", ObjectLockEnabledForBucket=True)
    s3.create_bucket(Bucket="log-bucket", ACL="log-delivery-write")
    s3.put_bucket_versioning(Bucket="plain-bucket", VersioningConfiguration={"Status": "Suspended"})
    s3.put_bucket_encryption(
        Bucket="vault-bucket",
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket="vault-bucket",
        LifecycleConfiguration={
            "Rules": [
                {"ID": "on", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 30}},
                {"ID": "off", "Status": "Disabled", "Filter": {"Prefix": "x"}, "Expiration": {"Days": 1}},
            ]
        },
    )
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="vault-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    # moto 5.2.5 stores but never returns EventBridgeConfiguration, so the test uses SQS.
    s3.put_bucket_notification_configuration(
        Bucket="vault-bucket",
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    s3.put_bucket_logging(
        Bucket="vault-bucket",
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "log-bucket", "TargetPrefix": "vault/"}},
    )
    found = {b.name: b for b in collect("s3.bucket_settings")}
    assert set(found) == {"log-bucket", "plain-bucket", "vault-bucket"}
    plain, vault = found["plain-bucket"], found["vault-bucket"]
    assert isinstance(vault, S3BucketSettings) and vault.arn == "arn:aws:s3:::vault-bucket"
    assert plain.versioning == "Suspended" and not plain.mfa_delete and not plain.object_lock
    assert plain.lifecycle_rules_enabled == 0 and plain.notification_destinations == ()
    assert plain.logging_target is None and "aws:kms" not in plain.encryption_algorithms
    assert vault.versioning == "Enabled" and vault.object_lock  # Object Lock turns versioning on
    assert vault.encryption_algorithms == ("aws:kms",)
    assert vault.lifecycle_rules_enabled == 1
    assert vault.notification_destinations == (f"sqs:{queue_arn}",)
    assert vault.logging_target == "log-bucket"


def test_access_points_and_bucket_owner(aws: str) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="shared-bucket")
    s3control = ClientFactory(boto3.Session(), ACCOUNT).client("s3control", REGION)  # with the URL hook
    s3control.create_access_point(AccountId=ACCOUNT, Name="locked", Bucket="shared-bucket")
    s3control.create_access_point(
        AccountId=ACCOUNT,
        Name="open",
        Bucket="shared-bucket",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": False,
            "IgnorePublicAcls": False,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    locked, opened = collect("s3.access_points")
    assert isinstance(locked, S3AccessPoint) and locked.name == "locked" and locked.bucket == "shared-bucket"
    assert locked.arn == f"arn:aws:s3:{REGION}:{ACCOUNT}:accesspoint/locked"
    assert locked.public_access_block == PublicAccessBlock(True, True, True, True)
    assert opened.public_access_block == PublicAccessBlock(False, False, False, False)
    (bucket,) = collect("s3.buckets")
    assert bucket.owner_id and all(g.grantee == bucket.owner_id for g in bucket.acl_grants)


def test_notification_destinations_include_eventbridge() -> None:
    config = {"EventBridgeConfiguration": {}, "TopicConfigurations": [{"TopicArn": "arn:t", "Events": []}]}
    assert notification_destinations_from(config) == ("sns:arn:t", "eventbridge")


def test_multi_region_access_points(aws: str) -> None:
    boto3.client("s3").create_bucket(Bucket="mrap-bucket")
    s3control = ClientFactory(boto3.Session(), ACCOUNT).client("s3control", "us-west-2")
    for name, blocked in (("sealed", True), ("leaky", False)):
        s3control.create_multi_region_access_point(
            AccountId=ACCOUNT,
            ClientToken=name,
            Details={
                "Name": name,
                "PublicAccessBlock": {
                    "BlockPublicAcls": blocked,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
                "Regions": [{"Bucket": "mrap-bucket"}],
            },
        )
    leaky, sealed = collect("s3.multi_region_access_points")
    assert isinstance(sealed, S3MultiRegionAccessPoint) and sealed.name == "sealed"
    assert sealed.arn.startswith(f"arn:aws:s3::{ACCOUNT}:accesspoint/")
    assert sealed.public_access_block == PublicAccessBlock(True, True, True, True)
    assert leaky.public_access_block == PublicAccessBlock(False, True, True, True)
