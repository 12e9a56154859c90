"""The demo story's data layer: S3 bucket hardening, and FAIL/PASS twins for the data services.

The base story's two buckets are evaluated by the data checks too: the public site-assets bucket is
left as it is (its FAILs below are genuine misconfigurations of a quick static-site bucket), while
the customer-data bucket gets the protections a bucket of customer exports should have —
versioning, SSE-KMS, a lifecycle rule, events to a queue, an HTTPS-only policy — and
one mistake: an analytics partner account may rewrite object ACLs.
"""

from __future__ import annotations

import json
from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.demo.scenario import PRIMARY_REGION, DemoEstate

PUBLIC_BUCKET = "soryoku-demo-site-assets"
PRIVATE_BUCKET = "soryoku-demo-customer-data"
PARTNER_ACCOUNT = "444455556666"
DATA_EVENTS_QUEUE = "soryoku-demo-data-events"
OPEN_ACCESS_POINT = "soryoku-demo-site-ap"
LOCKED_ACCESS_POINT = "soryoku-demo-exports-ap"

_BUCKET_CHECKS_FAILING_ON_SITE_ASSETS = (
    "s3_bucket_secure_transport_policy",
    "s3_bucket_acl_not_used",  # the public-read ACL of the story
    "s3_bucket_server_access_logging_enabled",
    "s3_bucket_versioning_enabled",
    "s3_bucket_mfa_delete_enabled",
    "s3_bucket_lifecycle_configured",
    "s3_bucket_event_notifications_enabled",
    "s3_bucket_object_lock_enabled",
    "s3_bucket_default_encryption_kms",
)

EXPECTED_FAILS: set[tuple[str, str]] = {
    *((check, PUBLIC_BUCKET) for check in _BUCKET_CHECKS_FAILING_ON_SITE_ASSETS),
    ("s3_bucket_cross_account_sensitive_actions", PRIVATE_BUCKET),
    # No log bucket in the demo (a log-delivery ACL would itself be an S3.12 finding).
    ("s3_bucket_server_access_logging_enabled", PRIVATE_BUCKET),
    # moto 5.2.5 does not store MFADelete, and only the root user could enable it anyway.
    ("s3_bucket_mfa_delete_enabled", PRIVATE_BUCKET),
    # moto enables Object Lock only on an empty bucket, and the story's bucket already holds exports.
    ("s3_bucket_object_lock_enabled", PRIVATE_BUCKET),
    ("s3_access_point_public_access_block", OPEN_ACCESS_POINT),
}

EXPECTED_PASSES: set[tuple[str, str]] = {
    ("s3_bucket_secure_transport_policy", PRIVATE_BUCKET),
    ("s3_bucket_acl_not_used", PRIVATE_BUCKET),
    ("s3_bucket_cross_account_sensitive_actions", PUBLIC_BUCKET),
    ("s3_bucket_versioning_enabled", PRIVATE_BUCKET),
    ("s3_bucket_lifecycle_configured", PRIVATE_BUCKET),
    ("s3_bucket_event_notifications_enabled", PRIVATE_BUCKET),
    ("s3_bucket_default_encryption_kms", PRIVATE_BUCKET),
    ("s3_access_point_public_access_block", LOCKED_ACCESS_POINT),
}


def _client(service: str, region: str = PRIMARY_REGION) -> Any:
    return boto3.client(service, region_name=region)


def _harden_customer_data(estate: DemoEstate) -> None:
    s3, sqs = _client("s3"), _client("sqs")
    queue_url = sqs.create_queue(QueueName=DATA_EVENTS_QUEUE)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    s3.put_bucket_versioning(Bucket=PRIVATE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=PRIVATE_BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}
            ]
        },
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=PRIVATE_BUCKET,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire-old-versions",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
                }
            ]
        },
    )
    s3.put_bucket_notification_configuration(
        Bucket=PRIVATE_BUCKET,
        NotificationConfiguration={
            "QueueConfigurations": [
                {"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]}
            ]
        },
    )
    arn = f"arn:aws:s3:::{PRIVATE_BUCKET}"
    # moto enforces Deny statements on writes (ignoring conditions): the story's objects exist already.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "AnalyticsPartner",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{PARTNER_ACCOUNT}:root"},
                "Action": ["s3:GetObject", "s3:PutObjectAcl"],
                "Resource": f"{arn}/exports/*",
            },
        ],
    }
    s3.put_bucket_policy(Bucket=PRIVATE_BUCKET, Policy=json.dumps(policy))
    estate.resources.update({"data_events_queue": queue_url})


def _seed_access_points(estate: DemoEstate) -> None:
    s3control = ClientFactory(boto3.Session(), estate.account_id).client("s3control", PRIMARY_REGION)
    s3control.create_access_point(
        AccountId=estate.account_id,
        Name=OPEN_ACCESS_POINT,
        Bucket=PUBLIC_BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": False,
            "IgnorePublicAcls": False,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    s3control.create_access_point(
        AccountId=estate.account_id, Name=LOCKED_ACCESS_POINT, Bucket=PRIVATE_BUCKET
    )


def seed(estate: DemoEstate) -> None:
    """Add the data layer to the demo account (after the base story's buckets exist)."""
    _harden_customer_data(estate)
    _seed_access_points(estate)


__all__ = ["EXPECTED_FAILS", "EXPECTED_PASSES", "seed"]
