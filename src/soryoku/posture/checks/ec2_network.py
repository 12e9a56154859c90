"""EC2 network checks: security-group breadth (default group, authorized and high-risk ports, unused
groups), network ACLs open to admin ports, VPC flow logs and endpoints, subnets, transit gateways."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.ec2 import IngressRule, SecurityGroup
from soryoku.inventory.ec2_network import (
    NaclEntry,
    NetworkAcl,
    NetworkInterface,
    Subnet,
    TransitGateway,
    Vpc,
    VpnConnection,
)
from soryoku.posture.checks.ec2 import ANY_IPV4, ANY_IPV6, TCP, TCP_UDP, open_ports
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

SECURITY_GROUPS = "ec2.security_groups"
INTERFACES = "ec2.network_interfaces"
NACLS = "ec2.network_acls"
ANYWHERE = (ANY_IPV4, ANY_IPV6)
# FSBP EC2.18's default authorizedTcpPorts; no UDP port is authorized by default.
AUTHORIZED_TCP_PORTS = frozenset({80, 443})
# FSBP EC2.19's high-risk ports, as listed in the control reference.
HIGH_RISK_PORTS = (
    20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601,
    8080, 8088, 8888, 9200, 9300,
)  # fmt: skip
# Database and cache engines' default ports (the seed's "database ports"): MSSQL, Oracle, MySQL/MariaDB,
# PostgreSQL, Redis, Memcached, MongoDB, CouchDB, Cassandra, Elasticsearch/OpenSearch.
DATABASE_PORTS = (1433, 1434, 1521, 3306, 5432, 6379, 11211, 27017, 5984, 9042, 9200, 9300)
NACL_ADMIN_PORTS = (22, 3389)
NON_PORT_PROTOCOLS = frozenset({"icmp", "icmpv6", "1", "58"})


def _sg_label(group: SecurityGroup) -> str:
    return f"{group.group_id} ({group.name})"


@check(
    "ec2_securitygroup_default_restrict_traffic",
    service="ec2",
    resource_type="AwsEc2SecurityGroup",
    severity=Severity.HIGH,
    collectors=(SECURITY_GROUPS,),
)
def default_sg_restricts_all(group: SecurityGroup, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when a VPC's default security group has any inbound or outbound rule (others: no verdict)."""
    if not group.is_default or group.vpc_id is None:
        return []
    if not group.ingress and not group.egress:
        return [passed(f"Default security group {_sg_label(group)} of {group.vpc_id} has no rules.")]
    return [
        failed(
            f"Default security group {_sg_label(group)} of {group.vpc_id} has "
            f"{len(group.ingress)} inbound and {len(group.egress)} outbound rule(s).",
            inbound_rules=len(group.ingress),
            outbound_rules=len(group.egress),
        )
    ]


def _unrestricted(rule: IngressRule) -> list[str]:
    return [s for s in (*rule.ipv4_ranges, *rule.ipv6_ranges) if s in ANYWHERE]


def _authorized(rule: IngressRule) -> bool:
    """True when the rule only opens ports EC2.18 authorizes (TCP 80 or 443, one port per rule)."""
    protocol = {"6": "tcp", "17": "udp"}.get(rule.protocol, rule.protocol.lower())
    if protocol in NON_PORT_PROTOCOLS:
        return True
    if protocol != "tcp" or rule.from_port is None or rule.to_port is None:
        return False
    return rule.from_port == rule.to_port and rule.from_port in AUTHORIZED_TCP_PORTS


def _describe(rule: IngressRule) -> str:
    if rule.protocol == "-1":
        return "all traffic"
    ports = (
        "all ports"
        if rule.from_port is None
        else str(rule.from_port)
        if rule.from_port == rule.to_port
        else f"{rule.from_port}-{rule.to_port}"
    )
    return f"{rule.protocol} {ports}"


