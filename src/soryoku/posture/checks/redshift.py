"""Redshift checks: public access (with security-group, route-table and network-ACL exposure), cluster
port open to the internet, TLS, snapshots, audit logging, version upgrades, enhanced VPC routing,
default names, encryption at rest, Multi-AZ."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.redshift import RedshiftCluster
from soryoku.inventory.redshift_subnets import RedshiftSubnetGroup
from soryoku.posture.checks._exposure import (
    NETWORK_ACLS,
    ROUTE_TABLES,
    NaclReach,
    RouteReach,
    exposure_text,
    internet_ingress,
    nacl_reach,
    route_reach,
)
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

CLUSTERS = "redshift.clusters"
SECURITY_GROUPS = "ec2.security_groups"
SUBNET_GROUPS = "redshift.subnet_groups"
MIN_SNAPSHOT_RETENTION_DAYS = 7
DEFAULT_ADMIN = "awsuser"
DEFAULT_DATABASE = "dev"


def _reach(cluster: RedshiftCluster, ctx: CheckContext) -> tuple[RouteReach, NaclReach]:
    reason = ctx.unavailable.get(SUBNET_GROUPS)
    why = f"subnet groups unavailable ({reason})" if reason is not None else ""
    groups: tuple[RedshiftSubnetGroup, ...] = ctx.related.get(SUBNET_GROUPS, ())
    group = next((g for g in groups if g.name == cluster.subnet_group), None) if not why else None
    if group is None:
        why = why or f"subnet group {cluster.subnet_group or '(none)'} not found"
        return RouteReach(None, why), NaclReach(None, why)
    vpc_id = cluster.vpc_id or group.vpc_id
    return route_reach(ctx, group.subnet_ids, vpc_id), nacl_reach(ctx, group.subnet_ids, vpc_id, cluster.port)


@check(
    "redshift_cluster_no_public_access",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.CRITICAL,
    collectors=(CLUSTERS, SECURITY_GROUPS),
    optional_collectors=(SUBNET_GROUPS, ROUTE_TABLES, NETWORK_ACLS),
)
def redshift_cluster_no_public_access(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when PubliclyAccessible is true; exposure: do its security groups admit the internet and
    do its subnet group's subnets route to an internet gateway and their network ACLs admit the port."""
    if not cluster.publicly_accessible:
        return passed(f"Cluster {cluster.name} is not publicly accessible.")
    open_rules = internet_ingress(cluster.security_group_ids, cluster.port, ctx.resources(SECURITY_GROUPS))
    exposure = exposure_text(open_rules, cluster.port, *_reach(cluster, ctx))
    return failed(
        f"Cluster {cluster.name} is publicly accessible (PubliclyAccessible=true); {exposure}.",
        exposure=exposure,
        internet_rules=open_rules,
    )


@check(
    "redshift_cluster_require_ssl",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def redshift_cluster_require_ssl(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless the cluster's parameter group sets require_ssl to true."""
    if cluster.require_ssl:
        return passed(f"Cluster {cluster.name} requires SSL connections.")
    return failed(f"Cluster {cluster.name} accepts unencrypted connections (require_ssl is not true).")


@check(
    "redshift_cluster_automatic_snapshots",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def redshift_cluster_automatic_snapshots(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless automated snapshots are kept at least 7 days."""
    days = cluster.snapshot_retention_days
    if days >= MIN_SNAPSHOT_RETENTION_DAYS:
        return passed(f"Cluster {cluster.name} keeps automated snapshots for {days} days.")
    if days == 0:
        return failed(f"Cluster {cluster.name} has automated snapshots disabled.")
    return failed(
        f"Cluster {cluster.name} keeps automated snapshots for {days} day(s), fewer than "
        f"{MIN_SNAPSHOT_RETENTION_DAYS}.",
        retention_days=days,
    )


@check(
    "redshift_cluster_audit_logging",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def redshift_cluster_audit_logging(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless audit logging is enabled."""
    if cluster.audit_logging:
        return passed(f"Cluster {cluster.name} has audit logging enabled.")
    return failed(f"Cluster {cluster.name} does not have audit logging enabled.")


@check(
    "redshift_cluster_version_upgrade",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def redshift_cluster_version_upgrade(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless major version upgrades are applied automatically."""
    if cluster.allow_version_upgrade:
        return passed(f"Cluster {cluster.name} applies version upgrades automatically.")
    return failed(f"Cluster {cluster.name} does not allow automatic version upgrades.")


@check(
    "redshift_cluster_enhanced_vpc_routing",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def redshift_cluster_enhanced_vpc_routing(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless enhanced VPC routing is enabled."""
    if cluster.enhanced_vpc_routing:
        return passed(f"Cluster {cluster.name} uses enhanced VPC routing.")
    return failed(f"Cluster {cluster.name} does not use enhanced VPC routing.")


@check(
    "redshift_cluster_custom_admin_username",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def redshift_cluster_custom_admin_username(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when the admin user has the default name awsuser."""
    if cluster.master_username == DEFAULT_ADMIN:
        return failed(f"Cluster {cluster.name} uses the default admin username {DEFAULT_ADMIN}.")
    return passed(f"Cluster {cluster.name} uses a custom admin username.")


@check(
    "redshift_cluster_custom_database_name",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def redshift_cluster_custom_database_name(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when the database has the default name dev."""
    if cluster.database_name == DEFAULT_DATABASE:
        return failed(f"Cluster {cluster.name} uses the default database name {DEFAULT_DATABASE}.")
    return passed(f"Cluster {cluster.name} uses a custom database name ({cluster.database_name}).")


@check(
    "redshift_cluster_encrypted",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def redshift_cluster_encrypted(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless the cluster is encrypted at rest."""
    if cluster.encrypted:
        return passed(f"Cluster {cluster.name} is encrypted at rest.")
    return failed(f"Cluster {cluster.name} is not encrypted at rest.")


@check(
    "redshift_cluster_port_not_open_to_internet",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.HIGH,
    collectors=(CLUSTERS, SECURITY_GROUPS),
)
def redshift_cluster_port_not_open_to_internet(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when a security group of the cluster admits 0.0.0.0/0 or ::/0 to the cluster port."""
    open_rules = internet_ingress(cluster.security_group_ids, cluster.port, ctx.resources(SECURITY_GROUPS))
    where = cluster.port if cluster.port is not None else "its port"
    if open_rules:
        return failed(
            f"Cluster {cluster.name} admits the internet to port {where} ({', '.join(open_rules)}).",
            internet_rules=open_rules,
        )
    return passed(f"No security group of cluster {cluster.name} admits the internet to port {where}.")


@check(
    "redshift_cluster_multi_az",
    service="redshift",
    resource_type="AwsRedshiftCluster",
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def redshift_cluster_multi_az(cluster: RedshiftCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless the cluster has a Multi-AZ deployment."""
    if cluster.multi_az:
        return passed(f"Cluster {cluster.name} is deployed in multiple Availability Zones.")
    return failed(f"Cluster {cluster.name} runs in a single Availability Zone.")
