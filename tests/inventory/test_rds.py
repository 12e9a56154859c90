"""RDS collectors against the moto server over HTTP."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.rds import RdsCluster, RdsEventSubscription, RdsInstance, RdsSnapshot, proxy_from

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_instances_snapshots_clusters_and_subscriptions(aws: str) -> None:
    rds = boto3.client("rds")
    common = {
        "DBInstanceClass": "db.t3.micro",
        "MasterUsername": "admin",
        "MasterUserPassword": "Passw0rd-Demo1",
    }
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        Engine="postgres",
        AllocatedStorage=20,
        PubliclyAccessible=True,
        **common,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="billing",
        Engine="mysql",
        AllocatedStorage=20,
        StorageEncrypted=True,
        MultiAZ=True,
        DeletionProtection=True,
        BackupRetentionPeriod=14,
        AutoMinorVersionUpgrade=True,
        EnableIAMDatabaseAuthentication=True,
        EnableCloudwatchLogsExports=["audit", "error"],
        **common,
    )
    billing, orders = collect("rds.instances")
    assert isinstance(orders, RdsInstance) and orders.arn == f"arn:aws:rds:{REGION}:{ACCOUNT}:db:orders"
    assert orders.publicly_accessible and not orders.storage_encrypted and orders.port == 5432
    assert orders.security_group_ids and orders.cluster_id is None
    assert billing.storage_encrypted and billing.multi_az and billing.deletion_protection
    assert billing.backup_retention_days == 14 and billing.iam_auth and billing.engine == "mysql"
    assert billing.log_exports == ("audit", "error") and billing.master_username == "admin"

    rds.create_db_snapshot(DBSnapshotIdentifier="orders-snap", DBInstanceIdentifier="orders")
    rds.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="orders-snap", AttributeName="restore", ValuesToAdd=["all"]
    )
    rds.create_db_cluster(
        DBClusterIdentifier="analytics",
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="Passw0rd-Demo1",
        DeletionProtection=True,
    )
    rds.create_db_cluster_snapshot(
        DBClusterSnapshotIdentifier="analytics-snap", DBClusterIdentifier="analytics"
    )
    (found_cluster,) = collect("rds.clusters")
    assert isinstance(found_cluster, RdsCluster) and found_cluster.deletion_protection
    assert found_cluster.engine == "aurora-postgresql" and found_cluster.master_username == "admin"
    cluster_snap, instance_snap = collect("rds.snapshots")  # manual ones only (moto adds automated too)
    assert isinstance(instance_snap, RdsSnapshot) and instance_snap.kind == "instance"
    assert instance_snap.public and instance_snap.source == "orders" and not instance_snap.encrypted
    assert (
        cluster_snap.kind == "cluster" and cluster_snap.name == "analytics-snap" and not cluster_snap.public
    )

    topic = boto3.client("sns").create_topic(Name="db-events")["TopicArn"]
    rds.create_event_subscription(
        SubscriptionName="ops",
        SnsTopicArn=topic,
        SourceType="db-instance",
        EventCategories=["maintenance", "failure"],
        Enabled=True,
    )
    (subscription,) = collect("rds.event_subscriptions")
    assert isinstance(subscription, RdsEventSubscription) and subscription.source_type == "db-instance"
    assert subscription.event_categories == ("failure", "maintenance") and subscription.enabled
    assert collect("rds.instances", "eu-west-1") == ()


def test_cluster_engine_backtrack_and_log_settings(aws: str) -> None:
    rds = boto3.client("rds")
    common = {"MasterUsername": "admin", "MasterUserPassword": "Passw0rd-Demo1"}
    rds.create_db_cluster(DBClusterIdentifier="reports", Engine="aurora-mysql", **common)
    rds.create_db_cluster(
        DBClusterIdentifier="ledger",
        Engine="aurora-mysql",
        BacktrackWindow=7200,
        EnableCloudwatchLogsExports=["audit", "error"],
        **common,
    )
    ledger, reports = collect("rds.clusters")
    assert isinstance(ledger, RdsCluster) and ledger.aurora and ledger.engine_mode == "provisioned"
    assert ledger.backtrack_window_seconds == 7200 and ledger.log_exports == ("audit", "error")
    assert reports.backtrack_window_seconds == 0 and reports.log_exports == ()


def test_parameter_groups_and_proxies(aws: str) -> None:
    rds = boto3.client("rds")
    rds.create_db_parameter_group(
        DBParameterGroupName="mssql-tls", DBParameterGroupFamily="sqlserver-se-15.0", Description="tls"
    )
    rds.modify_db_parameter_group(
        DBParameterGroupName="mssql-tls",
        Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}],
    )
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="audit", DBParameterGroupFamily="aurora-mysql8.0", Description="audit"
    )
    rds.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="audit",
        Parameters=[
            {"ParameterName": "server_audit_logging", "ParameterValue": "1", "ApplyMethod": "immediate"},
            {"ParameterName": "server_audit_events", "ParameterValue": "CONNECT", "ApplyMethod": "immediate"},
        ],
    )
    rds.create_db_instance(
        DBInstanceIdentifier="mssql",
        Engine="sqlserver-se",
        DBInstanceClass="db.m5.large",
        AllocatedStorage=20,
        MasterUsername="dbadmin",
        MasterUserPassword="Passw0rd-Demo1",
        DBParameterGroupName="mssql-tls",
    )
    rds.create_db_cluster(
        DBClusterIdentifier="audited",
        Engine="aurora-mysql",
        MasterUsername="dbadmin",
        MasterUserPassword="Passw0rd-Demo1",
        DBClusterParameterGroupName="audit",
    )
    (mssql,) = collect("rds.instances")
    assert mssql.parameter_group == "mssql-tls" and mssql.parameter_group_in_sync
    (audited,) = collect("rds.clusters")
    assert audited.parameter_group == "audit"
    cluster_group, instance_group = collect("rds.parameter_groups")
    assert (cluster_group.kind, cluster_group.name) == ("cluster", "audit")
    assert cluster_group.value("server_audit_logging") == "1"
    assert cluster_group.value("server_audit_events") == "CONNECT"
    assert (instance_group.kind, instance_group.value("rds.force_ssl")) == ("instance", "1")
    assert instance_group.value("max_connections") is None  # not set by the customer
    assert collect("rds.proxies") == ()


def test_proxy_transform() -> None:
    raw = {"DBProxyName": "pool", "DBProxyArn": "arn:aws:rds:r:1:db-proxy:prx-1", "RequireTLS": True}
    model = proxy_from(raw, REGION)
    assert model.require_tls and model.name == "pool"
    assert not proxy_from({"DBProxyName": "open"}, REGION).require_tls
