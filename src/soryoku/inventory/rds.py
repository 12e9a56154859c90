"""RDS: DB instances, DB clusters, instance and cluster snapshots (with who may restore them), event
notification subscriptions, customer parameter groups and proxies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class RdsInstance:
    """A DB instance and its security-relevant settings."""

    name: str
    arn: str
    region: str
    engine: str
    publicly_accessible: bool = False
    storage_encrypted: bool = False
    multi_az: bool = False
    deletion_protection: bool = False
    backup_retention_days: int = 0
    auto_minor_version_upgrade: bool = False
    iam_auth: bool = False
    monitoring_interval: int = 0
    log_exports: tuple[str, ...] = ()
    port: int | None = None
    security_group_ids: tuple[str, ...] = ()
    cluster_id: str | None = None
    replica_source: str | None = None
    master_username: str = ""
    copy_tags_to_snapshot: bool = False
    engine_version: str = ""
    parameter_group: str | None = None
    parameter_group_in_sync: bool = True
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RdsCluster:
    """A DB cluster (Aurora, or Multi-AZ DB cluster) and its settings."""

    name: str
    arn: str
    region: str
    engine: str
    storage_encrypted: bool = False
    multi_az: bool = False
    deletion_protection: bool = False
    iam_auth: bool = False
    auto_minor_version_upgrade: bool = False
    master_username: str = ""
    port: int | None = None
    copy_tags_to_snapshot: bool = False
    engine_mode: str = "provisioned"
    backtrack_window_seconds: int = 0
    log_exports: tuple[str, ...] = ()
    parameter_group: str | None = None
    parameter_group_in_sync: bool = True

    @property
    def aurora(self) -> bool:
        """True for Aurora clusters; other engines are Multi-AZ DB clusters."""
        return self.engine.startswith("aurora")


@dataclass(frozen=True, slots=True)
class RdsParameterGroup:
    """A customer DB (``kind="instance"``) or DB cluster (``"cluster"``) parameter group and the
    parameters the customer set in it (``Source=user``); unset parameters keep the engine default."""

    name: str
    arn: str
    region: str
    kind: str
    parameters: tuple[tuple[str, str], ...] = ()

    def value(self, parameter: str) -> str | None:
        """The value the customer set, None when the parameter keeps its default."""
        return dict(self.parameters).get(parameter)


@dataclass(frozen=True, slots=True)
class RdsProxy:
    """An RDS Proxy: its engine family and whether it requires TLS from clients."""

    name: str
    arn: str
    region: str
    engine_family: str = ""
    require_tls: bool = False


@dataclass(frozen=True, slots=True)
class RdsSnapshot:
    """A manual or automated snapshot of an instance (``kind="instance"``) or a cluster (``"cluster"``).

    ``restore_accounts`` holds the ``restore`` attribute: account ids, or ``all`` when it is public.
    """

    name: str
    arn: str
    region: str
    kind: str
    source: str
    encrypted: bool = False
    restore_accounts: tuple[str, ...] = ()

    @property
    def public(self) -> bool:
        """True when anyone may copy or restore the snapshot."""
        return "all" in self.restore_accounts


@dataclass(frozen=True, slots=True)
class RdsEventSubscription:
    """An RDS event notification subscription: source type, categories (empty = all) and state."""

    name: str
    arn: str
    region: str
    source_type: str
    event_categories: tuple[str, ...] = ()
    enabled: bool = False
    source_ids: tuple[str, ...] = ()


# -- transforms (pure) --


def instance_from(raw: Mapping[str, Any], region: str) -> RdsInstance:
    """A DescribeDBInstances entry as the model."""
    endpoint = raw.get("Endpoint") or {}
    groups = [g for g in raw.get("DBParameterGroups", []) or [] if g.get("DBParameterGroupName")]
    port = endpoint.get("Port") or raw.get("DbInstancePort")
    return RdsInstance(
        name=str(raw["DBInstanceIdentifier"]),
        arn=str(raw["DBInstanceArn"]),
        region=region,
        engine=str(raw.get("Engine", "")),
        publicly_accessible=bool(raw.get("PubliclyAccessible", False)),
        storage_encrypted=bool(raw.get("StorageEncrypted", False)),
        multi_az=bool(raw.get("MultiAZ", False)),
        deletion_protection=bool(raw.get("DeletionProtection", False)),
        backup_retention_days=int(raw.get("BackupRetentionPeriod", 0) or 0),
        auto_minor_version_upgrade=bool(raw.get("AutoMinorVersionUpgrade", False)),
        iam_auth=bool(raw.get("IAMDatabaseAuthenticationEnabled", False)),
        monitoring_interval=int(raw.get("MonitoringInterval", 0) or 0),
        log_exports=tuple(str(x) for x in raw.get("EnabledCloudwatchLogsExports", []) or []),
        port=int(port) if port else None,
        security_group_ids=tuple(
            str(g["VpcSecurityGroupId"])
            for g in raw.get("VpcSecurityGroups", [])
            if g.get("VpcSecurityGroupId")
        ),
        cluster_id=raw.get("DBClusterIdentifier") or None,
        replica_source=raw.get("ReadReplicaSourceDBInstanceIdentifier") or None,
        master_username=str(raw.get("MasterUsername", "") or ""),
        copy_tags_to_snapshot=bool(raw.get("CopyTagsToSnapshot", False)),
        engine_version=str(raw.get("EngineVersion", "") or ""),
        parameter_group=next((str(g["DBParameterGroupName"]) for g in groups), None),
        parameter_group_in_sync=all(g.get("ParameterApplyStatus", "in-sync") == "in-sync" for g in groups),
        vpc_id=(raw.get("DBSubnetGroup") or {}).get("VpcId") or None,
        subnet_ids=tuple(
            str(s["SubnetIdentifier"])
            for s in (raw.get("DBSubnetGroup") or {}).get("Subnets", [])
            if s.get("SubnetIdentifier")
        ),
    )


def cluster_from(raw: Mapping[str, Any], region: str) -> RdsCluster:
    """A DescribeDBClusters entry as the model."""
    return RdsCluster(
        name=str(raw["DBClusterIdentifier"]),
        arn=str(raw["DBClusterArn"]),
        region=region,
        engine=str(raw.get("Engine", "")),
        storage_encrypted=bool(raw.get("StorageEncrypted", False)),
        multi_az=bool(raw.get("MultiAZ", False)),
        deletion_protection=bool(raw.get("DeletionProtection", False)),
        iam_auth=bool(raw.get("IAMDatabaseAuthenticationEnabled", False)),
        auto_minor_version_upgrade=bool(raw.get("AutoMinorVersionUpgrade", False)),
        master_username=str(raw.get("MasterUsername", "") or ""),
        port=int(raw["Port"]) if raw.get("Port") else None,
        copy_tags_to_snapshot=bool(raw.get("CopyTagsToSnapshot", False)),
        engine_mode=str(raw.get("EngineMode") or "provisioned"),
        backtrack_window_seconds=int(raw.get("BacktrackWindow", 0) or 0),
        log_exports=tuple(str(x) for x in raw.get("EnabledCloudwatchLogsExports", []) or []),
        parameter_group=raw.get("DBClusterParameterGroup") or None,
        parameter_group_in_sync=all(
            m.get("DBClusterParameterGroupStatus", "in-sync") == "in-sync"
            for m in raw.get("DBClusterMembers", []) or []
        ),
    )


def parameter_group_from(
    name: str, arn: str, kind: str, parameters: Iterable[Mapping[str, Any]], region: str
) -> RdsParameterGroup:
    """A parameter group and its DescribeDB(Cluster)Parameters ``Source=user`` answer as the model."""
    values = sorted(
        (str(p["ParameterName"]), str(p["ParameterValue"]))
        for p in parameters
        if p.get("ParameterName") and p.get("ParameterValue") is not None
    )
    return RdsParameterGroup(name, arn, region, kind, tuple(values))


def proxy_from(raw: Mapping[str, Any], region: str) -> RdsProxy:
    """A DescribeDBProxies entry as the model."""
    return RdsProxy(
        name=str(raw["DBProxyName"]),
        arn=str(raw.get("DBProxyArn", "")),
        region=region,
        engine_family=str(raw.get("EngineFamily", "")),
        require_tls=bool(raw.get("RequireTLS", False)),
    )


def restore_accounts_from(attributes: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The values of the ``restore`` attribute of a snapshot's attributes answer."""
    return tuple(
        sorted(
            str(v)
            for a in attributes
            if a.get("AttributeName") == "restore"
            for v in a.get("AttributeValues", []) or []
        )
    )


