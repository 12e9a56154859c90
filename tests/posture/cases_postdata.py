"""PASS and FAIL cases for the checks added by the postdata pass: engine-specific RDS controls, DAX,
EFS mount targets, ElastiCache AUTH, GuardDuty runtime agents, Macie discovery, SSM compliance and
settings, Redshift port exposure and Multi-AZ, OpenSearch updates, CIS 1.11 — hand-built models."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from soryoku.inventory.backup import BackupSelection
from soryoku.inventory.dax import DaxCluster
from soryoku.inventory.ec2 import IngressRule, SecurityGroup
from soryoku.inventory.ec2_network import Subnet
from soryoku.inventory.ec2_routes import Route, RouteTable
from soryoku.inventory.efs import EfsFileSystem
from soryoku.inventory.elasticache import CacheCluster, ReplicationGroup
from soryoku.inventory.guardduty import GuardDutyDetector, GuardDutyRegion
from soryoku.inventory.iam import AccessKey, IamUser
from soryoku.inventory.macie import MacieAutomatedDiscovery
from soryoku.inventory.opensearch import OpenSearchDomain
from soryoku.inventory.rds import RdsCluster, RdsInstance, RdsParameterGroup, RdsProxy
from soryoku.inventory.redshift import RedshiftCluster
from soryoku.inventory.s3 import PublicAccessBlock, S3MultiRegionAccessPoint
from soryoku.inventory.ssm import ComplianceSummary, SsmServiceSettings

from .cases import ACCOUNT, FAIL, NOW, PASS, REGION, Case


def cluster(engine: str, **kwargs: Any) -> RdsCluster:
    return RdsCluster("db", f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:db", REGION, engine, **kwargs)


def instance(engine: str, **kwargs: Any) -> RdsInstance:
    return RdsInstance("db1", f"arn:aws:rds:{REGION}:{ACCOUNT}:db:db1", REGION, engine, **kwargs)


RDS_CASES: list[Case] = [
    # RDS.14
    Case(
        "aurora mysql backtracks",
        "rds_cluster_aurora_mysql_backtracking_enabled",
        cluster("aurora-mysql", backtrack_window_seconds=86400),
        PASS,
        says="24 hour",
    ),
    Case(
        "aurora mysql without backtrack",
        "rds_cluster_aurora_mysql_backtracking_enabled",
        cluster("aurora-mysql"),
        FAIL,
        says="backtracking disabled",
    ),
    # RDS.34
    Case(
        "audit log exported",
        "rds_cluster_aurora_mysql_audit_logs_exported",
        cluster("aurora-mysql", log_exports=("audit", "error")),
        PASS,
    ),
    Case(
        "only error log exported",
        "rds_cluster_aurora_mysql_audit_logs_exported",
        cluster("aurora", log_exports=("error",)),
        FAIL,
        says="audit log",
    ),
    # RDS.35
    Case(
        "multi-az cluster upgrades",
        "rds_cluster_minor_version_upgrade",
        cluster("postgres", auto_minor_version_upgrade=True),
        PASS,
    ),
    Case("multi-az cluster frozen", "rds_cluster_minor_version_upgrade", cluster("mysql"), FAIL),
    # RDS.37
    Case(
        "aurora postgresql logs",
        "rds_cluster_aurora_postgresql_logs_exported",
        cluster("aurora-postgresql", log_exports=("postgresql",)),
        PASS,
    ),
    Case(
        "aurora postgresql silent",
        "rds_cluster_aurora_postgresql_logs_exported",
        cluster("aurora-postgresql"),
        FAIL,
    ),
    # RDS.36 / RDS.40 / RDS.42
    Case(
        "postgres logs",
        "rds_instance_postgresql_logs_exported",
        instance("postgres", log_exports=("postgresql", "upgrade")),
        PASS,
    ),
    Case(
        "postgres upgrade log only",
        "rds_instance_postgresql_logs_exported",
        instance("postgres", log_exports=("upgrade",)),
        FAIL,
        says="postgresql",
    ),
    Case(
        "sql server logs",
        "rds_instance_sqlserver_logs_exported",
        instance("sqlserver-se", log_exports=("agent", "error")),
        PASS,
    ),
    Case(
        "sql server error log only",
        "rds_instance_sqlserver_logs_exported",
        instance("sqlserver-ex", log_exports=("error",)),
        FAIL,
        says="agent",
    ),
    Case(
        "mariadb logs",
        "rds_instance_mariadb_logs_exported",
        instance("mariadb", log_exports=("audit", "error", "slowquery")),
        PASS,
    ),
    Case(
        "mariadb no logs",
        "rds_instance_mariadb_logs_exported",
        instance("mariadb"),
        FAIL,
        says="audit, error",
    ),
    # RDS.47 / RDS.48
    Case(
        "postgres cluster copies tags",
        "rds_cluster_postgresql_copy_tags_to_snapshots",
        cluster("postgres", copy_tags_to_snapshot=True),
        PASS,
    ),
    Case(
        "postgres cluster drops tags",
        "rds_cluster_postgresql_copy_tags_to_snapshots",
        cluster("postgres"),
        FAIL,
    ),
    Case(
        "mysql cluster copies tags",
        "rds_cluster_mysql_copy_tags_to_snapshots",
        cluster("mysql", copy_tags_to_snapshot=True),
        PASS,
    ),
    Case("mysql cluster drops tags", "rds_cluster_mysql_copy_tags_to_snapshots", cluster("mysql"), FAIL),
]


def params(kind: str, name: str, **values: str) -> dict[str, tuple[Any, ...]]:
    arn = f"arn:aws:rds:{REGION}:{ACCOUNT}:pg:{name}"
    group = RdsParameterGroup(name, arn, REGION, kind, tuple(sorted(values.items())))
    return {"rds.parameter_groups": (group,)}


def proxy(require_tls: bool) -> RdsProxy:
    return RdsProxy("pool", f"arn:aws:rds:{REGION}:{ACCOUNT}:db-proxy:prx-1", REGION, "MYSQL", require_tls)


def routes(*tables: RouteTable) -> dict[str, tuple[Any, ...]]:
    return {"ec2.route_tables": tables}


def route_table(
    table_id: str, *entries: Route, main: bool = False, subnets: tuple[str, ...] = ()
) -> RouteTable:
    arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:route-table/{table_id}"
    return RouteTable(
        table_id, arn, REGION, table_id, "vpc-1", main, subnets, (Route("10.0.0.0/16", "local"), *entries)
    )


IN_SUBNETS = {"vpc_id": "vpc-1", "subnet_ids": ("subnet-a", "subnet-b")}

AUDIT = {"server_audit_logging": "1", "server_audit_events": "CONNECT,QUERY_DDL"}

TRANSPORT_CASES: list[Case] = [
    # RDS.41
    Case(
        "sql server forces ssl",
        "rds_instance_sqlserver_encrypted_in_transit",
        instance("sqlserver-se", parameter_group="tls"),
        PASS,
        params("instance", "tls", **{"rds.force_ssl": "1"}),
    ),
    Case(
        "sql server on a default group",
        "rds_instance_sqlserver_encrypted_in_transit",
        instance("sqlserver-se", parameter_group="default.sqlserver-se-15.0"),
        FAIL,
        params("instance", "tls", **{"rds.force_ssl": "1"}),
        says="0 (default)",
    ),
    # RDS.44
    Case(
        "mariadb requires tls",
        "rds_instance_mariadb_encrypted_in_transit",
        instance("mariadb", engine_version="10.11.6", parameter_group="tls"),
        PASS,
        params("instance", "tls", require_secure_transport="ON"),
    ),
    Case(
        "mariadb tls pending reboot",
        "rds_instance_mariadb_encrypted_in_transit",
        instance("mariadb", engine_version="10.6.14", parameter_group="tls", parameter_group_in_sync=False),
        FAIL,
        params("instance", "tls", require_secure_transport="ON"),
        says="not in sync",
    ),
    Case(
        "mariadb plain",
        "rds_instance_mariadb_encrypted_in_transit",
        instance("mariadb", engine_version="10.5.20", parameter_group="app"),
        FAIL,
        params("instance", "app", max_connections="100"),
        says="OFF (default)",
    ),
    # RDS.45
    Case(
        "aurora mysql audits",
        "rds_cluster_aurora_mysql_audit_logging_enabled",
        cluster("aurora-mysql", parameter_group="audit"),
        PASS,
        params("cluster", "audit", **AUDIT),
    ),
    Case(
        "aurora mysql audit without events",
        "rds_cluster_aurora_mysql_audit_logging_enabled",
        cluster("aurora-mysql", parameter_group="audit"),
        FAIL,
        params("cluster", "audit", server_audit_logging="1"),
        says="server_audit_events",
    ),
    # RDS.46
    Case(
        "db in private subnets",
        "rds_instance_not_in_public_subnet",
        instance("postgres", **IN_SUBNETS),
        PASS,
        routes(
            route_table("rtb-main", Route("0.0.0.0/0", "nat-1"), main=True),
            route_table("rtb-narrow", Route("203.0.113.0/24", "igw-1"), subnets=("subnet-b",)),
        ),
    ),
    Case(
        "db subnet on the main table with an igw default route",
        "rds_instance_not_in_public_subnet",
        instance("postgres", **IN_SUBNETS),
        FAIL,
        routes(
            route_table("rtb-main", Route("::/0", "igw-1"), main=True),
            route_table("rtb-private", subnets=("subnet-b",)),
        ),
        says="subnet-a (rtb-main: ::/0 -> igw-1)",
    ),
    # RDS.43
    Case("proxy requires tls", "rds_proxy_requires_tls", proxy(True), PASS),
    Case("proxy accepts plain", "rds_proxy_requires_tls", proxy(False), FAIL),
]

RDS_SILENT_CASES: list[tuple[str, Any]] = [
    ("rds_instance_sqlserver_encrypted_in_transit", instance("postgres")),
    ("rds_instance_mariadb_encrypted_in_transit", instance("mariadb", engine_version="10.4.30")),
    ("rds_instance_mariadb_encrypted_in_transit", instance("mysql", engine_version="8.0.35")),
    ("rds_cluster_aurora_mysql_audit_logging_enabled", cluster("aurora-postgresql")),
    ("rds_cluster_aurora_mysql_backtracking_enabled", cluster("aurora-postgresql")),
    ("rds_cluster_aurora_mysql_backtracking_enabled", cluster("aurora", engine_mode="serverless")),
    ("rds_cluster_aurora_mysql_audit_logs_exported", cluster("aurora-mysql", engine_mode="serverless")),
    ("rds_cluster_minor_version_upgrade", cluster("aurora-mysql")),
    ("rds_cluster_minor_version_upgrade", cluster("docdb")),
    ("rds_cluster_aurora_postgresql_logs_exported", cluster("aurora-mysql")),
    ("rds_instance_postgresql_logs_exported", instance("postgres", cluster_id="multi-az")),
    ("rds_instance_postgresql_logs_exported", instance("mysql")),
    ("rds_instance_sqlserver_logs_exported", instance("oracle-ee")),
    ("rds_instance_mariadb_logs_exported", instance("mysql")),
    ("rds_cluster_postgresql_copy_tags_to_snapshots", cluster("aurora-postgresql")),
    ("rds_cluster_mysql_copy_tags_to_snapshots", cluster("aurora-mysql")),
    ("rds_cluster_copy_tags_to_snapshots", cluster("postgres")),
]


def dax(**kwargs: Any) -> DaxCluster:
    return DaxCluster("cache", f"arn:aws:dax:{REGION}:{ACCOUNT}:cache/cache", REGION, **kwargs)


def file_system(*subnets: str) -> EfsFileSystem:
    arn = f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/fs-1"
    return EfsFileSystem("shared", arn, REGION, "fs-1", mount_target_subnets=subnets)


def tagged_file_system(**tags: str) -> EfsFileSystem:
    arn = f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/fs-1"
    return EfsFileSystem("shared", arn, REGION, "fs-1", tags=tuple(sorted(tags.items())))


def selections(**kwargs: Any) -> dict[str, tuple[Any, ...]]:
    arn = f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-plan:p1/selection/s1"
    return {"backup.selections": (BackupSelection("nightly", arn, REGION, "daily", **kwargs),)}


EFS_ARNS = f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/*"


def subnets() -> dict[str, tuple[Any, ...]]:
    def subnet(subnet_id: str, public: bool) -> Subnet:
        arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{subnet_id}"
        return Subnet(subnet_id, arn, REGION, subnet_id, "vpc-1", f"{REGION}a", public)

    return {"ec2.subnets": (subnet("subnet-public", True), subnet("subnet-private", False))}


def redis_group(auth: bool) -> ReplicationGroup:
    arn = f"arn:aws:elasticache:{REGION}:{ACCOUNT}:replicationgroup:sessions"
    return ReplicationGroup("sessions", arn, REGION, auth_token=auth)


def redis_members(version: str) -> dict[str, tuple[Any, ...]]:
    arn = f"arn:aws:elasticache:{REGION}:{ACCOUNT}:cluster:sessions-001"
    member = CacheCluster("sessions-001", arn, REGION, "redis", version, replication_group="sessions")
    return {"elasticache.clusters": (member,)}


def detector(*features: tuple[str, str]) -> GuardDutyRegion:
    arn = f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector"
    return GuardDutyRegion(arn, REGION, ACCOUNT, (GuardDutyDetector("d1", "ENABLED", features),))


RUNTIME_ON = ("RUNTIME_MONITORING", "ENABLED")


def discovery(status: str | None) -> MacieAutomatedDiscovery:
    arn = f"arn:aws:macie2:{REGION}:{ACCOUNT}:automated-discovery-configuration"
    return MacieAutomatedDiscovery(arn, REGION, ACCOUNT, status)


def summary(kind: str, status: str, count: int = 0) -> ComplianceSummary:
    arn = f"arn:aws:ssm:{REGION}:{ACCOUNT}:managed-instance/i-0abc"
    return ComplianceSummary("i-0abc", arn, REGION, kind, status, count)


def settings(log_destination: str = "CloudWatch", sharing: str = "Disable") -> SsmServiceSettings:
    arn = f"arn:aws:ssm:{REGION}:{ACCOUNT}:servicesetting"
    return SsmServiceSettings(arn, REGION, ACCOUNT, log_destination, sharing)


SERVICE_CASES: list[Case] = [
    # DynamoDB.3 / DynamoDB.7
    Case("dax encrypted", "dax_cluster_encrypted_at_rest", dax(sse_status="ENABLED"), PASS),
    Case("dax plain", "dax_cluster_encrypted_at_rest", dax(), FAIL, says="DISABLED"),
    Case("dax tls", "dax_cluster_encrypted_in_transit", dax(endpoint_encryption="TLS"), PASS),
    Case("dax clear text", "dax_cluster_encrypted_in_transit", dax(), FAIL, says="NONE"),
    # EFS.6
    Case(
        "mount target in private subnet",
        "efs_mount_target_subnet_no_public_ip",
        file_system("subnet-private"),
        PASS,
        subnets(),
    ),
    Case("no mount targets", "efs_mount_target_subnet_no_public_ip", file_system(), PASS, subnets()),
    Case(
        "mount target in public subnet",
        "efs_mount_target_subnet_no_public_ip",
        file_system("subnet-private", "subnet-public"),
        FAIL,
        subnets(),
        says="subnet-public",
    ),
    # EFS.2
    Case(
        "efs in plan by arn",
        "efs_file_system_in_backup_plan",
        tagged_file_system(),
        PASS,
        selections(resources=(EFS_ARNS,)),
        says="daily/nightly",
    ),
    Case(
        "efs in plan by tag",
        "efs_file_system_in_backup_plan",
        tagged_file_system(backup="daily"),
        PASS,
        selections(list_of_tags=(("backup", "daily"),)),
    ),
    Case(
        "efs in a plan that selects by conditions only (every resource, narrowed)",
        "efs_file_system_in_backup_plan",
        tagged_file_system(backup="daily"),
        PASS,
        selections(conditions=(("StringEquals", "aws:ResourceTag/backup", "daily"),)),
    ),
    Case(
        "efs excluded by arn",
        "efs_file_system_in_backup_plan",
        tagged_file_system(),
        FAIL,
        selections(resources=("*",), not_resources=(EFS_ARNS,)),
    ),
    Case(
        "efs fails the plan's condition",
        "efs_file_system_in_backup_plan",
        tagged_file_system(env="dev"),
        FAIL,
        selections(resources=("*",), conditions=(("StringEquals", "aws:ResourceTag/env", "prod"),)),
    ),
    Case(
        "no backup plan",
        "efs_file_system_in_backup_plan",
        tagged_file_system(),
        FAIL,
        {"backup.selections": ()},
    ),
    # ElastiCache.6
    Case(
        "redis 5 with auth",
        "elasticache_replication_group_redis_auth_enabled",
        redis_group(True),
        PASS,
        redis_members("5.0.6"),
    ),
    Case(
        "redis 5 without auth",
        "elasticache_replication_group_redis_auth_enabled",
        redis_group(False),
        FAIL,
        redis_members("5.0.6"),
        says="5.0.6",
    ),
    # GuardDuty.12 / GuardDuty.13
    Case(
        "ecs fargate agent on",
        "guardduty_ecs_runtime_monitoring_enabled",
        detector(RUNTIME_ON, ("RUNTIME_MONITORING/ECS_FARGATE_AGENT_MANAGEMENT", "ENABLED")),
        PASS,
    ),
    Case(
        "ecs fargate agent off",
        "guardduty_ecs_runtime_monitoring_enabled",
        detector(RUNTIME_ON, ("RUNTIME_MONITORING/ECS_FARGATE_AGENT_MANAGEMENT", "DISABLED")),
        FAIL,
    ),
    Case(
        "ec2 agent on",
        "guardduty_ec2_runtime_monitoring_enabled",
        detector(RUNTIME_ON, ("RUNTIME_MONITORING/EC2_AGENT_MANAGEMENT", "ENABLED")),
        PASS,
    ),
    Case(
        "ec2 agent configured but runtime off",
        "guardduty_ec2_runtime_monitoring_enabled",
        detector(("RUNTIME_MONITORING", "DISABLED"), ("RUNTIME_MONITORING/EC2_AGENT_MANAGEMENT", "ENABLED")),
        FAIL,
    ),
    # Macie.2
    Case(
        "automated discovery on",
        "macie_automated_sensitive_data_discovery_enabled",
        discovery("ENABLED"),
        PASS,
    ),
    Case(
        "automated discovery off",
        "macie_automated_sensitive_data_discovery_enabled",
        discovery("DISABLED"),
        FAIL,
        says="DISABLED",
    ),
    # SSM.2 / SSM.3
    Case("patched", "ssm_managed_instance_patch_compliant", summary("Patch", "COMPLIANT"), PASS),
    Case(
        "missing patches",
        "ssm_managed_instance_patch_compliant",
        summary("Patch", "NON_COMPLIANT", 4),
        FAIL,
        says="4 non-compliant",
    ),
    Case(
        "association applied",
        "ssm_managed_instance_association_compliant",
        summary("Association", "COMPLIANT"),
        PASS,
    ),
    Case(
        "association failed",
        "ssm_managed_instance_association_compliant",
        summary("Association", "NON_COMPLIANT", 1),
        FAIL,
    ),
    # SSM.6 / SSM.7
    Case("automation logs", "ssm_automation_cloudwatch_logging_enabled", settings(), PASS),
    Case(
        "automation logs nowhere",
        "ssm_automation_cloudwatch_logging_enabled",
        settings(log_destination="None"),
        FAIL,
        says="None",
    ),
    Case("public sharing blocked", "ssm_documents_block_public_sharing", settings(), PASS),
    Case(
        "public sharing allowed",
        "ssm_documents_block_public_sharing",
        settings(sharing="Enable"),
        FAIL,
        says="Enable",
    ),
]

SERVICE_SILENT_CASES: list[tuple[str, Any]] = [
    ("macie_automated_sensitive_data_discovery_enabled", discovery(None)),
    ("ssm_managed_instance_patch_compliant", summary("Association", "NON_COMPLIANT")),
    ("ssm_managed_instance_association_compliant", summary("Patch", "NON_COMPLIANT")),
    (
        "guardduty_ecs_runtime_monitoring_enabled",
        GuardDutyRegion(f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector", REGION, ACCOUNT, ()),
    ),
]


def warehouse(**kwargs: Any) -> RedshiftCluster:
    base: dict[str, Any] = {"port": 5439, "security_group_ids": ("sg-wh",)}
    base.update(kwargs)
    return RedshiftCluster("wh", f"arn:aws:redshift:{REGION}:{ACCOUNT}:cluster:wh", REGION, **base)


def warehouse_groups(*rules: IngressRule) -> dict[str, tuple[Any, ...]]:
    arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-wh"
    return {"ec2.security_groups": (SecurityGroup("sg-wh", "wh", arn, REGION, "vpc-1", rules),)}


def domain(**kwargs: Any) -> OpenSearchDomain:
    return OpenSearchDomain("logs", f"arn:aws:es:{REGION}:{ACCOUNT}:domain/logs", REGION, **kwargs)


def console_user(*keys: AccessKey) -> IamUser:
    created = NOW - timedelta(days=200)
    return IamUser("dana", f"arn:aws:iam::{ACCOUNT}:user/dana", "global", created, True, True, keys)


CREATED = NOW - timedelta(days=200)

WAREHOUSE_CASES: list[Case] = [
    # Redshift.15
    Case(
        "cluster port from the office",
        "redshift_cluster_port_not_open_to_internet",
        warehouse(),
        PASS,
        warehouse_groups(IngressRule("tcp", 5439, 5439, ("203.0.113.0/24",))),
    ),
    Case(
        "cluster port open to ::/0",
        "redshift_cluster_port_not_open_to_internet",
        warehouse(),
        FAIL,
        warehouse_groups(IngressRule("tcp", 5400, 5500, (), ("::/0",))),
        says="sg-wh",
    ),
    # Redshift.18
    Case("multi-az warehouse", "redshift_cluster_multi_az", warehouse(multi_az=True), PASS),
    Case("single-az warehouse", "redshift_cluster_multi_az", warehouse(), FAIL),
    # Opensearch.10
    Case("domain up to date", "opensearch_domain_software_up_to_date", domain(), PASS),
    Case(
        "domain update pending",
        "opensearch_domain_software_up_to_date",
        domain(update_available=True),
        FAIL,
        says="not installed",
    ),
    # CIS 1.11
    Case(
        "console user key in use",
        "iam_user_no_unused_initial_access_key",
        console_user(AccessKey(1, True, CREATED, NOW - timedelta(days=1))),
        PASS,
    ),
    Case(
        "console user key never used, created with the user",
        "iam_user_no_unused_initial_access_key",
        console_user(AccessKey(1, True, CREATED + timedelta(seconds=20), None)),
        FAIL,
        says="created with the user",
    ),
    Case(
        "console user later key never used",
        "iam_user_no_unused_initial_access_key",
        console_user(AccessKey(2, True, NOW - timedelta(days=3), None)),
        FAIL,
        says="slot 2",
    ),
]


def mrap(block: PublicAccessBlock | None) -> S3MultiRegionAccessPoint:
    return S3MultiRegionAccessPoint(
        "global", f"arn:aws:s3::{ACCOUNT}:accesspoint/g1.mrap", REGION, "g1.mrap", block
    )


MRAP = "s3_multi_region_access_point_public_access_block"
WAREHOUSE_CASES += [
    # S3.24
    Case("mrap blocked", MRAP, mrap(PublicAccessBlock(True, True, True, True)), PASS),
    Case("mrap policy allowed", MRAP, mrap(PublicAccessBlock(True, True, False, True)), FAIL, says="off"),
    Case("mrap without block", MRAP, mrap(None), FAIL),
]

WAREHOUSE_SILENT_CASES: list[tuple[str, Any]] = [
    (
        "iam_user_no_unused_initial_access_key",
        IamUser("ci", f"arn:aws:iam::{ACCOUNT}:user/ci", "global", CREATED, False, False),
    ),
]

CASES: list[Case] = RDS_CASES + TRANSPORT_CASES + SERVICE_CASES + WAREHOUSE_CASES
SILENT_CASES: list[tuple[str, Any]] = RDS_SILENT_CASES + SERVICE_SILENT_CASES + WAREHOUSE_SILENT_CASES
