"""Redshift: provisioned clusters with exposure, encryption, snapshots, logging and defaults."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class RedshiftCluster:
    """A cluster's security settings; ``require_ssl`` comes from its parameter group(s)."""

    name: str
    arn: str
    region: str
    publicly_accessible: bool = False
    encrypted: bool = False
    snapshot_retention_days: int = 0
    allow_version_upgrade: bool = False
    enhanced_vpc_routing: bool = False
    master_username: str = ""
    database_name: str = ""
    audit_logging: bool = False
    require_ssl: bool = False
    port: int | None = None
    security_group_ids: tuple[str, ...] = ()
    multi_az: bool = False
    vpc_id: str | None = None
    subnet_group: str | None = None


def _true(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def require_ssl_from(parameters: Iterable[Mapping[str, Any]]) -> bool:
    """Whether a DescribeClusterParameters answer sets require_ssl to true."""
    return any(p.get("ParameterName") == "require_ssl" and _true(p.get("ParameterValue")) for p in parameters)


def cluster_from(
    raw: Mapping[str, Any],
    logging_enabled: bool,
    require_ssl: bool,
    region: str,
    partition: str,
    account_id: str,
) -> RedshiftCluster:
    """A DescribeClusters entry, its logging status and its parameter groups' require_ssl as the model."""
    name = str(raw["ClusterIdentifier"])
    endpoint = raw.get("Endpoint") or {}
    return RedshiftCluster(
        name=name,
        arn=f"arn:{partition}:redshift:{region}:{account_id}:cluster:{name}",
        region=region,
        publicly_accessible=bool(raw.get("PubliclyAccessible", False)),
        encrypted=bool(raw.get("Encrypted", False)),
        snapshot_retention_days=int(raw.get("AutomatedSnapshotRetentionPeriod", 0) or 0),
        allow_version_upgrade=bool(raw.get("AllowVersionUpgrade", False)),
        enhanced_vpc_routing=bool(raw.get("EnhancedVpcRouting", False)),
        master_username=str(raw.get("MasterUsername", "")),
        database_name=str(raw.get("DBName", "")),
        audit_logging=logging_enabled,
        require_ssl=require_ssl,
        port=int(endpoint["Port"]) if endpoint.get("Port") else None,
        security_group_ids=tuple(
            str(g["VpcSecurityGroupId"])
            for g in raw.get("VpcSecurityGroups", [])
            if g.get("VpcSecurityGroupId")
        ),
        # "Enabled" or "Disabled" (a string, unlike the other flags of DescribeClusters)
        multi_az=str(raw.get("MultiAZ", "")).lower() == "enabled",
        vpc_id=raw.get("VpcId") or None,
        subnet_group=raw.get("ClusterSubnetGroupName") or None,
    )


@collector(
    "redshift.clusters",
    service="redshift",
    scope="regional",
    actions=(
        "redshift:DescribeClusters",
        "redshift:DescribeLoggingStatus",
        "redshift:DescribeClusterParameters",
    ),
    description="Redshift clusters: exposure, encryption, snapshots, audit logging, require_ssl, Multi-AZ",
)
def collect_redshift_clusters(ctx: CollectContext) -> tuple[RedshiftCluster, ...]:
    """Every cluster, its logging status, and require_ssl of each parameter group (read once per group)."""
    redshift = ctx.client("redshift")
    raw = [
        c for page in redshift.get_paginator("describe_clusters").paginate() for c in page.get("Clusters", [])
    ]
    groups = sorted({str(g["ParameterGroupName"]) for c in raw for g in c.get("ClusterParameterGroups", [])})

    def group_requires_ssl(name: str) -> tuple[str, bool]:
        pages = redshift.get_paginator("describe_cluster_parameters").paginate(ParameterGroupName=name)
        return name, require_ssl_from(p for page in pages for p in page.get("Parameters", []))

    ssl = dict(ctx.map(group_requires_ssl, groups))

    def detail(item: Mapping[str, Any]) -> RedshiftCluster:
        logging = redshift.describe_logging_status(ClusterIdentifier=item["ClusterIdentifier"])
        names = [str(g["ParameterGroupName"]) for g in item.get("ClusterParameterGroups", [])]
        requires = bool(names) and all(ssl.get(n, False) for n in names)
        return cluster_from(
            item, bool(logging.get("LoggingEnabled")), requires, ctx.region, ctx.partition, ctx.account_id
        )

    return tuple(sorted(ctx.map(detail, raw), key=lambda c: c.name))


__all__ = ["RedshiftCluster", "cluster_from", "collect_redshift_clusters", "require_ssl_from"]
