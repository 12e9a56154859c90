"""PASS and FAIL cases for the data group's checks: S3 (beyond public access), RDS, DynamoDB, EFS,
OpenSearch, Redshift, ElastiCache, Secrets Manager, SNS and SQS — hand-built models, no AWS."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from soryoku.inventory.dynamodb import DynamoDbTable
from soryoku.inventory.ec2 import IngressRule, SecurityGroup
from soryoku.inventory.efs import EfsAccessPoint, EfsFileSystem
from soryoku.inventory.elasticache import CacheCluster, ReplicationGroup
from soryoku.inventory.opensearch import OpenSearchDomain
from soryoku.inventory.rds import RdsCluster, RdsEventSubscription, RdsInstance, RdsSnapshot
from soryoku.inventory.redshift import RedshiftCluster
from soryoku.inventory.s3 import AclGrant, PublicAccessBlock, S3AccessPoint, S3Bucket, S3BucketSettings
from soryoku.inventory.secretsmanager import Secret
from soryoku.inventory.sns import SnsTopic
from soryoku.inventory.sqs import SqsQueue

from .cases import ACCOUNT, FAIL, NOW, PASS, REGION, Case

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
    # S3.10
    Case(
        "versioned with lifecycle",
        "s3_bucket_versioned_lifecycle_configured",
        settings(versioning="Enabled", lifecycle_rules_enabled=2),
        PASS,
    ),
    Case(
        "versioned without lifecycle",
        "s3_bucket_versioned_lifecycle_configured",
        settings(versioning="Enabled"),
        FAIL,
        says="forever",
    ),
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
    # RDS.23 / RDS.24 / RDS.25
    Case("custom port", "rds_instance_non_default_port", db(port=6543), PASS),
    Case("default postgres port", "rds_instance_non_default_port", db(), FAIL, says="5432"),
    Case("custom cluster admin", "rds_cluster_custom_admin_username", cluster(master_username="dba"), PASS),
    Case(
        "cluster admin named admin",
        "rds_cluster_custom_admin_username",
        cluster(master_username="admin"),
        FAIL,
        says="admin",
    ),
    Case(
        "custom instance admin", "rds_instance_custom_admin_username", db(master_username="app_owner"), PASS
    ),
    Case(
        "instance admin named postgres",
        "rds_instance_custom_admin_username",
        db(master_username="postgres"),
        FAIL,
        says="postgres",
    ),
    # RDS.16 / RDS.17
    Case(
        "cluster copies tags", "rds_cluster_copy_tags_to_snapshots", cluster(copy_tags_to_snapshot=True), PASS
    ),
    Case("cluster drops tags", "rds_cluster_copy_tags_to_snapshots", cluster(), FAIL),
    Case("instance copies tags", "rds_instance_copy_tags_to_snapshots", db(copy_tags_to_snapshot=True), PASS),
    Case("instance drops tags", "rds_instance_copy_tags_to_snapshots", db(), FAIL),
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
    ("rds_instance_non_default_port", db(engine="neptune")),
    ("rds_instance_copy_tags_to_snapshots", db(cluster_id="analytics")),
    ("s3_bucket_versioned_lifecycle_configured", settings(versioning="Suspended")),
    ("rds_instance_custom_admin_username", db(cluster_id="analytics", master_username="admin")),
]


def table(**kwargs: Any) -> DynamoDbTable:
    return DynamoDbTable("orders", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders", REGION, **kwargs)


def file_system(**kwargs: Any) -> EfsFileSystem:
    return EfsFileSystem(
        "shared", f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/fs-1", REGION, "fs-1", **kwargs
    )


def efs_point(root: str = "/", uid: int | None = None) -> EfsAccessPoint:
    arn = f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:access-point/fsap-1"
    return EfsAccessPoint("fsap-1", arn, REGION, "fs-1", root, uid)


def queue(**kwargs: Any) -> SqsQueue:
    url = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/jobs"
    return SqsQueue("jobs", f"arn:aws:sqs:{REGION}:{ACCOUNT}:jobs", REGION, url, **kwargs)


def topic(**kwargs: Any) -> SnsTopic:
    return SnsTopic("alerts", f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts", REGION, **kwargs)


def secret(**kwargs: Any) -> Secret:
    return Secret(
        "db-password",
        f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db-password-AbCdEf",
        REGION,
        **kwargs,
    )


def domain(**kwargs: Any) -> OpenSearchDomain:
    return OpenSearchDomain("logs", f"arn:aws:es:{REGION}:{ACCOUNT}:domain/logs", REGION, **kwargs)


def days_ago(days: int) -> Any:
    return NOW - timedelta(days=days)


SEND_TO_ANYONE = policy(statement("Allow", "sqs:SendMessage", Resource="*"))
SEND_FROM_BUCKET = policy(
    statement(
        "Allow",
        "sqs:SendMessage",
        {"Service": "s3.amazonaws.com"},
        Condition={"ArnLike": {"aws:SourceArn": "arn:aws:s3:::data"}},
    ),
    statement(
        "Allow",
        "sqs:SendMessage",
        Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    ),
)
SNS_DEFAULT_POLICY = policy(
    statement(
        "Allow",
        ["SNS:Publish", "SNS:Subscribe"],
        {"AWS": "*"},
        Condition={"StringEquals": {"AWS:SourceOwner": ACCOUNT}},
    )
)
OPEN_DOMAIN_POLICY = policy(statement("Allow", "es:*", {"AWS": "*"}, Resource="*"))

SERVICE_CASES: list[Case] = [
    # DynamoDB.1
    Case(
        "on-demand table", "dynamodb_table_autoscaling_enabled", table(billing_mode="PAY_PER_REQUEST"), PASS
    ),
    Case(
        "provisioned, both autoscaled",
        "dynamodb_table_autoscaling_enabled",
        table(autoscaled=("read", "write")),
        PASS,
    ),
    Case(
        "provisioned, read only autoscaled",
        "dynamodb_table_autoscaling_enabled",
        table(autoscaled=("read",)),
        FAIL,
        says="no write capacity autoscaling",
    ),
    # DynamoDB.2 / DynamoDB.6
    Case("pitr on", "dynamodb_table_point_in_time_recovery", table(point_in_time_recovery=True), PASS),
    Case("pitr off", "dynamodb_table_point_in_time_recovery", table(), FAIL),
    Case("table protected", "dynamodb_table_deletion_protection", table(deletion_protection=True), PASS),
    Case("table unprotected", "dynamodb_table_deletion_protection", table(), FAIL),
    # EFS.1 / CIS 2.4.1, automatic backups, EFS.3, EFS.4
    Case("encrypted efs", "efs_file_system_encrypted", file_system(encrypted=True), PASS),
    Case("plain efs", "efs_file_system_encrypted", file_system(), FAIL),
    Case("efs backups on", "efs_file_system_automatic_backups", file_system(automatic_backups=True), PASS),
    Case("efs backups off", "efs_file_system_automatic_backups", file_system(), FAIL),
    Case("access point in /app", "efs_access_point_root_directory", efs_point("/app"), PASS),
    Case("access point at /", "efs_access_point_root_directory", efs_point("/"), FAIL, says="root directory"),
    Case("access point with user", "efs_access_point_user_identity", efs_point(uid=1000), PASS),
    Case("access point uid 0 is still enforced", "efs_access_point_user_identity", efs_point(uid=0), PASS),
    Case("access point without user", "efs_access_point_user_identity", efs_point(), FAIL),
    # SQS.1 / SQS.3
    Case("sse-sqs queue", "sqs_queue_encrypted", queue(sqs_managed_sse=True), PASS, says="SSE-SQS"),
    Case("sse-kms queue", "sqs_queue_encrypted", queue(kms_key_id="alias/aws/sqs"), PASS),
    Case("plain queue", "sqs_queue_encrypted", queue(), FAIL),
    Case("queue without policy", "sqs_queue_policy_not_public", queue(), PASS),
    Case(
        "queue restricted to a bucket and the account",
        "sqs_queue_policy_not_public",
        queue(policy=SEND_FROM_BUCKET),
        PASS,
    ),
    Case(
        "queue open to anyone",
        "sqs_queue_policy_not_public",
        queue(policy=SEND_TO_ANYONE),
        FAIL,
        says="public",
    ),
    # SNS.1 / SNS.4
    Case("kms topic", "sns_topic_encrypted_kms", topic(kms_key_id="alias/aws/sns"), PASS),
    Case("plain topic", "sns_topic_encrypted_kms", topic(), FAIL),
    Case("default topic policy", "sns_topic_policy_not_public", topic(policy=SNS_DEFAULT_POLICY), PASS),
    Case(
        "topic open to anyone",
        "sns_topic_policy_not_public",
        topic(policy=policy(statement("Allow", "SNS:Publish", {"AWS": "*"}, Resource="*"))),
        FAIL,
    ),
    # SecretsManager.2
    Case(
        "rotated on schedule",
        "secretsmanager_secret_rotation_succeeding",
        secret(rotation_enabled=True, rotation_days=30, last_rotated=days_ago(10)),
        PASS,
    ),
    Case(
        "rotation overdue",
        "secretsmanager_secret_rotation_succeeding",
        secret(rotation_enabled=True, rotation_days=30, last_rotated=days_ago(45)),
        FAIL,
        says="45 days ago",
    ),
    Case(
        "rotation enabled, never rotated",
        "secretsmanager_secret_rotation_succeeding",
        secret(rotation_enabled=True, rotation_days=30),
        FAIL,
        says="never rotated",
    ),
    # SecretsManager.1 / .4 / .3
    Case(
        "rotating secret",
        "secretsmanager_secret_rotation_enabled",
        secret(rotation_enabled=True, rotation_days=30),
        PASS,
    ),
    Case("static secret", "secretsmanager_secret_rotation_enabled", secret(), FAIL),
    Case(
        "rotated last month",
        "secretsmanager_secret_rotated_recently",
        secret(created=days_ago(400), last_rotated=days_ago(30)),
        PASS,
    ),
    Case(
        "never rotated, a year old",
        "secretsmanager_secret_rotated_recently",
        secret(created=days_ago(365)),
        FAIL,
        says="never rotated 365 days",
    ),
    Case(
        "used yesterday",
        "secretsmanager_secret_unused",
        secret(created=days_ago(400), last_accessed=days_ago(1)),
        PASS,
    ),
    Case(
        "unused for 120 days",
        "secretsmanager_secret_unused",
        secret(created=days_ago(400), last_accessed=days_ago(120)),
        FAIL,
        says="120 days",
    ),
    # Opensearch.1 – Opensearch.8
    Case("os at rest", "opensearch_domain_encryption_at_rest", domain(encryption_at_rest=True), PASS),
    Case("os plain", "opensearch_domain_encryption_at_rest", domain(), FAIL),
    Case("os in vpc", "opensearch_domain_in_vpc", domain(vpc_id="vpc-1"), PASS),
    Case(
        "os in vpc subnets",
        "opensearch_domain_in_vpc",
        domain(subnet_ids=("subnet-1",)),
        PASS,
        says="subnet-1",
    ),
    Case(
        "os public, open policy",
        "opensearch_domain_in_vpc",
        domain(access_policy=OPEN_DOMAIN_POLICY),
        FAIL,
        says="access policy public",
    ),
    Case(
        "os public, account-only policy",
        "opensearch_domain_in_vpc",
        domain(access_policy=policy(statement("Allow", "es:*", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}))),
        FAIL,
        says="private to its account",
    ),
    Case("os n2n", "opensearch_domain_node_to_node_encryption", domain(node_to_node_encryption=True), PASS),
    Case("os no n2n", "opensearch_domain_node_to_node_encryption", domain(), FAIL),
    Case(
        "os error logs",
        "opensearch_domain_error_logging",
        domain(log_types=("ES_APPLICATION_LOGS",)),
        PASS,
    ),
    Case(
        "os slow logs only", "opensearch_domain_error_logging", domain(log_types=("SEARCH_SLOW_LOGS",)), FAIL
    ),
    Case("os audit logs", "opensearch_domain_audit_logging", domain(log_types=("AUDIT_LOGS",)), PASS),
    Case("os no audit logs", "opensearch_domain_audit_logging", domain(), FAIL),
    Case(
        "os three nodes across zones",
        "opensearch_domain_three_data_nodes",
        domain(data_nodes=3, zone_awareness=True),
        PASS,
    ),
    Case(
        "os three nodes in one zone",
        "opensearch_domain_three_data_nodes",
        domain(data_nodes=3),
        FAIL,
        says="zone awareness off",
    ),
    Case("os fgac", "opensearch_domain_fine_grained_access_control", domain(fine_grained_access=True), PASS),
    Case("os no fgac", "opensearch_domain_fine_grained_access_control", domain(), FAIL),
    Case(
        "os latest tls policy",
        "opensearch_domain_latest_tls_policy",
        domain(enforce_https=True, tls_policy="Policy-Min-TLS-1-2-PFS-2023-10"),
        PASS,
    ),
    Case(
        "os tls 1.2 without pfs",
        "opensearch_domain_latest_tls_policy",
        domain(enforce_https=True, tls_policy="Policy-Min-TLS-1-2-2019-07"),
        FAIL,
        says="not Policy-Min-TLS-1-2-PFS-2023-10",
    ),
    Case(
        "os plain http",
        "opensearch_domain_latest_tls_policy",
        domain(tls_policy="Policy-Min-TLS-1-2-2019-07"),
        FAIL,
        says="does not require HTTPS",
    ),
]


def warehouse(**kwargs: Any) -> RedshiftCluster:
    base: dict[str, Any] = {"port": 5439, "security_group_ids": ("sg-db",), "master_username": "awsuser"}
    base.update(kwargs)
    return RedshiftCluster("wh", f"arn:aws:redshift:{REGION}:{ACCOUNT}:cluster:wh", REGION, **base)


def cache(**kwargs: Any) -> CacheCluster:
    return CacheCluster(
        "cache-001", f"arn:aws:elasticache:{REGION}:{ACCOUNT}:cluster:cache-001", REGION, **kwargs
    )


def replication(**kwargs: Any) -> ReplicationGroup:
    return ReplicationGroup(
        "cache", f"arn:aws:elasticache:{REGION}:{ACCOUNT}:replicationgroup:cache", REGION, **kwargs
    )


WAREHOUSE_CASES: list[Case] = [
    # Redshift.1 — verdict by the flag, exposure beside it
    Case("private warehouse", "redshift_cluster_no_public_access", warehouse(), PASS, db_groups()),
    Case(
        "public warehouse, open group",
        "redshift_cluster_no_public_access",
        warehouse(publicly_accessible=True),
        FAIL,
        db_groups(IngressRule("tcp", 5439, 5439, ipv6_ranges=("::/0",))),
        says="reachable from the internet on port 5439 (sg-db:::/0)",
    ),
    Case(
        "public warehouse, closed group",
        "redshift_cluster_no_public_access",
        warehouse(publicly_accessible=True),
        FAIL,
        db_groups(),
        says="no security group rule admits the internet",
    ),
    # Redshift.2 / .3 / .4 / .6 / .7 / .8 / .9 / .10
    Case("ssl required", "redshift_cluster_require_ssl", warehouse(require_ssl=True), PASS),
    Case("ssl optional", "redshift_cluster_require_ssl", warehouse(), FAIL),
    Case(
        "7-day snapshots", "redshift_cluster_automatic_snapshots", warehouse(snapshot_retention_days=7), PASS
    ),
    Case(
        "1-day snapshots",
        "redshift_cluster_automatic_snapshots",
        warehouse(snapshot_retention_days=1),
        FAIL,
        says="fewer than 7",
    ),
    Case("audit logging", "redshift_cluster_audit_logging", warehouse(audit_logging=True), PASS),
    Case("no audit logging", "redshift_cluster_audit_logging", warehouse(), FAIL),
    Case("upgrades on", "redshift_cluster_version_upgrade", warehouse(allow_version_upgrade=True), PASS),
    Case("upgrades off", "redshift_cluster_version_upgrade", warehouse(), FAIL),
    Case(
        "enhanced routing",
        "redshift_cluster_enhanced_vpc_routing",
        warehouse(enhanced_vpc_routing=True),
        PASS,
    ),
    Case("plain routing", "redshift_cluster_enhanced_vpc_routing", warehouse(), FAIL),
    Case(
        "custom admin", "redshift_cluster_custom_admin_username", warehouse(master_username="wh_admin"), PASS
    ),
    Case("default admin", "redshift_cluster_custom_admin_username", warehouse(), FAIL, says="awsuser"),
    Case("custom database", "redshift_cluster_custom_database_name", warehouse(database_name="sales"), PASS),
    Case("default database", "redshift_cluster_custom_database_name", warehouse(database_name="dev"), FAIL),
    Case("encrypted warehouse", "redshift_cluster_encrypted", warehouse(encrypted=True), PASS),
    Case("plain warehouse", "redshift_cluster_encrypted", warehouse(), FAIL),
    # ElastiCache.1 / .2 / .7 (clusters), .3 / .4 / .5 (replication groups)
    Case(
        "redis backups",
        "elasticache_redis_automatic_backups",
        cache(engine="redis", snapshot_retention_days=1),
        PASS,
    ),
    Case("redis no backups", "elasticache_redis_automatic_backups", cache(engine="redis"), FAIL),
    Case(
        "cache minor upgrades",
        "elasticache_cluster_auto_minor_version_upgrade",
        cache(engine="redis", auto_minor_version_upgrade=True),
        PASS,
    ),
    Case(
        "cache no minor upgrades",
        "elasticache_cluster_auto_minor_version_upgrade",
        cache(engine="redis"),
        FAIL,
    ),
    Case(
        "cache private subnets",
        "elasticache_cluster_custom_subnet_group",
        cache(engine="redis", subnet_group="private-cache"),
        PASS,
    ),
    Case(
        "cache default subnets",
        "elasticache_cluster_custom_subnet_group",
        cache(engine="redis", subnet_group="default"),
        FAIL,
    ),
    Case(
        "failover on",
        "elasticache_replication_group_automatic_failover",
        replication(automatic_failover="enabled"),
        PASS,
    ),
    Case(
        "failover off",
        "elasticache_replication_group_automatic_failover",
        replication(),
        FAIL,
        says="disabled",
    ),
    Case(
        "group at rest",
        "elasticache_replication_group_encrypted_at_rest",
        replication(at_rest_encryption=True),
        PASS,
    ),
    Case("group plain at rest", "elasticache_replication_group_encrypted_at_rest", replication(), FAIL),
    Case(
        "group in transit",
        "elasticache_replication_group_encrypted_in_transit",
        replication(transit_encryption=True),
        PASS,
    ),
    Case("group plain in transit", "elasticache_replication_group_encrypted_in_transit", replication(), FAIL),
]

CASES: list[Case] = S3_CASES + RDS_CASES + SERVICE_CASES + WAREHOUSE_CASES
SILENT_CASES: list[tuple[str, Any]] = [
    *RDS_SILENT_CASES,
    ("secretsmanager_secret_unused", secret()),
    ("secretsmanager_secret_rotated_recently", secret()),
    ("elasticache_redis_automatic_backups", cache(engine="memcached")),
    ("secretsmanager_secret_rotation_succeeding", secret(created=days_ago(400))),
]
