"""RDS checks: public access (with effective exposure), encryption, snapshots, resilience, maintenance,
authentication, logging and event notification subscriptions."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.rds import RdsCluster, RdsEventSubscription, RdsInstance, RdsSnapshot
from soryoku.posture.checks._exposure import (
    NETWORK_ACLS,
    ROUTE_TABLES,
    exposure_text,
    internet_ingress,
    nacl_reach,
    route_reach,
)
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

INSTANCES = "rds.instances"
CLUSTERS = "rds.clusters"
SNAPSHOTS = "rds.snapshots"
SUBSCRIPTIONS = "rds.event_subscriptions"
SECURITY_GROUPS = "ec2.security_groups"
MIN_BACKUP_RETENTION_DAYS = 7
IAM_AUTH_ENGINES = ("mariadb", "mysql", "postgres")
DEFAULT_ADMIN_USERNAMES = frozenset({"admin", "postgres"})
# Engine family prefix → the engine's default port (RDS.23).
DEFAULT_PORTS: tuple[tuple[str, int], ...] = (
    ("aurora-postgresql", 5432),
    ("aurora", 3306),
    ("postgres", 5432),
    ("mysql", 3306),
    ("mariadb", 3306),
    ("oracle", 1521),
    ("sqlserver", 1433),
    ("db2", 50000),
)
# The CloudWatch Logs exports RDS.9 expects per engine family.
REQUIRED_LOG_EXPORTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("aurora-postgresql", frozenset({"postgresql"})),
    ("aurora", frozenset({"audit", "error", "general", "slowquery"})),
    ("postgres", frozenset({"postgresql", "upgrade"})),
    ("mysql", frozenset({"audit", "error", "general", "slowquery"})),
    ("mariadb", frozenset({"audit", "error", "general", "slowquery"})),
    ("oracle", frozenset({"alert", "audit", "trace", "listener"})),
    ("sqlserver", frozenset({"error", "agent"})),
)


@check(
    "rds_instance_no_public_access",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.CRITICAL,
    collectors=(INSTANCES, SECURITY_GROUPS),
    optional_collectors=(ROUTE_TABLES, NETWORK_ACLS),
)
def rds_instance_no_public_access(instance: RdsInstance, ctx: CheckContext) -> CheckResult:
    """FAIL when PubliclyAccessible is true; exposure: do its security groups admit the internet, do
    its subnets route to an internet gateway and do their network ACLs admit the port (a flagged
    instance can still be unreachable)."""
    if not instance.publicly_accessible:
        return passed(f"DB instance {instance.name} is not publicly accessible.")
    groups = ctx.resources(SECURITY_GROUPS)
    open_rules = internet_ingress(instance.security_group_ids, instance.port, groups)
    route = route_reach(ctx, instance.subnet_ids, instance.vpc_id)
    nacl = nacl_reach(ctx, instance.subnet_ids, instance.vpc_id, instance.port)
    exposure = exposure_text(open_rules, instance.port, route, nacl)
    return failed(
        f"DB instance {instance.name} is publicly accessible (PubliclyAccessible=true); {exposure}.",
        exposure=exposure,
        internet_rules=open_rules,
    )


@check(
    "rds_instance_storage_encrypted",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def rds_instance_storage_encrypted(instance: RdsInstance, ctx: CheckContext) -> CheckResult:
    """FAIL unless the instance's storage is encrypted at rest."""
    if instance.storage_encrypted:
        return passed(f"DB instance {instance.name} has storage encryption enabled.")
    return failed(f"DB instance {instance.name} stores its data unencrypted.")


@check(
    "rds_snapshot_not_public",
    service="rds",
    resource_type="AwsRdsDbSnapshot",
    severity=Severity.CRITICAL,
    collectors=(SNAPSHOTS,),
)
def rds_snapshot_not_public(snapshot: RdsSnapshot, ctx: CheckContext) -> CheckResult:
    """FAIL when any AWS account may restore the snapshot (restore attribute ``all``)."""
    if snapshot.public:
        return failed(
            f"{snapshot.kind.title()} snapshot {snapshot.name} is public: any AWS account can restore it."
        )
    shared = [a for a in snapshot.restore_accounts if a != "all"]
    if shared:
        return passed(
            f"{snapshot.kind.title()} snapshot {snapshot.name} is not public "
            f"(shared with {', '.join(shared)}).",
            shared_with=shared,
        )
    return passed(f"{snapshot.kind.title()} snapshot {snapshot.name} is private.")


