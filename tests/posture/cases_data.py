"""PASS and FAIL cases for the data group's checks: S3 (beyond public access), RDS, DynamoDB, EFS,
OpenSearch, Redshift, ElastiCache, Secrets Manager, SNS and SQS — hand-built models, no AWS."""

from __future__ import annotations

from typing import Any

from soryoku.inventory.s3 import AclGrant, PublicAccessBlock, S3AccessPoint, S3Bucket, S3BucketSettings

from .cases import ACCOUNT, FAIL, PASS, REGION, Case

OTHER_ACCOUNT = "210987654321"
OWNER = "owner-canonical-id"


def bucket(**kwargs: Any) -> S3Bucket:
    return S3Bucket(name="data", arn="arn:aws:s3:::data", region=REGION, owner_id=OWNER, **kwargs)


def settings(**kwargs: Any) -> S3BucketSettings:
    return S3BucketSettings(name="data", arn="arn:aws:s3:::data", region=REGION, **kwargs)


def statement(effect: str, action: Any, principal: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Principal": principal, "Action": action, **extra}


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


SSL_DENY = statement(
    "Deny",
    "s3:*",
    Resource=["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
    Condition={"Bool": {"aws:SecureTransport": "false"}},
)


def access_point(block: PublicAccessBlock | None) -> S3AccessPoint:
    arn = f"arn:aws:s3:{REGION}:{ACCOUNT}:accesspoint/ap"
    return S3AccessPoint("ap", arn, REGION, "data", "Internet", block)


SSL = "s3_bucket_secure_transport_policy"
CROSS = "s3_bucket_cross_account_sensitive_actions"

S3_CASES: list[Case] = [
    # S3.5 / CIS 2.1.1
    Case("ssl deny policy", SSL, bucket(policy=policy(SSL_DENY)), PASS),
    Case("no policy", SSL, bucket(), FAIL, says="no bucket policy"),
    Case(
        "deny covers objects only",
        SSL,
        bucket(policy=policy({**SSL_DENY, "Resource": "arn:aws:s3:::data/*"})),
        FAIL,
    ),
    Case(
        "deny of GetObject only",
        SSL,
        bucket(policy=policy({**SSL_DENY, "Action": "s3:GetObject"})),
        FAIL,
    ),
    Case(
        "deny with wildcard resource and principal AWS *",
        SSL,
        bucket(
            policy=policy(
                {
                    **SSL_DENY,
                    "Principal": {"AWS": "*"},
                    "Resource": "*",
                    "Condition": {"Bool": {"aws:SecureTransport": False}},
                }
            )
        ),
        PASS,
    ),
    # S3.6
    Case("no policy grants nothing", CROSS, bucket(), PASS),
    Case(
        "public read is not a sensitive action",
        CROSS,
        bucket(policy=policy(statement("Allow", "s3:GetObject"))),
        PASS,
    ),
    Case(
        "same account may change the policy",
        CROSS,
        bucket(
            policy=policy(statement("Allow", "s3:PutBucketPolicy", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}))
        ),
        PASS,
    ),
    Case(
        "partner may rewrite object ACLs",
        CROSS,
        bucket(policy=policy(statement("Allow", "s3:PutObjectAcl", {"AWS": OTHER_ACCOUNT}))),
        FAIL,
        says=f"{OTHER_ACCOUNT}:s3:PutObjectAcl",
    ),
    Case(
        "partner role with s3:Put* (conditions are not considered)",
        CROSS,
        bucket(
            policy=policy(
                statement(
                    "Allow",
                    "s3:Put*",
                    {"AWS": [f"arn:aws:iam::{OTHER_ACCOUNT}:role/sync"]},
                    Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
                )
            )
        ),
        FAIL,
        says="s3:PutBucketPolicy",
    ),
    Case(
        "deny is not a grant",
        CROSS,
        bucket(policy=policy(statement("Deny", "s3:*", {"AWS": OTHER_ACCOUNT}))),
        PASS,
    ),
    # S3.12
    Case(
        "owner-only ACL",
        "s3_bucket_acl_not_used",
        bucket(acl_grants=(AclGrant(OWNER, "FULL_CONTROL"),)),
        PASS,
    ),
    Case(
        "ACL grant to another canonical user",
        "s3_bucket_acl_not_used",
        bucket(acl_grants=(AclGrant(OWNER, "FULL_CONTROL"), AclGrant("partner-id", "READ"))),
        FAIL,
        says="partner-id:READ",
    ),
    # S3.19
    Case(
        "access point block on",
        "s3_access_point_public_access_block",
        access_point(PublicAccessBlock(True, True, True, True)),
        PASS,
    ),
    Case(
        "access point block off",
        "s3_access_point_public_access_block",
        access_point(PublicAccessBlock(True, True, False, False)),
        FAIL,
        says="BlockPublicPolicy, RestrictPublicBuckets",
    ),
    Case("access point without block", "s3_access_point_public_access_block", access_point(None), FAIL),
    # S3.9
    Case(
        "logging on",
        "s3_bucket_server_access_logging_enabled",
        settings(logging_target="logs"),
        PASS,
    ),
    Case("logging off", "s3_bucket_server_access_logging_enabled", settings(), FAIL),
    # S3.14
    Case("versioning on", "s3_bucket_versioning_enabled", settings(versioning="Enabled"), PASS),
    Case(
        "versioning suspended",
        "s3_bucket_versioning_enabled",
        settings(versioning="Suspended"),
        FAIL,
        says="suspended",
    ),
    Case("versioning never on", "s3_bucket_versioning_enabled", settings(), FAIL, says="never enabled"),
    # S3.20 / CIS 2.1.2
    Case(
        "mfa delete on",
        "s3_bucket_mfa_delete_enabled",
        settings(versioning="Enabled", mfa_delete=True),
        PASS,
    ),
    Case("mfa delete off", "s3_bucket_mfa_delete_enabled", settings(versioning="Enabled"), FAIL),
    # S3.13
    Case("lifecycle rule", "s3_bucket_lifecycle_configured", settings(lifecycle_rules_enabled=1), PASS),
    Case("no lifecycle rule", "s3_bucket_lifecycle_configured", settings(), FAIL),
    # S3.11
    Case(
        "events to EventBridge",
        "s3_bucket_event_notifications_enabled",
        settings(notification_destinations=("eventbridge",)),
        PASS,
    ),
    Case("no events", "s3_bucket_event_notifications_enabled", settings(), FAIL),
    # S3.15
    Case("object lock", "s3_bucket_object_lock_enabled", settings(object_lock=True), PASS),
    Case("no object lock", "s3_bucket_object_lock_enabled", settings(), FAIL),
    # S3.17
    Case(
        "sse-kms",
        "s3_bucket_default_encryption_kms",
        settings(encryption_algorithms=("aws:kms",)),
        PASS,
    ),
    Case(
        "sse-s3 only",
        "s3_bucket_default_encryption_kms",
        settings(encryption_algorithms=("AES256",)),
        FAIL,
        says="AES256",
    ),
    Case("no default encryption", "s3_bucket_default_encryption_kms", settings(), FAIL),
]

CASES: list[Case] = S3_CASES
