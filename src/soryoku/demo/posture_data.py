"""The demo story's data layer: S3 bucket hardening, and FAIL/PASS twins for the data services.

The base story's two buckets are evaluated by the data checks too: the public site-assets bucket is
left as it is (its FAILs below are genuine misconfigurations of a quick static-site bucket), while
the customer-data bucket gets the protections a bucket of customer exports should have —
versioning, SSE-KMS, a lifecycle rule, events to a queue, an HTTPS-only policy — and
one mistake: an analytics partner account may rewrite object ACLs.

RDS: a quickly made public, unencrypted orders database with a public export snapshot, next to a
billing database configured as the controls ask; an Aurora MySQL reports cluster created with the
defaults next to a ledger cluster that is encrypted, protected, backtracking and audit-logging;
event subscriptions for instances (complete) and clusters (missing maintenance events). DynamoDB
(tables and DAX caches), EFS, SQS, SNS, Secrets Manager and OpenSearch each get a misconfigured
resource and a compliant twin, and so do Redshift and ElastiCache.
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
OPEN_DB = "soryoku-demo-orders-db"
GOOD_DB = "soryoku-demo-billing-db"
DB_OPS_TOPIC = "soryoku-demo-db-ops"
PUBLIC_QUEUE = "soryoku-demo-public-jobs"
PUBLIC_TOPIC = "soryoku-demo-public-alerts"
OPEN_TABLE, GOOD_TABLE = "soryoku-demo-carts", "soryoku-demo-sessions"
OPEN_FS, GOOD_FS = "soryoku-demo-shared-fs", "soryoku-demo-backed-fs"
OPEN_EFS_AP, GOOD_EFS_AP = "soryoku-demo-root-ap", "soryoku-demo-app-ap"
STATIC_SECRET, ROTATING_SECRET = "soryoku-demo/legacy-api-key", "soryoku-demo/db-password"
OPEN_DOMAIN, GOOD_DOMAIN = "soryoku-demo-logs", "soryoku-demo-search"
OPEN_WAREHOUSE, GOOD_WAREHOUSE = "soryoku-demo-warehouse", "soryoku-demo-vault-wh"
OPEN_CACHE_GROUP, GOOD_CACHE_GROUP = "soryoku-demo-carts-cache", "soryoku-demo-orders-cache"
OPEN_CACHE, GOOD_CACHE = "soryoku-demo-sessions-cache", "soryoku-demo-rates-cache"
OPEN_AURORA, GOOD_AURORA = "soryoku-demo-reports-aurora", "soryoku-demo-ledger-aurora"
OPEN_DAX, GOOD_DAX = "soryoku-demo-carts-dax", "soryoku-demo-sessions-dax"
_AURORA_CHECKS = (
    "rds_cluster_deletion_protection",
    "rds_cluster_iam_authentication",
    "rds_cluster_storage_encrypted",
    "rds_cluster_copy_tags_to_snapshots",
    "rds_cluster_custom_admin_username",
    "rds_cluster_aurora_mysql_backtracking_enabled",
    "rds_cluster_aurora_mysql_audit_logs_exported",
    "rds_cluster_aurora_mysql_audit_logging_enabled",
)
_DAX_CHECKS = ("dax_cluster_encrypted_at_rest", "dax_cluster_encrypted_in_transit")
_WAREHOUSE_CHECKS = (
    "redshift_cluster_no_public_access",
    "redshift_cluster_automatic_snapshots",
    "redshift_cluster_audit_logging",
    "redshift_cluster_enhanced_vpc_routing",
    "redshift_cluster_custom_admin_username",
    "redshift_cluster_custom_database_name",
    "redshift_cluster_encrypted",
)
_CACHE_GROUP_CHECKS = (
    "elasticache_replication_group_automatic_failover",
    "elasticache_replication_group_encrypted_at_rest",
    "elasticache_replication_group_encrypted_in_transit",
)
_CACHE_CLUSTER_CHECKS = (
    "elasticache_redis_automatic_backups",
    "elasticache_cluster_auto_minor_version_upgrade",
    "elasticache_cluster_custom_subnet_group",
)
_TABLE_CHECKS = (
    "dynamodb_table_autoscaling_enabled",
    "dynamodb_table_point_in_time_recovery",
    "dynamodb_table_deletion_protection",
)
_DOMAIN_CHECKS = (
    "opensearch_domain_encryption_at_rest",
    "opensearch_domain_in_vpc",  # exposure: its access policy lets anyone in
    "opensearch_domain_node_to_node_encryption",
    "opensearch_domain_error_logging",
    "opensearch_domain_audit_logging",
    "opensearch_domain_three_data_nodes",
    "opensearch_domain_fine_grained_access_control",
    "opensearch_domain_latest_tls_policy",
)
_DB_CHECKS_FAILING_ON_ORDERS = (
    "rds_instance_no_public_access",  # exposure: the default security group admits no internet traffic
    "rds_instance_storage_encrypted",
    "rds_instance_multi_az",
    "rds_instance_enhanced_monitoring",
    "rds_instance_deletion_protection",
    "rds_instance_cloudwatch_logs_export",
    "rds_instance_iam_authentication",
    "rds_instance_backup_enabled",
    "rds_instance_minor_version_upgrade",
    "rds_instance_non_default_port",
    "rds_instance_custom_admin_username",
    "rds_instance_copy_tags_to_snapshots",
    "rds_instance_postgresql_logs_exported",
)

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
    *((check, f"db:{OPEN_DB}") for check in _DB_CHECKS_FAILING_ON_ORDERS),
    ("rds_snapshot_not_public", f"snapshot:{OPEN_DB}-export"),
    ("rds_snapshot_encrypted", f"snapshot:{OPEN_DB}-export"),
    ("rds_event_subscription_cluster_critical_events", "es:soryoku-demo-cluster-events"),
    *((check, f"table/{OPEN_TABLE}") for check in _TABLE_CHECKS),
    ("efs_file_system_encrypted", OPEN_FS),
    ("efs_file_system_automatic_backups", OPEN_FS),
    ("efs_access_point_root_directory", OPEN_EFS_AP),
    ("efs_access_point_user_identity", OPEN_EFS_AP),
    ("sqs_queue_encrypted", PUBLIC_QUEUE),
    ("sqs_queue_policy_not_public", PUBLIC_QUEUE),
    ("sns_topic_encrypted_kms", PUBLIC_TOPIC),
    ("sns_topic_policy_not_public", PUBLIC_TOPIC),
    ("secretsmanager_secret_rotation_enabled", STATIC_SECRET),
    *((check, f"domain/{OPEN_DOMAIN}") for check in _DOMAIN_CHECKS),
    *((check, f"cluster:{OPEN_WAREHOUSE}") for check in _WAREHOUSE_CHECKS),
    ("redshift_cluster_require_ssl", f"cluster:{OPEN_WAREHOUSE}"),
    # moto lacks ModifyClusterParameterGroup, so no parameter group can set require_ssl=true.
    ("redshift_cluster_require_ssl", f"cluster:{GOOD_WAREHOUSE}"),
    # moto 5.2.5 does not model Multi-AZ Redshift deployments (no MultiAZ in CreateCluster's answer).
    ("redshift_cluster_multi_az", f"cluster:{OPEN_WAREHOUSE}"),
    ("redshift_cluster_multi_az", f"cluster:{GOOD_WAREHOUSE}"),
    *((check, f"cluster:{OPEN_AURORA}") for check in _AURORA_CHECKS),
    # moto derives a cluster's MultiAZ from its member instances, and the demo clusters have none.
    ("rds_cluster_multi_az", f"cluster:{OPEN_AURORA}"),
    ("rds_cluster_multi_az", f"cluster:{GOOD_AURORA}"),
    *((check, f"cache/{OPEN_DAX}") for check in _DAX_CHECKS),
    *((check, f"replicationgroup:{OPEN_CACHE_GROUP}") for check in _CACHE_GROUP_CHECKS),
    *((check, f"cluster:{OPEN_CACHE}") for check in _CACHE_CLUSTER_CHECKS),
}

EXPECTED_PASSES: set[tuple[str, str]] = {
    ("s3_bucket_secure_transport_policy", PRIVATE_BUCKET),
    ("s3_bucket_acl_not_used", PRIVATE_BUCKET),
    ("s3_bucket_cross_account_sensitive_actions", PUBLIC_BUCKET),
    ("s3_bucket_versioning_enabled", PRIVATE_BUCKET),
    ("s3_bucket_lifecycle_configured", PRIVATE_BUCKET),
    ("s3_bucket_versioned_lifecycle_configured", PRIVATE_BUCKET),
    ("s3_bucket_event_notifications_enabled", PRIVATE_BUCKET),
    ("s3_bucket_default_encryption_kms", PRIVATE_BUCKET),
    ("s3_access_point_public_access_block", LOCKED_ACCESS_POINT),
    *((check, f"db:{GOOD_DB}") for check in _DB_CHECKS_FAILING_ON_ORDERS),
    ("rds_snapshot_not_public", f"snapshot:{GOOD_DB}-manual"),
    ("rds_snapshot_encrypted", f"snapshot:{GOOD_DB}-manual"),
    ("rds_event_subscription_instance_critical_events", "es:soryoku-demo-instance-events"),
    *((check, f"table/{GOOD_TABLE}") for check in _TABLE_CHECKS),
    ("efs_file_system_encrypted", GOOD_FS),
    ("efs_file_system_automatic_backups", GOOD_FS),
    ("efs_mount_target_subnet_no_public_ip", OPEN_FS),
    ("efs_mount_target_subnet_no_public_ip", GOOD_FS),
    ("efs_access_point_root_directory", GOOD_EFS_AP),
    ("efs_access_point_user_identity", GOOD_EFS_AP),
    ("sqs_queue_encrypted", DATA_EVENTS_QUEUE),
    ("sqs_queue_policy_not_public", DATA_EVENTS_QUEUE),
    ("sns_topic_encrypted_kms", DB_OPS_TOPIC),
    ("sns_topic_policy_not_public", DB_OPS_TOPIC),
    ("secretsmanager_secret_rotation_enabled", ROTATING_SECRET),
    ("secretsmanager_secret_rotated_recently", ROTATING_SECRET),
    ("secretsmanager_secret_unused", ROTATING_SECRET),
    *((check, f"domain/{GOOD_DOMAIN}") for check in _DOMAIN_CHECKS),
    *((check, f"cluster:{GOOD_WAREHOUSE}") for check in _WAREHOUSE_CHECKS),
    ("redshift_cluster_version_upgrade", f"cluster:{GOOD_WAREHOUSE}"),
    ("redshift_cluster_port_not_open_to_internet", f"cluster:{GOOD_WAREHOUSE}"),
    *((check, f"cluster:{GOOD_AURORA}") for check in _AURORA_CHECKS),
    *((check, f"cache/{GOOD_DAX}") for check in _DAX_CHECKS),
    *((check, f"replicationgroup:{GOOD_CACHE_GROUP}") for check in _CACHE_GROUP_CHECKS),
    *((check, f"cluster:{GOOD_CACHE}") for check in _CACHE_CLUSTER_CHECKS),
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


def _seed_databases(estate: DemoEstate) -> None:
    rds, sns = _client("rds"), _client("sns")
    common = {
        "Engine": "postgres",
        "DBInstanceClass": "db.t3.micro",
        "AllocatedStorage": 20,
        "MasterUserPassword": "Demo-Db-Password-1",
    }
    # The quick one: public flag on, nothing else configured.
    rds.create_db_instance(
        DBInstanceIdentifier=OPEN_DB,
        MasterUsername="postgres",
        PubliclyAccessible=True,
        AutoMinorVersionUpgrade=False,
        **common,
    )
    rds.create_db_snapshot(DBSnapshotIdentifier=f"{OPEN_DB}-export", DBInstanceIdentifier=OPEN_DB)
    rds.modify_db_snapshot_attribute(
        DBSnapshotIdentifier=f"{OPEN_DB}-export", AttributeName="restore", ValuesToAdd=["all"]
    )
    # The twin: everything the RDS controls ask for.
    rds.create_db_instance(
        DBInstanceIdentifier=GOOD_DB,
        MasterUsername="billing_owner",
        Port=6543,
        CopyTagsToSnapshot=True,
        PubliclyAccessible=False,
        StorageEncrypted=True,
        MultiAZ=True,
        DeletionProtection=True,
        BackupRetentionPeriod=7,
        AutoMinorVersionUpgrade=True,
        EnableIAMDatabaseAuthentication=True,
        MonitoringInterval=60,
        MonitoringRoleArn=f"arn:aws:iam::{estate.account_id}:role/rds-monitoring-role",
        EnableCloudwatchLogsExports=["postgresql", "upgrade"],
        **common,
    )
    rds.create_db_snapshot(DBSnapshotIdentifier=f"{GOOD_DB}-manual", DBInstanceIdentifier=GOOD_DB)
    topic = sns.create_topic(Name=DB_OPS_TOPIC, Attributes={"KmsMasterKeyId": "alias/aws/sns"})["TopicArn"]
    rds.create_event_subscription(
        SubscriptionName="soryoku-demo-instance-events",
        SnsTopicArn=topic,
        SourceType="db-instance",
        EventCategories=["configuration change", "failure", "maintenance"],
        Enabled=True,
    )
    rds.create_event_subscription(
        SubscriptionName="soryoku-demo-cluster-events",
        SnsTopicArn=topic,
        SourceType="db-cluster",
        EventCategories=["failure"],
        Enabled=True,
    )
    estate.resources.update({"open_db": OPEN_DB, "good_db": GOOD_DB, "db_ops_topic": topic})


def _seed_aurora_clusters() -> None:
    rds = _client("rds")
    common = {"Engine": "aurora-mysql", "MasterUserPassword": "Demo-Aurora-Password-1"}
    # Created with the console defaults of a hurried reporting project.
    rds.create_db_cluster(DBClusterIdentifier=OPEN_AURORA, MasterUsername="admin", **common)
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName=f"{GOOD_AURORA}-audit",
        DBParameterGroupFamily="aurora-mysql8.0",
        Description="Advanced Auditing on",
    )
    rds.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName=f"{GOOD_AURORA}-audit",
        Parameters=[
            {"ParameterName": "server_audit_logging", "ParameterValue": "1", "ApplyMethod": "immediate"},
            {
                "ParameterName": "server_audit_events",
                "ParameterValue": "CONNECT,QUERY_DCL,QUERY_DDL",
                "ApplyMethod": "immediate",
            },
        ],
    )
    rds.create_db_cluster(
        DBClusterIdentifier=GOOD_AURORA,
        DBClusterParameterGroupName=f"{GOOD_AURORA}-audit",
        MasterUsername="ledger_owner",
        StorageEncrypted=True,
        DeletionProtection=True,
        EnableIAMDatabaseAuthentication=True,
        CopyTagsToSnapshot=True,
        BacktrackWindow=86400,
        EnableCloudwatchLogsExports=["audit", "error"],
        **common,
    )


def _public_policy(resource: str, action: str) -> str:
    return json.dumps(
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": action, "Resource": resource}]}
    )


def _seed_tables() -> None:
    ddb = _client("dynamodb")
    key = {
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    }
    ddb.create_table(
        TableName=OPEN_TABLE, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}, **key
    )
    ddb.create_table(
        TableName=GOOD_TABLE, BillingMode="PAY_PER_REQUEST", DeletionProtectionEnabled=True, **key
    )
    ddb.update_continuous_backups(
        TableName=GOOD_TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )


def _seed_file_systems() -> None:
    efs, ec2 = _client("efs"), _client("ec2")
    shared = efs.create_file_system(
        CreationToken=OPEN_FS, Encrypted=False, Tags=[{"Key": "Name", "Value": OPEN_FS}]
    )["FileSystemId"]
    efs.create_file_system(
        CreationToken=GOOD_FS, Encrypted=True, Backup=True, Tags=[{"Key": "Name", "Value": GOOD_FS}]
    )
    # Mounted in a default subnet; the network layer stops those from assigning public IP addresses.
    default = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
    efs.create_mount_target(FileSystemId=shared, SubnetId=default["SubnetId"])
    efs.create_access_point(FileSystemId=shared, Tags=[{"Key": "Name", "Value": OPEN_EFS_AP}])
    # A nightly backup plan: moto 5.2.5 cannot list its resource assignments, so EFS.2 is reported
    # as not evaluated (with the reason) rather than guessed.
    _client("backup").create_backup_plan(
        BackupPlan={
            "BackupPlanName": "soryoku-demo-nightly",
            "Rules": [{"RuleName": "nightly", "TargetBackupVaultName": "Default"}],
        }
    )
    efs.create_access_point(
        FileSystemId=shared,
        PosixUser={"Uid": 1000, "Gid": 1000},
        RootDirectory={"Path": "/app"},
        Tags=[{"Key": "Name", "Value": GOOD_EFS_AP}],
    )


def _seed_dax(estate: DemoEstate) -> None:
    dax = _client("dax")
    common = {
        "NodeType": "dax.t3.small",
        "ReplicationFactor": 3,
        "IamRoleArn": f"arn:aws:iam::{estate.account_id}:role/soryoku-demo-dax",
    }
    dax.create_cluster(ClusterName=OPEN_DAX, **common)
    dax.create_cluster(
        ClusterName=GOOD_DAX,
        SSESpecification={"Enabled": True},
        ClusterEndpointEncryptionType="TLS",
        **common,
    )


def _seed_messaging(estate: DemoEstate) -> None:
    sqs, sns = _client("sqs"), _client("sns")
    queue_arn = f"arn:aws:sqs:{PRIMARY_REGION}:{estate.account_id}:{PUBLIC_QUEUE}"
    sqs.create_queue(
        QueueName=PUBLIC_QUEUE,
        Attributes={"SqsManagedSseEnabled": "false", "Policy": _public_policy(queue_arn, "sqs:SendMessage")},
    )
    topic = sns.create_topic(Name=PUBLIC_TOPIC)["TopicArn"]
    sns.set_topic_attributes(
        TopicArn=topic, AttributeName="Policy", AttributeValue=_public_policy(topic, "SNS:Publish")
    )


def _seed_secrets() -> None:
    secrets = _client("secretsmanager")
    secrets.create_secret(Name=STATIC_SECRET, SecretString="demo-not-a-real-key")
    secrets.create_secret(Name=ROTATING_SECRET, SecretString="demo-not-a-real-password")
    secrets.rotate_secret(SecretId=ROTATING_SECRET, RotationRules={"AutomaticallyAfterDays": 30})


def _seed_search_domains(estate: DemoEstate) -> None:
    search, ec2 = _client("opensearch"), _client("ec2")
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    domain_arn = f"arn:aws:es:{PRIMARY_REGION}:{estate.account_id}:domain/{OPEN_DOMAIN}/*"
    search.create_domain(DomainName=OPEN_DOMAIN, AccessPolicies=_public_policy(domain_arn, "es:ESHttpGet"))
    log_group = f"arn:aws:logs:{PRIMARY_REGION}:{estate.account_id}:log-group:/aws/opensearch/{GOOD_DOMAIN}"
    search.create_domain(
        DomainName=GOOD_DOMAIN,
        ClusterConfig={"InstanceCount": 3, "ZoneAwarenessEnabled": True},
        VPCOptions={"SubnetIds": [s["SubnetId"] for s in subnets[:3]]},
        EncryptionAtRestOptions={"Enabled": True},
        NodeToNodeEncryptionOptions={"Enabled": True},
        DomainEndpointOptions={"EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"},
        AdvancedSecurityOptions={"Enabled": True, "InternalUserDatabaseEnabled": False},
        LogPublishingOptions={
            "ES_APPLICATION_LOGS": {"CloudWatchLogsLogGroupArn": log_group, "Enabled": True},
            "AUDIT_LOGS": {"CloudWatchLogsLogGroupArn": log_group, "Enabled": True},
        },
    )


def _seed_warehouses() -> None:
    redshift = _client("redshift")
    common = {"NodeType": "dc2.large", "MasterUserPassword": "Demo-Warehouse-Password-1"}
    redshift.create_cluster(
        ClusterIdentifier=OPEN_WAREHOUSE, MasterUsername="awsuser", PubliclyAccessible=True, **common
    )
    redshift.create_cluster(
        ClusterIdentifier=GOOD_WAREHOUSE,
        MasterUsername="vault_admin",
        DBName="finance",
        PubliclyAccessible=False,
        Encrypted=True,
        AutomatedSnapshotRetentionPeriod=7,
        AllowVersionUpgrade=True,
        EnhancedVpcRouting=True,
        **common,
    )
    redshift.enable_logging(
        ClusterIdentifier=GOOD_WAREHOUSE,
        LogDestinationType="cloudwatch",
        LogExports=["connectionlog", "userlog", "useractivitylog"],
    )


def _seed_caches() -> None:
    cache = _client("elasticache")
    common = {"Engine": "redis", "CacheNodeType": "cache.t3.micro"}
    cache.create_replication_group(
        ReplicationGroupId=OPEN_CACHE_GROUP, ReplicationGroupDescription="carts", NumCacheClusters=2, **common
    )
    cache.create_replication_group(
        ReplicationGroupId=GOOD_CACHE_GROUP,
        ReplicationGroupDescription="orders",
        NumCacheClusters=2,
        AutomaticFailoverEnabled=True,
        AtRestEncryptionEnabled=True,
        TransitEncryptionEnabled=True,
        SnapshotRetentionLimit=7,
        **common,
    )
    cache.create_cache_cluster(CacheClusterId=OPEN_CACHE, NumCacheNodes=1, **common)
    cache.create_cache_cluster(
        CacheClusterId=GOOD_CACHE,
        NumCacheNodes=1,
        SnapshotRetentionLimit=7,
        AutoMinorVersionUpgrade=True,
        CacheSubnetGroupName="soryoku-demo-private-cache",
        **common,
    )


def seed(estate: DemoEstate) -> None:
    """Add the data layer to the demo account (after the base story's buckets exist)."""
    _harden_customer_data(estate)
    _seed_access_points(estate)
    _seed_databases(estate)
    _seed_aurora_clusters()
    _seed_tables()
    _seed_dax(estate)
    _seed_file_systems()
    _seed_messaging(estate)
    _seed_secrets()
    _seed_search_domains(estate)
    _seed_warehouses()
    _seed_caches()


__all__ = ["EXPECTED_FAILS", "EXPECTED_PASSES", "seed"]
