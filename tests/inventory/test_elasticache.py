"""ElastiCache collectors against the moto server over HTTP."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_clusters_and_replication_groups(aws: str) -> None:
    client = boto3.client("elasticache")
    client.create_cache_cluster(
        CacheClusterId="sessions", Engine="redis", CacheNodeType="cache.t3.micro", NumCacheNodes=1
    )
    client.create_replication_group(
        ReplicationGroupId="carts",
        ReplicationGroupDescription="carts",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        NumCacheClusters=2,
        AtRestEncryptionEnabled=True,
        TransitEncryptionEnabled=True,
        SnapshotRetentionLimit=3,
    )
    clusters = {c.name: c for c in collect("elasticache.clusters")}
    sessions = clusters["sessions"]
    assert sessions.engine == "redis" and sessions.snapshot_retention_days == 0
    assert sessions.arn == f"arn:aws:elasticache:{REGION}:{ACCOUNT}:cluster:sessions"
    (carts,) = collect("elasticache.replication_groups")
    assert carts.arn == f"arn:aws:elasticache:{REGION}:{ACCOUNT}:replicationgroup:carts"
    assert carts.at_rest_encryption and carts.transit_encryption and carts.snapshot_retention_days == 3
    assert carts.automatic_failover == "disabled"