def snapshot_from(
    raw: Mapping[str, Any], attributes: Iterable[Mapping[str, Any]], region: str
) -> RdsSnapshot:
    """A DB or DB cluster snapshot entry (and its attributes) as the model."""
    if "DBClusterSnapshotIdentifier" in raw:
        return RdsSnapshot(
            name=str(raw["DBClusterSnapshotIdentifier"]),
            arn=str(raw["DBClusterSnapshotArn"]),
            region=region,
            kind="cluster",
            source=str(raw.get("DBClusterIdentifier", "")),
            encrypted=bool(raw.get("StorageEncrypted", False)),
            restore_accounts=restore_accounts_from(attributes),
        )
    return RdsSnapshot(
        name=str(raw["DBSnapshotIdentifier"]),
        arn=str(raw["DBSnapshotArn"]),
        region=region,
        kind="instance",
        source=str(raw.get("DBInstanceIdentifier", "")),
        encrypted=bool(raw.get("Encrypted", False)),
        restore_accounts=restore_accounts_from(attributes),
    )


def subscription_from(raw: Mapping[str, Any], region: str) -> RdsEventSubscription:
    """A DescribeEventSubscriptions entry as the model."""
    return RdsEventSubscription(
        name=str(raw["CustSubscriptionId"]),
        arn=str(raw.get("EventSubscriptionArn", "")),
        region=region,
        source_type=str(raw.get("SourceType", "")),
        event_categories=tuple(sorted(str(c) for c in raw.get("EventCategoriesList", []) or [])),
        enabled=bool(raw.get("Enabled", False)),
        source_ids=tuple(str(s) for s in raw.get("SourceIdsList", []) or []),
    )