@check(
    "rds_snapshot_encrypted",
    service="rds",
    resource_type="AwsRdsDbSnapshot",
    severity=Severity.MEDIUM,
    collectors=(SNAPSHOTS,),
)
def rds_snapshot_encrypted(snapshot: RdsSnapshot, ctx: CheckContext) -> CheckResult:
    """FAIL unless the snapshot is encrypted at rest."""
    if snapshot.encrypted:
        return passed(f"{snapshot.kind.title()} snapshot {snapshot.name} is encrypted.")
    return failed(f"{snapshot.kind.title()} snapshot {snapshot.name} is not encrypted.")


@check(
    "rds_instance_multi_az",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def rds_instance_multi_az(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL unless the instance is Multi-AZ (cluster members are judged through their cluster)."""
    if instance.cluster_id:
        return []
    if instance.multi_az:
        return [passed(f"DB instance {instance.name} is deployed in multiple Availability Zones.")]
    return [failed(f"DB instance {instance.name} runs in a single Availability Zone.")]


@check(
    "rds_instance_enhanced_monitoring",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.LOW,
    collectors=(INSTANCES,),
)
def rds_instance_enhanced_monitoring(instance: RdsInstance, ctx: CheckContext) -> CheckResult:
    """FAIL unless Enhanced Monitoring is on (a monitoring interval above zero)."""
    if instance.monitoring_interval > 0:
        return passed(
            f"DB instance {instance.name} has Enhanced Monitoring every {instance.monitoring_interval} s."
        )
    return failed(f"DB instance {instance.name} does not have Enhanced Monitoring enabled.")


@check(
    "rds_cluster_deletion_protection",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.LOW,
    collectors=(CLUSTERS,),
)
def rds_cluster_deletion_protection(cluster: RdsCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless the cluster has deletion protection."""
    if cluster.deletion_protection:
        return passed(f"DB cluster {cluster.name} has deletion protection enabled.")
    return failed(f"DB cluster {cluster.name} does not have deletion protection enabled.")


@check(
    "rds_instance_deletion_protection",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.LOW,
    collectors=(INSTANCES,),
)
def rds_instance_deletion_protection(instance: RdsInstance, ctx: CheckContext) -> CheckResult:
    """FAIL unless the instance has deletion protection."""
    if instance.deletion_protection:
        return passed(f"DB instance {instance.name} has deletion protection enabled.")
    return failed(f"DB instance {instance.name} does not have deletion protection enabled.")


def _required_logs(engine: str) -> frozenset[str] | None:
    for prefix, logs in REQUIRED_LOG_EXPORTS:
        if engine.startswith(prefix):
            return logs
    return None


@check(
    "rds_instance_cloudwatch_logs_export",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def rds_instance_cloudwatch_logs_export(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL unless the engine's database logs are published to CloudWatch Logs.

    Cluster members publish through their cluster, and engines without a known log set are not judged.
    """
    required = _required_logs(instance.engine)
    if instance.cluster_id or required is None:
        return []
    missing = sorted(required - set(instance.log_exports))
    if missing:
        return [
            failed(
                f"DB instance {instance.name} ({instance.engine}) does not publish logs: "
                f"{', '.join(missing)}.",
                missing=missing,
            )
        ]
    return [passed(f"DB instance {instance.name} publishes {', '.join(sorted(required))} logs.")]


@check(
    "rds_instance_iam_authentication",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def rds_instance_iam_authentication(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL unless IAM database authentication is on (MariaDB, MySQL and PostgreSQL instances only)."""
    if instance.engine not in IAM_AUTH_ENGINES:
        return []
    if instance.iam_auth:
        return [passed(f"DB instance {instance.name} has IAM database authentication enabled.")]
    return [failed(f"DB instance {instance.name} does not use IAM database authentication.")]


@check(
    "rds_instance_backup_enabled",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def rds_instance_backup_enabled(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL unless automated backups are kept 7 days or more (read replicas and cluster members aside)."""
    if instance.replica_source or instance.cluster_id:
        return []
    days = instance.backup_retention_days
    if days >= MIN_BACKUP_RETENTION_DAYS:
        return [passed(f"DB instance {instance.name} keeps automated backups for {days} days.")]
    if days == 0:
        return [failed(f"DB instance {instance.name} has automated backups disabled.")]
    return [
        failed(
            f"DB instance {instance.name} keeps automated backups for {days} day(s), "
            f"fewer than {MIN_BACKUP_RETENTION_DAYS}.",
            retention_days=days,
        )
    ]


@check(
    "rds_cluster_iam_authentication",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def rds_cluster_iam_authentication(cluster: RdsCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless the cluster has IAM database authentication enabled."""
    if cluster.iam_auth:
        return passed(f"DB cluster {cluster.name} has IAM database authentication enabled.")
    return failed(f"DB cluster {cluster.name} does not use IAM database authentication.")


@check(
    "rds_instance_minor_version_upgrade",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.HIGH,
    collectors=(INSTANCES,),
)
def rds_instance_minor_version_upgrade(instance: RdsInstance, ctx: CheckContext) -> CheckResult:
    """FAIL unless automatic minor version upgrades are enabled."""
    if instance.auto_minor_version_upgrade:
        return passed(f"DB instance {instance.name} applies minor engine upgrades automatically.")
    return failed(f"DB instance {instance.name} has automatic minor version upgrades disabled.")


@check(
    "rds_cluster_multi_az",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def rds_cluster_multi_az(cluster: RdsCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless the cluster spans multiple Availability Zones."""
    if cluster.multi_az:
        return passed(f"DB cluster {cluster.name} spans multiple Availability Zones.")
    return failed(f"DB cluster {cluster.name} is not configured for multiple Availability Zones.")


@check(
    "rds_cluster_storage_encrypted",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def rds_cluster_storage_encrypted(cluster: RdsCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless the cluster's storage is encrypted at rest."""
    if cluster.storage_encrypted:
        return passed(f"DB cluster {cluster.name} is encrypted at rest.")
    return failed(f"DB cluster {cluster.name} is not encrypted at rest.")


def _subscription_verdict(
    subscription: RdsEventSubscription, source_type: str, required: frozenset[str]
) -> list[CheckResult]:
    """The verdict for one subscription of ``source_type`` (other source types get none)."""
    if subscription.source_type != source_type:
        return []
    if not subscription.enabled:
        return [failed(f"Event subscription {subscription.name} ({source_type}) is disabled.")]
    categories = set(subscription.event_categories)
    missing = sorted(required - categories) if categories else []  # no categories = every category
    if missing:
        return [
            failed(
                f"Event subscription {subscription.name} ({source_type}) misses critical categories: "
                f"{', '.join(missing)}.",
                missing=missing,
            )
        ]
    return [passed(f"Event subscription {subscription.name} notifies critical {source_type} events.")]


@check(
    "rds_event_subscription_cluster_critical_events",
    service="rds",
    resource_type="AwsRdsEventSubscription",
    severity=Severity.LOW,
    collectors=(SUBSCRIPTIONS,),
)
def rds_event_subscription_cluster_critical_events(
    subscription: RdsEventSubscription, ctx: CheckContext
) -> list[CheckResult]:
    """FAIL when a db-cluster subscription is disabled or misses failure/maintenance events."""
    return _subscription_verdict(subscription, "db-cluster", frozenset({"failure", "maintenance"}))


@check(
    "rds_event_subscription_instance_critical_events",
    service="rds",
    resource_type="AwsRdsEventSubscription",
    severity=Severity.LOW,
    collectors=(SUBSCRIPTIONS,),
)
def rds_event_subscription_instance_critical_events(
    subscription: RdsEventSubscription, ctx: CheckContext
) -> list[CheckResult]:
    """FAIL when a db-instance subscription is disabled or misses failure/maintenance/configuration change."""
    return _subscription_verdict(
        subscription, "db-instance", frozenset({"configuration change", "failure", "maintenance"})
    )


@check(
    "rds_event_subscription_parameter_group_critical_events",
    service="rds",
    resource_type="AwsRdsEventSubscription",
    severity=Severity.LOW,
    collectors=(SUBSCRIPTIONS,),
)
def rds_event_subscription_parameter_group_critical_events(
    subscription: RdsEventSubscription, ctx: CheckContext
) -> list[CheckResult]:
    """FAIL when a db-parameter-group subscription is disabled or misses configuration change events."""
    return _subscription_verdict(subscription, "db-parameter-group", frozenset({"configuration change"}))


@check(
    "rds_event_subscription_security_group_critical_events",
    service="rds",
    resource_type="AwsRdsEventSubscription",
    severity=Severity.LOW,
    collectors=(SUBSCRIPTIONS,),
)
def rds_event_subscription_security_group_critical_events(
    subscription: RdsEventSubscription, ctx: CheckContext
) -> list[CheckResult]:
    """FAIL when a db-security-group subscription is disabled or misses failure/configuration change."""
    return _subscription_verdict(
        subscription, "db-security-group", frozenset({"configuration change", "failure"})
    )


def _default_port(engine: str) -> int | None:
    for prefix, port in DEFAULT_PORTS:
        if engine.startswith(prefix):
            return port
    return None


@check(
    "rds_instance_non_default_port",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.LOW,
    collectors=(INSTANCES,),
)
def rds_instance_non_default_port(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when the instance listens on its engine's default port (engines without a known default aside)."""
    default = _default_port(instance.engine)
    if default is None or instance.port is None or instance.cluster_id:
        return []
    if instance.port == default:
        return [failed(f"DB instance {instance.name} uses the {instance.engine} default port {default}.")]
    return [passed(f"DB instance {instance.name} uses port {instance.port}, not the engine default.")]


def _admin_verdict(kind: str, name: str, username: str) -> CheckResult:
    if username.lower() in DEFAULT_ADMIN_USERNAMES:
        return failed(f"{kind} {name} uses the default administrator username {username}.")
    return passed(f"{kind} {name} uses a custom administrator username.")


@check(
    "rds_cluster_custom_admin_username",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def rds_cluster_custom_admin_username(cluster: RdsCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when the cluster's administrator is named admin or postgres."""
    return _admin_verdict("DB cluster", cluster.name, cluster.master_username)


@check(
    "rds_instance_custom_admin_username",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def rds_instance_custom_admin_username(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when the instance's administrator is named admin or postgres (cluster members aside)."""
    if instance.cluster_id:
        return []
    return [_admin_verdict("DB instance", instance.name, instance.master_username)]


@check(
    "rds_cluster_copy_tags_to_snapshots",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.LOW,
    collectors=(CLUSTERS,),
)
def rds_cluster_copy_tags_to_snapshots(cluster: RdsCluster, ctx: CheckContext) -> list[CheckResult]:
    """FAIL unless an Aurora cluster copies its tags to its snapshots (Multi-AZ DB clusters: RDS.47/48)."""
    if not cluster.aurora:
        return []
    if cluster.copy_tags_to_snapshot:
        return [passed(f"DB cluster {cluster.name} copies its tags to snapshots.")]
    return [failed(f"DB cluster {cluster.name} does not copy its tags to snapshots.")]


@check(
    "rds_instance_copy_tags_to_snapshots",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.LOW,
    collectors=(INSTANCES,),
)
def rds_instance_copy_tags_to_snapshots(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL unless the instance copies its tags to its snapshots (cluster members: see the cluster)."""
    if instance.cluster_id:
        return []
    if instance.copy_tags_to_snapshot:
        return [passed(f"DB instance {instance.name} copies its tags to snapshots.")]
    return [failed(f"DB instance {instance.name} does not copy its tags to snapshots.")]
