"""ElastiCache checks: automatic backups, minor version upgrades, default subnet group (clusters);
automatic failover, encryption at rest and in transit, and AUTH on pre-6.0 Redis (replication groups)."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.elasticache import CacheCluster, ReplicationGroup
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

CLUSTERS = "elasticache.clusters"
GROUPS = "elasticache.replication_groups"
REDIS_ENGINES = ("redis", "valkey")
# Redis OSS 6.0 brought RBAC user groups; earlier versions can only authenticate with an AUTH token.
RBAC_MAJOR_VERSION = 6


@check(
    "elasticache_redis_automatic_backups",
    service="elasticache",
    resource_type="AwsElastiCacheCacheCluster",
    severity=Severity.HIGH,
    collectors=(CLUSTERS,),
)
def elasticache_redis_automatic_backups(cluster: CacheCluster, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when a Redis OSS/Valkey cluster keeps no automatic backups (Memcached has none to keep)."""
    if cluster.engine not in REDIS_ENGINES:
        return []
    if cluster.snapshot_retention_days > 0:
        return [
            passed(
                f"Cache cluster {cluster.name} keeps backups for {cluster.snapshot_retention_days} day(s)."
            )
        ]
    return [failed(f"Cache cluster {cluster.name} has automatic backups disabled.")]


@check(
    "elasticache_cluster_auto_minor_version_upgrade",
    service="elasticache",
    resource_type="AwsElastiCacheCacheCluster",
    severity=Severity.HIGH,
    collectors=(CLUSTERS,),
)
def elasticache_cluster_auto_minor_version_upgrade(cluster: CacheCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless minor engine upgrades are applied automatically."""
    if cluster.auto_minor_version_upgrade:
        return passed(f"Cache cluster {cluster.name} applies minor version upgrades automatically.")
    return failed(f"Cache cluster {cluster.name} does not apply minor version upgrades automatically.")


@check(
    "elasticache_cluster_custom_subnet_group",
    service="elasticache",
    resource_type="AwsElastiCacheCacheCluster",
    severity=Severity.HIGH,
    collectors=(CLUSTERS,),
)
def elasticache_cluster_custom_subnet_group(cluster: CacheCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when the cluster uses the default subnet group (or none)."""
    if cluster.subnet_group and cluster.subnet_group != "default":
        return passed(f"Cache cluster {cluster.name} uses subnet group {cluster.subnet_group}.")
    return failed(f"Cache cluster {cluster.name} uses the default subnet group.")


@check(
    "elasticache_replication_group_automatic_failover",
    service="elasticache",
    resource_type="AwsElastiCacheReplicationGroup",
    severity=Severity.MEDIUM,
    collectors=(GROUPS,),
)
def elasticache_replication_group_automatic_failover(
    group: ReplicationGroup, ctx: CheckContext
) -> CheckResult:
    """FAIL unless automatic failover is enabled."""
    if group.automatic_failover == "enabled":
        return passed(f"Replication group {group.name} fails over automatically.")
    return failed(f"Replication group {group.name} has automatic failover {group.automatic_failover}.")


@check(
    "elasticache_replication_group_encrypted_at_rest",
    service="elasticache",
    resource_type="AwsElastiCacheReplicationGroup",
    severity=Severity.MEDIUM,
    collectors=(GROUPS,),
)
def elasticache_replication_group_encrypted_at_rest(
    group: ReplicationGroup, ctx: CheckContext
) -> CheckResult:
    """FAIL unless the replication group is encrypted at rest."""
    if group.at_rest_encryption:
        return passed(f"Replication group {group.name} is encrypted at rest.")
    return failed(f"Replication group {group.name} is not encrypted at rest.")


@check(
    "elasticache_replication_group_encrypted_in_transit",
    service="elasticache",
    resource_type="AwsElastiCacheReplicationGroup",
    severity=Severity.MEDIUM,
    collectors=(GROUPS,),
)
def elasticache_replication_group_encrypted_in_transit(
    group: ReplicationGroup, ctx: CheckContext
) -> CheckResult:
    """FAIL unless the replication group encrypts traffic in transit."""
    if group.transit_encryption:
        return passed(f"Replication group {group.name} encrypts data in transit.")
    return failed(f"Replication group {group.name} does not encrypt data in transit.")


def _major(version: str) -> int | None:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


@check(
    "elasticache_replication_group_redis_auth_enabled",
    service="elasticache",
    resource_type="AwsElastiCacheReplicationGroup",
    severity=Severity.MEDIUM,
    collectors=(GROUPS, CLUSTERS),
)
def elasticache_replication_group_redis_auth_enabled(
    group: ReplicationGroup, ctx: CheckContext
) -> list[CheckResult]:
    """FAIL when a replication group whose nodes run Redis OSS below 6.0 has no AUTH token.

    The version comes from the group's member cache clusters; groups on 6.0 or later (RBAC) and
    groups whose members are not listed are not judged.
    """
    versions = sorted(
        {
            c.engine_version
            for c in ctx.resources(CLUSTERS)
            if c.replication_group == group.name and c.engine == "redis" and c.engine_version
        }
    )
    majors = [m for m in (_major(v) for v in versions) if m is not None]
    if not majors or min(majors) >= RBAC_MAJOR_VERSION:
        return []
    if group.auth_token:
        return [passed(f"Replication group {group.name} (Redis OSS {', '.join(versions)}) requires AUTH.")]
    return [
        failed(
            f"Replication group {group.name} runs Redis OSS {', '.join(versions)} without an AUTH token.",
            engine_versions=versions,
        )
    ]