@check(
    "ec2_securitygroup_allow_ingress_from_internet_to_authorized_ports_only",
    service="ec2",
    resource_type="AwsEc2SecurityGroup",
    severity=Severity.HIGH,
    collectors=(SECURITY_GROUPS,),
)
def sg_authorized_ports_only(group: SecurityGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when a rule admits 0.0.0.0/0 or ::/0 to anything but TCP 80 or 443 (ICMP is not judged)."""
    offending = sorted(
        {
            f"{_describe(rule)} from {source}"
            for rule in group.ingress
            if not _authorized(rule)
            for source in _unrestricted(rule)
        }
    )
    if offending:
        return failed(
            f"Security group {_sg_label(group)} allows unrestricted ingress beyond TCP 80/443: "
            f"{', '.join(offending)}.",
            unrestricted=offending,
        )
    return passed(f"Security group {_sg_label(group)} admits the internet only on TCP 80/443, if at all.")


def _ports_verdict(group: SecurityGroup, ports: tuple[int, ...], kind: str) -> CheckResult:
    exposed = open_ports(group, ports, ANYWHERE, TCP_UDP)
    if exposed:
        return failed(
            f"Security group {_sg_label(group)} opens {kind} ports to the internet: {', '.join(exposed)}.",
            open=exposed,
        )
    return passed(f"Security group {_sg_label(group)} opens no {kind} port to 0.0.0.0/0 or ::/0.")


@check(
    "ec2_securitygroup_ingress_high_risk_ports_open_to_internet",
    service="ec2",
    resource_type="AwsEc2SecurityGroup",
    severity=Severity.CRITICAL,
    collectors=(SECURITY_GROUPS,),
)
def sg_high_risk_ports(group: SecurityGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when one of EC2.19's high-risk ports is open to 0.0.0.0/0 or ::/0 (TCP, UDP or all)."""
    return _ports_verdict(group, HIGH_RISK_PORTS, "high-risk")


@check(
    "ec2_securitygroup_ingress_database_ports_open_to_internet",
    service="ec2",
    resource_type="AwsEc2SecurityGroup",
    severity=Severity.HIGH,
    collectors=(SECURITY_GROUPS,),
)
def sg_database_ports(group: SecurityGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when a database or cache engine's default port is open to 0.0.0.0/0 or ::/0."""
    return _ports_verdict(group, DATABASE_PORTS, "database")


@check(
    "ec2_securitygroup_not_used",
    service="ec2",
    resource_type="AwsEc2SecurityGroup",
    severity=Severity.MEDIUM,
    collectors=(SECURITY_GROUPS, INTERFACES),
)
def sg_not_used(group: SecurityGroup, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when no network interface uses the group; default groups (undeletable) get no verdict."""
    if group.is_default:
        return []
    interfaces: tuple[NetworkInterface, ...] = ctx.resources(INTERFACES)
    users = sorted(n.interface_id for n in interfaces if group.group_id in n.security_group_ids)
    if users:
        return [passed(f"Security group {_sg_label(group)} is used by {len(users)} network interface(s).")]
    return [failed(f"Security group {_sg_label(group)} is not attached to any network interface.")]


# -- network ACLs --


def _nacl_open(
    acl: NetworkAcl, sources: tuple[str, ...], protocols: frozenset[str]
) -> tuple[list[str], list[str]]:
    """(``port from source`` each inbound ALLOW entry admits, those an earlier DENY shadows)."""
    opened: set[str] = set()
    shadowed: set[str] = set()
    inbound = [e for e in acl.entries if not e.egress]
    for port in NACL_ADMIN_PORTS:
        for source in sources:
            matching = [
                e for e in inbound if source in (e.cidr, e.ipv6_cidr) and e.covers_port(port, protocols)
            ]
            allows = [e for e in matching if e.action == "allow"]
            if not allows:
                continue
            opened.add(f"{port} from {source} (rule {allows[0].rule_number})")
            first: NaclEntry = matching[0]
            if first.action == "deny":
                shadowed.add(f"{port} from {source}")
    return sorted(opened), sorted(shadowed)


def _nacl_verdict(acl: NetworkAcl, sources: tuple[str, ...], protocols: frozenset[str]) -> CheckResult:
    opened, shadowed = _nacl_open(acl, sources, protocols)
    label = f"{acl.acl_id} ({acl.name})" if acl.name != acl.acl_id else acl.acl_id
    if not opened:
        return passed(
            f"Network ACL {label} has no inbound ALLOW entry for 22/3389 from {' or '.join(sources)}."
        )
    exposure = f"denied by an earlier rule for {', '.join(shadowed)}" if shadowed else None
    return failed(
        f"Network ACL {label} allows inbound {', '.join(opened)}.",
        exposure=exposure,
        allowed=opened,
        subnets=list(acl.subnet_ids),
    )


@check(
    "ec2_networkacl_allow_ingress_admin_ports_from_internet",
    service="ec2",
    resource_type="AwsEc2NetworkAcl",
    severity=Severity.MEDIUM,
    collectors=(NACLS,),
)
def nacl_admin_ports(acl: NetworkAcl, ctx: CheckContext) -> CheckResult:
    """FAIL when an inbound ALLOW entry admits 0.0.0.0/0 or ::/0 to TCP 22 or 3389 (all-protocol counts).

    The control's verdict; when an earlier DENY entry shadows it, the exposure field says so.
    """
    return _nacl_verdict(acl, ANYWHERE, TCP)


@check(
    "ec2_networkacl_allow_ingress_admin_ports_from_ipv4_internet",
    service="ec2",
    resource_type="AwsEc2NetworkAcl",
    severity=Severity.MEDIUM,
    collectors=(NACLS,),
)
def nacl_admin_ports_ipv4(acl: NetworkAcl, ctx: CheckContext) -> CheckResult:
    """FAIL when an inbound ALLOW entry admits 0.0.0.0/0 to 22 or 3389 over TCP, UDP or all protocols."""
    return _nacl_verdict(acl, (ANY_IPV4,), TCP_UDP)


@check(
    "ec2_networkacl_unused",
    service="ec2",
    resource_type="AwsEc2NetworkAcl",
    severity=Severity.LOW,
    collectors=(NACLS,),
)
def nacl_unused(acl: NetworkAcl, ctx: CheckContext) -> CheckResult:
    """FAIL when a network ACL is associated with no subnet."""
    if acl.subnet_ids:
        return passed(f"Network ACL {acl.acl_id} is associated with {len(acl.subnet_ids)} subnet(s).")
    return failed(f"Network ACL {acl.acl_id} ({acl.name}) is not associated with any subnet.")


# -- VPCs, subnets, transit gateways --


@check(
    "vpc_flow_logs_enabled",
    service="ec2",
    resource_type="AwsEc2Vpc",
    severity=Severity.MEDIUM,
    collectors=("ec2.vpcs",),
)
def vpc_flow_logs(vpc: Vpc, ctx: CheckContext) -> CheckResult:
    """FAIL unless an active flow log captures rejected packets (traffic type REJECT or ALL)."""
    capturing = [f for f in vpc.flow_logs if f.traffic_type in {"REJECT", "ALL"} and f.status == "ACTIVE"]
    if capturing:
        ids = ", ".join(f"{f.flow_log_id} ({f.traffic_type})" for f in capturing)
        return passed(f"VPC {vpc.vpc_id} has flow logging: {ids}.")
    if vpc.flow_logs:
        kinds = ", ".join(f"{f.traffic_type}/{f.status}" for f in vpc.flow_logs)
        return failed(f"VPC {vpc.vpc_id} has flow logs ({kinds}) but none active capturing rejected traffic.")
    return failed(f"VPC {vpc.vpc_id} ({vpc.name}) has no flow log.")


@check(
    "vpc_endpoint_for_ec2_enabled",
    service="ec2",
    resource_type="AwsEc2Vpc",
    severity=Severity.MEDIUM,
    collectors=("ec2.vpcs",),
)
def vpc_ec2_endpoint(vpc: Vpc, ctx: CheckContext) -> CheckResult:
    """FAIL when the VPC has no available endpoint for the regional Amazon EC2 service."""
    wanted = f"com.amazonaws.{vpc.region}.ec2"
    if wanted in vpc.endpoint_services:
        return passed(f"VPC {vpc.vpc_id} has a VPC endpoint for {wanted}.")
    return failed(f"VPC {vpc.vpc_id} ({vpc.name}) has no VPC endpoint for {wanted}.")


@check(
    "vpc_subnet_no_public_ip_by_default",
    service="ec2",
    resource_type="AwsEc2Subnet",
    severity=Severity.MEDIUM,
    collectors=("ec2.subnets",),
)
def subnet_auto_public_ip(subnet: Subnet, ctx: CheckContext) -> CheckResult:
    """FAIL when the subnet assigns a public IPv4 address to new network interfaces (MapPublicIpOnLaunch)."""
    label = f"{subnet.subnet_id} ({subnet.name})" if subnet.name != subnet.subnet_id else subnet.subnet_id
    if subnet.map_public_ip_on_launch:
        return failed(f"Subnet {label} assigns public IPv4 addresses on launch.", vpc=subnet.vpc_id)
    return passed(f"Subnet {label} does not assign public IPv4 addresses on launch.")


@check(
    "ec2_transitgateway_auto_accept_vpc_attachments",
    service="ec2",
    resource_type="AwsEc2TransitGateway",
    severity=Severity.HIGH,
    collectors=("ec2.transit_gateways",),
)
def tgw_auto_accept(gateway: TransitGateway, ctx: CheckContext) -> CheckResult:
    """FAIL when the transit gateway accepts shared VPC attachment requests automatically."""
    if gateway.auto_accept_shared_attachments:
        return failed(f"Transit gateway {gateway.transit_gateway_id} auto-accepts shared VPC attachments.")
    return passed(f"Transit gateway {gateway.transit_gateway_id} requires attachments to be accepted.")


@check(
    "ec2_vpn_connection_both_tunnels_up",
    service="ec2",
    resource_type="AwsEc2VpnConnection",
    severity=Severity.MEDIUM,
    collectors=("ec2.vpn_connections",),
)
def vpn_tunnels_up(connection: VpnConnection, ctx: CheckContext) -> CheckResult:
    """FAIL when a tunnel of the VPN connection is down; NOT_EVALUATED without tunnel telemetry."""
    if not connection.tunnels:
        return CheckResult(
            ResultStatus.NOT_EVALUATED,
            f"VPN connection {connection.vpn_connection_id} reports no tunnel telemetry (VgwTelemetry).",
        )
    down = [t.outside_ip or "?" for t in connection.tunnels if t.status != "UP"]
    if down or len(connection.tunnels) < 2:
        return failed(
            f"VPN connection {connection.vpn_connection_id} has {len(down)} tunnel(s) down "
            f"({', '.join(down) or 'only one tunnel reported'}).",
            tunnels={t.outside_ip: t.status for t in connection.tunnels},
        )
    return passed(f"VPN connection {connection.vpn_connection_id} has both tunnels up.")


__all__ = [
    "AUTHORIZED_TCP_PORTS",
    "DATABASE_PORTS",
    "HIGH_RISK_PORTS",
]
