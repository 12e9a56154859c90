"""RDS checks tied to one engine family: Aurora MySQL backtracking and audit logs, Multi-AZ DB cluster
minor upgrades and tag copying, and the CloudWatch Logs exports Security Hub expects per engine
(RDS.36/37/40/42)."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.rds import RdsCluster, RdsInstance
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

INSTANCES = "rds.instances"
CLUSTERS = "rds.clusters"
# "aurora" is the Aurora MySQL 5.6-compatible engine name; "aurora-mysql" every later version.
AURORA_MYSQL_ENGINES = frozenset({"aurora", "aurora-mysql"})
# Multi-AZ DB clusters run the plain engines; DocumentDB and Neptune clusters are listed by the RDS
# API too but have neither setting.
MULTI_AZ_CLUSTER_ENGINES = frozenset({"mysql", "postgres"})
SERVERLESS_V1 = "serverless"


def _aurora_mysql(cluster: RdsCluster) -> bool:
    return cluster.engine in AURORA_MYSQL_ENGINES and cluster.engine_mode != SERVERLESS_V1


@check(
    "rds_cluster_aurora_mysql_backtracking_enabled",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def aurora_backtracking(cluster: RdsCluster, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when an Aurora MySQL cluster has no backtrack window (other engines are not judged)."""
    if not _aurora_mysql(cluster):
        return []
    hours = cluster.backtrack_window_seconds / 3600
    if cluster.backtrack_window_seconds > 0:
        return [passed(f"Aurora MySQL cluster {cluster.name} can backtrack {hours:g} hour(s).")]
    return [failed(f"Aurora MySQL cluster {cluster.name} has backtracking disabled.")]


@check(
    "rds_cluster_aurora_mysql_audit_logs_exported",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def aurora_mysql_audit_logs(cluster: RdsCluster, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when an Aurora MySQL cluster (Serverless v1 aside) does not export its audit log."""
    if not _aurora_mysql(cluster):
        return []
    if "audit" in cluster.log_exports:
        return [passed(f"Aurora MySQL cluster {cluster.name} publishes its audit log to CloudWatch Logs.")]
    return [
        failed(
            f"Aurora MySQL cluster {cluster.name} does not publish its audit log to CloudWatch Logs.",
            log_exports=list(cluster.log_exports),
        )
    ]


@check(
    "rds_cluster_minor_version_upgrade",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def multi_az_cluster_minor_upgrade(cluster: RdsCluster, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when a Multi-AZ DB cluster has automatic minor version upgrade off (Aurora is not judged)."""
    if cluster.engine not in MULTI_AZ_CLUSTER_ENGINES:
        return []
    if cluster.auto_minor_version_upgrade:
        return [passed(f"DB cluster {cluster.name} applies minor engine upgrades automatically.")]
    return [failed(f"DB cluster {cluster.name} has automatic minor version upgrade disabled.")]


@check(
    "rds_cluster_aurora_postgresql_logs_exported",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def aurora_postgresql_logs(cluster: RdsCluster, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when an Aurora PostgreSQL cluster does not export its postgresql log."""
    if cluster.engine != "aurora-postgresql":
        return []
    if "postgresql" in cluster.log_exports:
        return [passed(f"Aurora PostgreSQL cluster {cluster.name} publishes its logs to CloudWatch Logs.")]
    return [failed(f"Aurora PostgreSQL cluster {cluster.name} does not publish its logs to CloudWatch Logs.")]


def _instance_logs(
    instance: RdsInstance, engine_family: str, label: str, required: frozenset[str]
) -> list[CheckResult]:
    # Members of a Multi-AZ DB cluster publish through their cluster.
    if not instance.engine.startswith(engine_family) or instance.cluster_id:
        return []
    missing = sorted(required - set(instance.log_exports))
    if missing:
        return [
            failed(
                f"{label} DB instance {instance.name} does not publish logs: {', '.join(missing)}.",
                missing=missing,
            )
        ]
    return [passed(f"{label} DB instance {instance.name} publishes {', '.join(sorted(required))} logs.")]


@check(
    "rds_instance_postgresql_logs_exported",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def postgresql_instance_logs(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when an RDS for PostgreSQL instance does not export the postgresql log."""
    return _instance_logs(instance, "postgres", "PostgreSQL", frozenset({"postgresql"}))


@check(
    "rds_instance_sqlserver_logs_exported",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def sqlserver_instance_logs(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when an RDS for SQL Server instance does not export its agent and error logs."""
    return _instance_logs(instance, "sqlserver", "SQL Server", frozenset({"agent", "error"}))


@check(
    "rds_instance_mariadb_logs_exported",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def mariadb_instance_logs(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when an RDS for MariaDB instance does not export its audit and error logs."""
    return _instance_logs(instance, "mariadb", "MariaDB", frozenset({"audit", "error"}))


def _multi_az_cluster_tags(cluster: RdsCluster, engine: str, label: str) -> list[CheckResult]:
    if cluster.engine != engine:
        return []
    if cluster.copy_tags_to_snapshot:
        return [passed(f"{label} DB cluster {cluster.name} copies its tags to snapshots.")]
    return [failed(f"{label} DB cluster {cluster.name} does not copy its tags to snapshots.")]


@check(
    "rds_cluster_postgresql_copy_tags_to_snapshots",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.LOW,
    collectors=(CLUSTERS,),
)
def postgresql_cluster_copy_tags(cluster: RdsCluster, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when an RDS for PostgreSQL (Multi-AZ) DB cluster does not copy its tags to snapshots."""
    return _multi_az_cluster_tags(cluster, "postgres", "PostgreSQL")


@check(
    "rds_cluster_mysql_copy_tags_to_snapshots",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.LOW,
    collectors=(CLUSTERS,),
)
def mysql_cluster_copy_tags(cluster: RdsCluster, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when an RDS for MySQL (Multi-AZ) DB cluster does not copy its tags to snapshots."""
    return _multi_az_cluster_tags(cluster, "mysql", "MySQL")
