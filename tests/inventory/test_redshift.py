"""Redshift cluster collector against the moto server over HTTP."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.redshift import RedshiftCluster, cluster_from, require_ssl_from

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_clusters(aws: str) -> None:
    redshift = boto3.client("redshift")
    redshift.create_cluster(
        ClusterIdentifier="warehouse",
        NodeType="dc2.large",
        MasterUsername="awsuser",
        MasterUserPassword="Passw0rd-Demo1",
        PubliclyAccessible=True,
    )
    redshift.create_cluster(
        ClusterIdentifier="vault",
        NodeType="dc2.large",
        MasterUsername="vault_admin",
        MasterUserPassword="Passw0rd-Demo1",
        DBName="sales",
        Encrypted=True,
        AutomatedSnapshotRetentionPeriod=7,
        EnhancedVpcRouting=True,
    )
    vault, warehouse = collect("redshift.clusters")
    assert isinstance(warehouse, RedshiftCluster)
    assert warehouse.arn == f"arn:aws:redshift:{REGION}:{ACCOUNT}:cluster:warehouse"
    assert warehouse.publicly_accessible and not warehouse.encrypted and not warehouse.audit_logging
    assert warehouse.master_username == "awsuser" and warehouse.database_name == "dev"
    assert not warehouse.require_ssl  # moto's default parameter group has no require_ssl=true
    assert vault.encrypted and vault.snapshot_retention_days == 7 and vault.enhanced_vpc_routing
    assert vault.database_name == "sales" and not vault.publicly_accessible
    assert not vault.multi_az  # moto does not model Multi-AZ deployments


def test_multi_az_is_a_string_flag() -> None:
    raw = {"ClusterIdentifier": "c", "MultiAZ": "Enabled"}
    assert cluster_from(raw, False, False, REGION, "aws", ACCOUNT).multi_az
    assert not cluster_from({**raw, "MultiAZ": "Disabled"}, False, False, REGION, "aws", ACCOUNT).multi_az


def test_require_ssl_from_parameters() -> None:
    assert require_ssl_from([{"ParameterName": "require_ssl", "ParameterValue": "TRUE"}])
    assert not require_ssl_from([{"ParameterName": "require_ssl", "ParameterValue": "false"}])
    assert not require_ssl_from([])
