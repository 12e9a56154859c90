"""PASS and FAIL cases for the data group's checks: S3 (beyond public access), RDS, DynamoDB, EFS,
OpenSearch, Redshift, ElastiCache, Secrets Manager, SNS and SQS — hand-built models, no AWS."""

from __future__ import annotations

from typing import Any

from soryoku.inventory.ec2 import IngressRule, SecurityGroup
from soryoku.inventory.rds import RdsCluster, RdsEventSubscription, RdsInstance, RdsSnapshot
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


def db(**kwargs: Any) -> RdsInstance:
    base: dict[str, Any] = {"engine": "postgres", "port": 5432, "security_group_ids": ("sg-db",)}
    base.update(kwargs)
    return RdsInstance("orders", f"arn:aws:rds:{REGION}:{ACCOUNT}:db:orders", REGION, **base)


def cluster(**kwargs: Any) -> RdsCluster:
    return RdsCluster(
        "analytics", f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:analytics", REGION, "aurora-mysql", **kwargs
    )


def snapshot(**kwargs: Any) -> RdsSnapshot:
    return RdsSnapshot(
        "snap", f"arn:aws:rds:{REGION}:{ACCOUNT}:snapshot:snap", REGION, "instance", "orders", **kwargs
    )


def subscription(source_type: str, *categories: str, enabled: bool = True) -> RdsEventSubscription:
    arn = f"arn:aws:rds:{REGION}:{ACCOUNT}:es:ops"
    return RdsEventSubscription("ops", arn, REGION, source_type, tuple(categories), enabled)


def db_groups(*rules: IngressRule) -> dict[str, tuple[Any, ...]]:
    group = SecurityGroup(
        "sg-db", "db", f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-db", REGION, "vpc-1", rules
    )
    other = SecurityGroup(
        "sg-web",
        "web",
        f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-web",
        REGION,
        "vpc-1",
        (IngressRule("tcp", 5432, 5432, ("0.0.0.0/0",)),),
    )
    return {"ec2.security_groups": (group, other)}


PUBLIC_DB = "rds_instance_no_public_access"
ALL_INSTANCE_EVENTS = ("configuration change", "failure", "maintenance")