# -- get (I/O) --


def _pages(client: Any, operation: str, key: str, **params: Any) -> list[Mapping[str, Any]]:
    return [item for page in client.get_paginator(operation).paginate(**params) for item in page.get(key, [])]


@collector(
    "rds.instances",
    service="rds",
    scope="regional",
    actions=("rds:DescribeDBInstances",),
    description="RDS DB instances with encryption, exposure, backup and maintenance settings",
)
def collect_rds_instances(ctx: CollectContext) -> tuple[RdsInstance, ...]:
    """Every DB instance of the region (paginated)."""
    raw = _pages(ctx.client("rds"), "describe_db_instances", "DBInstances")
    return tuple(sorted((instance_from(r, ctx.region) for r in raw), key=lambda i: i.name))


@collector(
    "rds.clusters",
    service="rds",
    scope="regional",
    actions=("rds:DescribeDBClusters",),
    description="RDS DB clusters with encryption, availability, authentication, backtrack and log settings",
)
def collect_rds_clusters(ctx: CollectContext) -> tuple[RdsCluster, ...]:
    """Every DB cluster of the region (paginated)."""
    raw = _pages(ctx.client("rds"), "describe_db_clusters", "DBClusters")
    return tuple(sorted((cluster_from(r, ctx.region) for r in raw), key=lambda c: c.name))


@collector(
    "rds.snapshots",
    service="rds",
    scope="regional",
    actions=(
        "rds:DescribeDBSnapshots",
        "rds:DescribeDBSnapshotAttributes",
        "rds:DescribeDBClusterSnapshots",
        "rds:DescribeDBClusterSnapshotAttributes",
    ),
    description="the account's manual RDS instance and cluster snapshots, with who may restore them",
)
def collect_rds_snapshots(ctx: CollectContext) -> tuple[RdsSnapshot, ...]:
    """Own instance and cluster snapshots, then each one's attributes (the restore permission)."""
    rds = ctx.client("rds")
    # Automated snapshots cannot be shared and inherit their source's encryption (judged by RDS.3 and
    # the cluster check); only manual snapshots carry their own sharing and encryption decisions.
    instance_snaps = _pages(rds, "describe_db_snapshots", "DBSnapshots", SnapshotType="manual")
    cluster_snaps = _pages(rds, "describe_db_cluster_snapshots", "DBClusterSnapshots", SnapshotType="manual")

    def instance_detail(raw: Mapping[str, Any]) -> RdsSnapshot:
        answer = rds.describe_db_snapshot_attributes(DBSnapshotIdentifier=raw["DBSnapshotIdentifier"])
        return snapshot_from(
            raw, answer["DBSnapshotAttributesResult"].get("DBSnapshotAttributes", []), ctx.region
        )

    def cluster_detail(raw: Mapping[str, Any]) -> RdsSnapshot:
        answer = rds.describe_db_cluster_snapshot_attributes(
            DBClusterSnapshotIdentifier=raw["DBClusterSnapshotIdentifier"]
        )
        attributes = answer["DBClusterSnapshotAttributesResult"].get("DBClusterSnapshotAttributes", [])
        return snapshot_from(raw, attributes, ctx.region)

    snapshots = ctx.map(instance_detail, instance_snaps) + ctx.map(cluster_detail, cluster_snaps)
    return tuple(sorted(snapshots, key=lambda s: (s.kind, s.name)))


