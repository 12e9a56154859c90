"""ElastiCache: cache clusters (backups, minor upgrades, subnet group) and replication groups
(failover, encryption at rest and in transit, AUTH)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class CacheCluster:
    """A cache cluster (a node group member or a standalone cluster)."""

    name: str
    arn: str
    region: str
    engine: str
    engine_version: str = ""
    snapshot_retention_days: int = 0
    auto_minor_version_upgrade: bool = False
    subnet_group: str | None = None
    replication_group: str | None = None


@dataclass(frozen=True, slots=True)
class ReplicationGroup:
    """A Redis OSS / Valkey replication group and its protections."""

    name: str
    arn: str
    region: str
    automatic_failover: str = "disabled"
    at_rest_encryption: bool = False
    transit_encryption: bool = False
    auth_token: bool = False
    snapshot_retention_days: int = 0


def cache_cluster_from(raw: Mapping[str, Any], region: str) -> CacheCluster:
    """A DescribeCacheClusters entry as the model."""
    return CacheCluster(
        name=str(raw["CacheClusterId"]),
        arn=str(raw["ARN"]),
        region=region,
        engine=str(raw.get("Engine", "")),
        engine_version=str(raw.get("EngineVersion", "") or ""),
        snapshot_retention_days=int(raw.get("SnapshotRetentionLimit", 0) or 0),
        auto_minor_version_upgrade=bool(raw.get("AutoMinorVersionUpgrade", False)),
        subnet_group=raw.get("CacheSubnetGroupName") or None,
        replication_group=raw.get("ReplicationGroupId") or None,
    )


def replication_group_from(raw: Mapping[str, Any], region: str) -> ReplicationGroup:
    """A DescribeReplicationGroups entry as the model."""
    return ReplicationGroup(
        name=str(raw["ReplicationGroupId"]),
        arn=str(raw["ARN"]),
        region=region,
        automatic_failover=str(raw.get("AutomaticFailover", "disabled")),
        at_rest_encryption=bool(raw.get("AtRestEncryptionEnabled", False)),
        transit_encryption=bool(raw.get("TransitEncryptionEnabled", False)),
        auth_token=bool(raw.get("AuthTokenEnabled", False)),
        snapshot_retention_days=int(raw.get("SnapshotRetentionLimit", 0) or 0),
    )


@collector(
    "elasticache.clusters",
    service="elasticache",
    scope="regional",
    actions=("elasticache:DescribeCacheClusters",),
    description="ElastiCache cache clusters with backups, minor upgrades and subnet group",
)
def collect_cache_clusters(ctx: CollectContext) -> tuple[CacheCluster, ...]:
    """Every cache cluster of the region (paginated)."""
    pages = ctx.client("elasticache").get_paginator("describe_cache_clusters").paginate()
    clusters = [cache_cluster_from(c, ctx.region) for page in pages for c in page.get("CacheClusters", [])]
    return tuple(sorted(clusters, key=lambda c: c.name))


@collector(
    "elasticache.replication_groups",
    service="elasticache",
    scope="regional",
    actions=("elasticache:DescribeReplicationGroups",),
    description="ElastiCache replication groups with failover, encryption and AUTH",
)
def collect_replication_groups(ctx: CollectContext) -> tuple[ReplicationGroup, ...]:
    """Every replication group of the region (paginated)."""
    pages = ctx.client("elasticache").get_paginator("describe_replication_groups").paginate()
    groups = [
        replication_group_from(g, ctx.region) for page in pages for g in page.get("ReplicationGroups", [])
    ]
    return tuple(sorted(groups, key=lambda g: g.name))


__all__ = [
    "CacheCluster",
    "ReplicationGroup",
    "cache_cluster_from",
    "collect_cache_clusters",
    "collect_replication_groups",
    "replication_group_from",
]