RDS_CASES: list[Case] = [
    # RDS.2 / CIS 2.3.3 — the verdict by definition, the exposure beside it
    Case("private instance", PUBLIC_DB, db(), PASS, db_groups()),
    Case(
        "public instance, group open to the world",
        PUBLIC_DB,
        db(publicly_accessible=True),
        FAIL,
        db_groups(IngressRule("tcp", 5432, 5432, ("0.0.0.0/0",))),
        says="reachable from the internet on port 5432 (sg-db:0.0.0.0/0)",
    ),
    Case(
        "public instance, group admits only the VPC (another group is open)",
        PUBLIC_DB,
        db(publicly_accessible=True),
        FAIL,
        db_groups(IngressRule("tcp", 5432, 5432, ("10.0.0.0/8",))),
        says="no security group rule admits the internet",
    ),
    Case(
        "public instance, world open on another port only",
        PUBLIC_DB,
        db(publicly_accessible=True),
        FAIL,
        db_groups(IngressRule("tcp", 443, 443, ("0.0.0.0/0",), ("::/0",))),
        says="no security group rule",
    ),
    # RDS.3 / CIS 2.3.1
    Case("encrypted instance", "rds_instance_storage_encrypted", db(storage_encrypted=True), PASS),
    Case("plain instance", "rds_instance_storage_encrypted", db(), FAIL),
    # RDS.1
    Case("private snapshot", "rds_snapshot_not_public", snapshot(), PASS),
    Case(
        "snapshot shared with one account",
        "rds_snapshot_not_public",
        snapshot(restore_accounts=(OTHER_ACCOUNT,)),
        PASS,
        says=OTHER_ACCOUNT,
    ),
    Case(
        "public snapshot", "rds_snapshot_not_public", snapshot(restore_accounts=("all",)), FAIL, says="public"
    ),
    # RDS.4
    Case("encrypted snapshot", "rds_snapshot_encrypted", snapshot(encrypted=True), PASS),
    Case(
        "plain cluster snapshot",
        "rds_snapshot_encrypted",
        RdsSnapshot(
            "cs", f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster-snapshot:cs", REGION, "cluster", "analytics"
        ),
        FAIL,
        says="Cluster snapshot",
    ),
    # RDS.5
    Case("multi-az instance", "rds_instance_multi_az", db(multi_az=True), PASS),
    Case("single-az instance", "rds_instance_multi_az", db(), FAIL),
    # RDS.6
    Case("enhanced monitoring", "rds_instance_enhanced_monitoring", db(monitoring_interval=60), PASS),
    Case("no enhanced monitoring", "rds_instance_enhanced_monitoring", db(), FAIL),
    # RDS.7 / RDS.8
    Case("cluster protected", "rds_cluster_deletion_protection", cluster(deletion_protection=True), PASS),
    Case("cluster unprotected", "rds_cluster_deletion_protection", cluster(), FAIL),
    Case("instance protected", "rds_instance_deletion_protection", db(deletion_protection=True), PASS),
    Case("instance unprotected", "rds_instance_deletion_protection", db(), FAIL),
    # RDS.9
    Case(
        "postgres logs exported",
        "rds_instance_cloudwatch_logs_export",
        db(log_exports=("postgresql", "upgrade")),
        PASS,
    ),
    Case(
        "postgres upgrade log missing",
        "rds_instance_cloudwatch_logs_export",
        db(log_exports=("postgresql",)),
        FAIL,
        says="upgrade",
    ),
    Case(
        "mysql error log only",
        "rds_instance_cloudwatch_logs_export",
        db(engine="mysql", log_exports=("error",)),
        FAIL,
        says="audit, general, slowquery",
    ),
    # RDS.10 / RDS.12
    Case("iam auth on", "rds_instance_iam_authentication", db(iam_auth=True), PASS),
    Case("iam auth off", "rds_instance_iam_authentication", db(engine="mysql"), FAIL),
    Case("cluster iam auth on", "rds_cluster_iam_authentication", cluster(iam_auth=True), PASS),
    Case("cluster iam auth off", "rds_cluster_iam_authentication", cluster(), FAIL),
    # RDS.11
    Case("7 days of backups", "rds_instance_backup_enabled", db(backup_retention_days=7), PASS),
    Case(
        "1 day of backups",
        "rds_instance_backup_enabled",
        db(backup_retention_days=1),
        FAIL,
        says="fewer than 7",
    ),
    Case("backups off", "rds_instance_backup_enabled", db(), FAIL, says="disabled"),
    # RDS.13 / CIS 2.3.2
    Case(
        "auto minor upgrades",
        "rds_instance_minor_version_upgrade",
        db(auto_minor_version_upgrade=True),
        PASS,
    ),
    Case("no auto minor upgrades", "rds_instance_minor_version_upgrade", db(), FAIL),
    # RDS.15 / RDS.27
    Case("multi-az cluster", "rds_cluster_multi_az", cluster(multi_az=True), PASS),
    Case("single-az cluster", "rds_cluster_multi_az", cluster(), FAIL),
    Case("encrypted cluster", "rds_cluster_storage_encrypted", cluster(storage_encrypted=True), PASS),
    Case("plain cluster", "rds_cluster_storage_encrypted", cluster(), FAIL),
    # RDS.19 – RDS.22
    Case(
        "cluster events",
        "rds_event_subscription_cluster_critical_events",
        subscription("db-cluster", "failure", "maintenance"),
        PASS,
    ),
    Case(
        "cluster events without maintenance",
        "rds_event_subscription_cluster_critical_events",
        subscription("db-cluster", "failure"),
        FAIL,
        says="maintenance",
    ),
    Case(
        "instance events: all categories",
        "rds_event_subscription_instance_critical_events",
        subscription("db-instance"),
        PASS,
    ),
    Case(
        "instance events disabled",
        "rds_event_subscription_instance_critical_events",
        subscription("db-instance", *ALL_INSTANCE_EVENTS, enabled=False),
        FAIL,
        says="disabled",
    ),
    Case(
        "parameter group changes",
        "rds_event_subscription_parameter_group_critical_events",
        subscription("db-parameter-group", "configuration change"),
        PASS,
    ),
    Case(
        "parameter group: maintenance only",
        "rds_event_subscription_parameter_group_critical_events",
        subscription("db-parameter-group", "maintenance"),
        FAIL,
    ),
    Case(
        "db security group events",
        "rds_event_subscription_security_group_critical_events",
        subscription("db-security-group", "configuration change", "failure"),
        PASS,
    ),
    Case(
        "db security group: failure only",
        "rds_event_subscription_security_group_critical_events",
        subscription("db-security-group", "failure"),
        FAIL,
        says="configuration change",
    ),
]

RDS_SILENT_CASES: list[tuple[str, Any]] = [
    ("rds_instance_multi_az", db(cluster_id="analytics")),
    ("rds_instance_cloudwatch_logs_export", db(engine="docdb")),
    ("rds_instance_iam_authentication", db(engine="oracle-ee")),
    ("rds_instance_backup_enabled", db(replica_source="orders-primary")),
    ("rds_event_subscription_cluster_critical_events", subscription("db-instance")),
]

CASES: list[Case] = S3_CASES + RDS_CASES
SILENT_CASES: list[tuple[str, Any]] = RDS_SILENT_CASES