@collector(
    "rds.event_subscriptions",
    service="rds",
    scope="regional",
    actions=("rds:DescribeEventSubscriptions",),
    description="RDS event notification subscriptions",
)
def collect_rds_event_subscriptions(ctx: CollectContext) -> tuple[RdsEventSubscription, ...]:
    """Every event subscription of the region (paginated)."""
    raw = _pages(ctx.client("rds"), "describe_event_subscriptions", "EventSubscriptionsList")
    return tuple(sorted((subscription_from(r, ctx.region) for r in raw), key=lambda s: s.name))


@collector(
    "rds.parameter_groups",
    service="rds",
    scope="regional",
    actions=(
        "rds:DescribeDBParameterGroups",
        "rds:DescribeDBParameters",
        "rds:DescribeDBClusterParameterGroups",
        "rds:DescribeDBClusterParameters",
    ),
    description="customer RDS DB and DB cluster parameter groups with the parameters set in them",
)
def collect_rds_parameter_groups(ctx: CollectContext) -> tuple[RdsParameterGroup, ...]:
    """Every customer parameter group and the parameters the customer set in it (``Source=user``).

    The ``default.*`` groups cannot be changed, so every parameter in them keeps its engine default.
    """
    rds = ctx.client("rds")
    instance_groups = [
        g
        for g in _pages(rds, "describe_db_parameter_groups", "DBParameterGroups")
        if not str(g["DBParameterGroupName"]).startswith("default.")
    ]
    cluster_groups = [
        g
        for g in _pages(rds, "describe_db_cluster_parameter_groups", "DBClusterParameterGroups")
        if not str(g["DBClusterParameterGroupName"]).startswith("default.")
    ]

    def instance_group(raw: Mapping[str, Any]) -> RdsParameterGroup:
        name = str(raw["DBParameterGroupName"])
        params = _pages(rds, "describe_db_parameters", "Parameters", DBParameterGroupName=name, Source="user")
        return parameter_group_from(
            name, str(raw.get("DBParameterGroupArn", "")), "instance", params, ctx.region
        )

    def cluster_group(raw: Mapping[str, Any]) -> RdsParameterGroup:
        name = str(raw["DBClusterParameterGroupName"])
        params = _pages(
            rds,
            "describe_db_cluster_parameters",
            "Parameters",
            DBClusterParameterGroupName=name,
            Source="user",
        )
        arn = str(raw.get("DBClusterParameterGroupArn", ""))
        return parameter_group_from(name, arn, "cluster", params, ctx.region)

    groups = ctx.map(instance_group, instance_groups) + ctx.map(cluster_group, cluster_groups)
    return tuple(sorted(groups, key=lambda g: (g.kind, g.name)))


@collector(
    "rds.proxies",
    service="rds",
    scope="regional",
    actions=("rds:DescribeDBProxies",),
    description="RDS Proxy endpoints and whether they require TLS",
)
def collect_rds_proxies(ctx: CollectContext) -> tuple[RdsProxy, ...]:
    """Every RDS proxy of the region (paginated)."""
    raw = _pages(ctx.client("rds"), "describe_db_proxies", "DBProxies")
    return tuple(sorted((proxy_from(r, ctx.region) for r in raw), key=lambda p: p.name))


__all__ = [
    "RdsCluster",
    "RdsEventSubscription",
    "RdsInstance",
    "RdsParameterGroup",
    "RdsProxy",
    "RdsSnapshot",
    "cluster_from",
    "collect_rds_clusters",
    "collect_rds_event_subscriptions",
    "collect_rds_instances",
    "collect_rds_parameter_groups",
    "collect_rds_proxies",
    "collect_rds_snapshots",
    "instance_from",
    "parameter_group_from",
    "proxy_from",
    "restore_accounts_from",
    "snapshot_from",
    "subscription_from",
]
