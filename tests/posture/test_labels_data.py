"""The data group's framework labels, pinned per check.

Each pair verified against AWS's Security Hub control reference (FSBP control list, ids, titles and
severities) and the CIS AWS Foundations Benchmark v3.0.0 text. Checks that implement a Security Hub
control outside the FSBP standard (S3.14, S3.15, S3.17, S3.20) carry no FSBP label; the labels the
postdata pass verified or changed are pinned in test_labels_postdata.py.
"""

from __future__ import annotations

import pytest

from soryoku.posture.compliance.frameworks import standards_and_requirements

EXPECTED_LABELS: dict[str, set[str]] = {
    "s3_bucket_secure_transport_policy": {"AWS-FSBP/S3.5", "CIS-AWS-3.0/2.1.1"},
    "s3_bucket_cross_account_sensitive_actions": {"AWS-FSBP/S3.6"},
    "s3_bucket_server_access_logging_enabled": {"AWS-FSBP/S3.9"},
    "s3_bucket_acl_not_used": {"AWS-FSBP/S3.12"},
    "s3_bucket_lifecycle_configured": {"AWS-FSBP/S3.13"},
    "s3_bucket_mfa_delete_enabled": {"CIS-AWS-3.0/2.1.2"},
    "s3_bucket_versioning_enabled": set(),
    "s3_bucket_object_lock_enabled": set(),
    "s3_bucket_default_encryption_kms": set(),
    "rds_snapshot_not_public": {"AWS-FSBP/RDS.1"},
    "rds_instance_no_public_access": {"AWS-FSBP/RDS.2", "CIS-AWS-3.0/2.3.3"},
    "rds_instance_storage_encrypted": {"AWS-FSBP/RDS.3", "CIS-AWS-3.0/2.3.1"},
    "rds_snapshot_encrypted": {"AWS-FSBP/RDS.4"},
    "rds_instance_multi_az": {"AWS-FSBP/RDS.5"},
    "rds_instance_enhanced_monitoring": {"AWS-FSBP/RDS.6"},
    "rds_cluster_deletion_protection": {"AWS-FSBP/RDS.7"},
    "rds_instance_deletion_protection": {"AWS-FSBP/RDS.8"},
    "rds_instance_cloudwatch_logs_export": {"AWS-FSBP/RDS.9"},
    "rds_instance_iam_authentication": {"AWS-FSBP/RDS.10"},
    "rds_instance_backup_enabled": {"AWS-FSBP/RDS.11"},
    "rds_cluster_iam_authentication": {"AWS-FSBP/RDS.12"},
    "rds_instance_minor_version_upgrade": {"AWS-FSBP/RDS.13", "CIS-AWS-3.0/2.3.2"},
    "rds_cluster_multi_az": {"AWS-FSBP/RDS.15"},
    "rds_instance_non_default_port": {"AWS-FSBP/RDS.23"},
    "rds_cluster_copy_tags_to_snapshots": {"AWS-FSBP/RDS.16"},
    "rds_instance_copy_tags_to_snapshots": {"AWS-FSBP/RDS.17"},
    "rds_cluster_custom_admin_username": {"AWS-FSBP/RDS.24"},
    "rds_instance_custom_admin_username": {"AWS-FSBP/RDS.25"},
    "secretsmanager_secret_rotation_succeeding": {"AWS-FSBP/SecretsManager.2"},
    "rds_event_subscription_cluster_critical_events": {"AWS-FSBP/RDS.19"},
    "rds_event_subscription_instance_critical_events": {"AWS-FSBP/RDS.20"},
    "rds_event_subscription_parameter_group_critical_events": {"AWS-FSBP/RDS.21"},
    "rds_event_subscription_security_group_critical_events": {"AWS-FSBP/RDS.22"},
    "dynamodb_table_autoscaling_enabled": {"AWS-FSBP/DynamoDB.1"},
    "dynamodb_table_point_in_time_recovery": {"AWS-FSBP/DynamoDB.2"},
    "efs_access_point_root_directory": {"AWS-FSBP/EFS.3"},
    "efs_access_point_user_identity": {"AWS-FSBP/EFS.4"},
    "opensearch_domain_encryption_at_rest": {"AWS-FSBP/Opensearch.1"},
    "opensearch_domain_in_vpc": {"AWS-FSBP/Opensearch.2"},
    "opensearch_domain_node_to_node_encryption": {"AWS-FSBP/Opensearch.3"},
    "opensearch_domain_error_logging": {"AWS-FSBP/Opensearch.4"},
    "opensearch_domain_audit_logging": {"AWS-FSBP/Opensearch.5"},
    "opensearch_domain_three_data_nodes": {"AWS-FSBP/Opensearch.6"},
    "opensearch_domain_fine_grained_access_control": {"AWS-FSBP/Opensearch.7"},
    "opensearch_domain_latest_tls_policy": {"AWS-FSBP/Opensearch.8"},
    "secretsmanager_secret_rotation_enabled": {"AWS-FSBP/SecretsManager.1"},
    "secretsmanager_secret_unused": {"AWS-FSBP/SecretsManager.3"},
    "secretsmanager_secret_rotated_recently": {"AWS-FSBP/SecretsManager.4"},
    "sqs_queue_encrypted": {"AWS-FSBP/SQS.1"},
    "sqs_queue_policy_not_public": set(),
    "redshift_cluster_no_public_access": {"AWS-FSBP/Redshift.1"},
    "redshift_cluster_require_ssl": {"AWS-FSBP/Redshift.2"},
    "redshift_cluster_automatic_snapshots": {"AWS-FSBP/Redshift.3"},
    "redshift_cluster_audit_logging": {"AWS-FSBP/Redshift.4"},
    "redshift_cluster_version_upgrade": {"AWS-FSBP/Redshift.6"},
    "redshift_cluster_enhanced_vpc_routing": {"AWS-FSBP/Redshift.7"},
    "redshift_cluster_custom_admin_username": {"AWS-FSBP/Redshift.8"},
    "elasticache_redis_automatic_backups": {"AWS-FSBP/ElastiCache.1"},
    "elasticache_cluster_auto_minor_version_upgrade": {"AWS-FSBP/ElastiCache.2"},
    "elasticache_replication_group_automatic_failover": {"AWS-FSBP/ElastiCache.3"},
    "elasticache_replication_group_encrypted_at_rest": {"AWS-FSBP/ElastiCache.4"},
    "elasticache_replication_group_encrypted_in_transit": {"AWS-FSBP/ElastiCache.5"},
    "elasticache_cluster_custom_subnet_group": {"AWS-FSBP/ElastiCache.7"},
}


@pytest.mark.parametrize("check_id", sorted(EXPECTED_LABELS))
def test_data_group_labels(check_id: str) -> None:
    _, requirements = standards_and_requirements(check_id)
    assert set(requirements) == EXPECTED_LABELS[check_id]
