"""RDS checks read from parameter groups, proxies and routes: SQL Server and MariaDB instances that
require TLS, Aurora MySQL clusters with Advanced Auditing on, proxies that require TLS, and instances
in subnets routed to an internet gateway."""

from __future__ import annotations

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.ec2_routes import RouteTable
from soryoku.inventory.rds import RdsCluster, RdsInstance, RdsParameterGroup, RdsProxy
from soryoku.posture.checks._exposure import INTERNET, ROUTE_TABLES, route_table_for
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

INSTANCES = "rds.instances"
CLUSTERS = "rds.clusters"
PARAMETER_GROUPS = "rds.parameter_groups"
PROXIES = "rds.proxies"
AURORA_MYSQL_ENGINES = frozenset({"aurora", "aurora-mysql"})
# MariaDB gained require_secure_transport in 10.5; older versions are not judged (RDS.44).
MARIADB_SECURE_TRANSPORT_VERSION = (10, 5)
ON_VALUES = frozenset({"1", "on", "true"})


def _set_value(ctx: CheckContext, kind: str, group: str | None, parameter: str) -> str | None:
    """The customer's value of a parameter in the group, None when it keeps the engine default."""
    groups: tuple[RdsParameterGroup, ...] = ctx.resources(PARAMETER_GROUPS)
    found = next((g for g in groups if g.kind == kind and g.name == group), None)
    return found.value(parameter) if found else None


def _on(value: str | None) -> bool:
    return value is not None and value.strip().lower() in ON_VALUES


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:2]:
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return tuple(parts)


@check(
    "rds_instance_sqlserver_encrypted_in_transit",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES, PARAMETER_GROUPS),
)
def sqlserver_in_transit(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when an RDS for SQL Server instance's parameter group leaves rds.force_ssl at 0."""
    if not instance.engine.startswith("sqlserver"):
        return []
    value = _set_value(ctx, "instance", instance.parameter_group, "rds.force_ssl")
    if _on(value):
        return [passed(f"SQL Server DB instance {instance.name} forces SSL (rds.force_ssl=1).")]
    shown = value if value is not None else "0 (default)"
    return [
        failed(
            f"SQL Server DB instance {instance.name} accepts unencrypted connections "
            f"(rds.force_ssl={shown} in {instance.parameter_group or 'its parameter group'}).",
            parameter_group=instance.parameter_group,
        )
    ]


@check(
    "rds_instance_mariadb_encrypted_in_transit",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES, PARAMETER_GROUPS),
)
def mariadb_in_transit(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when a MariaDB 10.5+ instance does not require secure transport, or its group is not in sync."""
    version = _version(instance.engine_version)
    if instance.engine != "mariadb" or not version or version < MARIADB_SECURE_TRANSPORT_VERSION:
        return []
    value = _set_value(ctx, "instance", instance.parameter_group, "require_secure_transport")
    if not instance.parameter_group_in_sync:
        return [
            failed(f"MariaDB DB instance {instance.name}'s parameter group is not in sync (pending reboot).")
        ]
    if _on(value):
        return [passed(f"MariaDB DB instance {instance.name} requires secure transport.")]
    return [
        failed(
            f"MariaDB DB instance {instance.name} accepts unencrypted connections "
            f"(require_secure_transport={value if value is not None else 'OFF (default)'}).",
            parameter_group=instance.parameter_group,
        )
    ]


@check(
    "rds_cluster_aurora_mysql_audit_logging_enabled",
    service="rds",
    resource_type="AwsRdsDbCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS, PARAMETER_GROUPS),
)
def aurora_mysql_audit_logging(cluster: RdsCluster, ctx: CheckContext) -> list[CheckResult]:
    """FAIL unless an Aurora MySQL cluster's parameter group turns Advanced Auditing on with events."""
    if cluster.engine not in AURORA_MYSQL_ENGINES:
        return []
    logging = _set_value(ctx, "cluster", cluster.parameter_group, "server_audit_logging")
    events = (_set_value(ctx, "cluster", cluster.parameter_group, "server_audit_events") or "").strip()
    if not cluster.parameter_group_in_sync:
        return [
            failed(f"Aurora MySQL cluster {cluster.name}'s parameter group is not in sync (pending reboot).")
        ]
    if _on(logging) and events:
        return [passed(f"Aurora MySQL cluster {cluster.name} audits {events}.")]
    missing = [
        name
        for name, ok in (("server_audit_logging=1", _on(logging)), ("server_audit_events", events))
        if not ok
    ]
    return [
        failed(
            f"Aurora MySQL cluster {cluster.name} does not have audit logging on "
            f"(missing {', '.join(missing)} in {cluster.parameter_group or 'its parameter group'}).",
            parameter_group=cluster.parameter_group,
        )
    ]


@check(
    "rds_proxy_requires_tls",
    service="rds",
    resource_type="AwsRdsDbProxy",
    severity=Severity.MEDIUM,
    collectors=(PROXIES,),
)
def proxy_requires_tls(proxy: RdsProxy, ctx: CheckContext) -> CheckResult:
    """FAIL unless the proxy requires TLS for its connections."""
    if proxy.require_tls:
        return passed(f"RDS proxy {proxy.name} requires TLS.")
    return failed(f"RDS proxy {proxy.name} accepts connections without TLS.")


@check(
    "rds_instance_not_in_public_subnet",
    service="rds",
    resource_type="AwsRdsDbInstance",
    severity=Severity.HIGH,
    collectors=(INSTANCES, ROUTE_TABLES),
)
def instance_not_in_public_subnet(instance: RdsInstance, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when a subnet of the instance's DB subnet group routes 0.0.0.0/0 or ::/0 to an internet gateway.

    One such subnet is enough to FAIL; with none found, a subnet (or DB subnet group) whose route
    table is not known makes the verdict NOT_EVALUATED, naming it — never a guessed PASS.
    """
    if not instance.subnet_ids:
        return [
            CheckResult(
                ResultStatus.NOT_EVALUATED,
                f"DB instance {instance.name}: the subnets of its DB subnet group are not known.",
            )
        ]
    tables: tuple[RouteTable, ...] = ctx.resources(ROUTE_TABLES)
    public: list[str] = []
    unknown: list[str] = []
    for subnet_id in sorted(instance.subnet_ids):
        table = route_table_for(subnet_id, instance.vpc_id, tables)
        if table is None:
            unknown.append(subnet_id)
            continue
        gateway = next((r for r in table.routes if r.to_internet_gateway and r.destination in INTERNET), None)
        if gateway is not None:
            public.append(f"{subnet_id} ({table.route_table_id}: {gateway.destination} -> {gateway.target})")
    if public:
        return [
            failed(
                f"DB instance {instance.name} is in subnets routed to an internet gateway: "
                f"{', '.join(public)}.",
                public_subnets=public,
            )
        ]
    if unknown:
        return [
            CheckResult(
                ResultStatus.NOT_EVALUATED,
                f"DB instance {instance.name}: no route table is known for subnet(s) {', '.join(unknown)}.",
            )
        ]
    return [
        passed(f"No subnet of DB instance {instance.name} routes 0.0.0.0/0 or ::/0 to an internet gateway.")
    ]
