"""EC2 networking: VPCs (flow logs, endpoints), subnets, network ACLs, interfaces, transit gateways."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


def _tags(item: Mapping[str, Any]) -> dict[str, str]:
    # DescribeNetworkInterfaces answers with TagSet where the other EC2 APIs say Tags.
    tags = item.get("Tags") or item.get("TagSet") or []
    return {str(t.get("Key")): str(t.get("Value")) for t in tags}


def _arn(partition: str, region: str, owner: str, kind: str, ident: str) -> str:
    return f"arn:{partition}:ec2:{region}:{owner}:{kind}/{ident}"


@dataclass(frozen=True, slots=True)
class FlowLog:
    """A flow log attached to a VPC (or another resource) and what it captures."""

    flow_log_id: str
    resource_id: str
    traffic_type: str
    status: str


@dataclass(frozen=True, slots=True)
class Vpc:
    """A VPC with its flow logs and the AWS services it has VPC endpoints for."""

    vpc_id: str
    arn: str
    region: str
    name: str
    is_default: bool
    flow_logs: tuple[FlowLog, ...] = ()
    endpoint_services: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subnet:
    """A subnet and whether it gives new network interfaces a public IPv4 address."""

    subnet_id: str
    arn: str
    region: str
    name: str
    vpc_id: str
    availability_zone: str
    map_public_ip_on_launch: bool
    default_for_az: bool = False


@dataclass(frozen=True, slots=True)
class NaclEntry:
    """One network ACL entry (rules are evaluated by ascending number, the first match decides)."""

    rule_number: int
    protocol: str
    action: str
    egress: bool
    cidr: str | None = None
    ipv6_cidr: str | None = None
    from_port: int | None = None
    to_port: int | None = None

    def covers_port(self, port: int, protocols: frozenset[str]) -> bool:
        """True when the entry matches ``port`` over one of ``protocols`` (``-1`` = every protocol)."""
        if self.protocol == "-1":
            return True
        names = {"6": "tcp", "17": "udp"}
        if names.get(self.protocol, self.protocol.lower()) not in protocols:
            return False
        if self.from_port is None or self.to_port is None:
            return True
        low, high = sorted((self.from_port, self.to_port))
        return low <= port <= high


@dataclass(frozen=True, slots=True)
class NetworkAcl:
    """A network ACL, its entries and the subnets it is associated with."""

    acl_id: str
    arn: str
    region: str
    name: str
    vpc_id: str
    is_default: bool
    entries: tuple[NaclEntry, ...] = ()
    subnet_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NetworkInterface:
    """An elastic network interface: what it is attached to and its security groups."""

    interface_id: str
    arn: str
    region: str
    name: str
    status: str
    security_group_ids: tuple[str, ...] = ()
    instance_id: str | None = None
    source_dest_check: bool = True
    interface_type: str = "interface"


@dataclass(frozen=True, slots=True)
class TransitGateway:
    """A transit gateway and whether it accepts shared VPC attachments automatically."""

    transit_gateway_id: str
    arn: str
    region: str
    name: str
    auto_accept_shared_attachments: bool


@dataclass(frozen=True, slots=True)
class VpnTunnel:
    """One tunnel of a Site-to-Site VPN connection and its last reported status."""

    outside_ip: str
    status: str


@dataclass(frozen=True, slots=True)
class VpnConnection:
    """A Site-to-Site VPN connection and its tunnels' telemetry (empty when AWS reports none)."""

    vpn_connection_id: str
    arn: str
    region: str
    name: str
    state: str
    tunnels: tuple[VpnTunnel, ...] = ()
    tunnel_logging: tuple[bool, ...] = ()
    # Per tunnel: the IKE versions it accepts (empty when the tunnel options do not restrict them).
    tunnel_ike_versions: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class ClientVpnEndpoint:
    """A Client VPN endpoint and whether it logs client connections."""

    endpoint_id: str
    arn: str
    region: str
    name: str
    connection_logging: bool


@dataclass(frozen=True, slots=True)
class VpcBlockPublicAccess:
    """The region's VPC Block Public Access mode for internet gateways (``off`` when never set)."""

    arn: str
    region: str
    account_id: str
    internet_gateway_block_mode: str

    @property
    def name(self) -> str:
        """A display name for the account-level setting."""
        return f"VPC Block Public Access ({self.region})"


# -- transforms (pure) --


def _port(value: Any) -> int | None:
    return None if value is None else int(value)


def nacl_entries_from(entries: Iterable[Mapping[str, Any]]) -> tuple[NaclEntry, ...]:
    """DescribeNetworkAcls ``Entries`` as NaclEntry models, sorted by rule number."""
    models = [
        NaclEntry(
            rule_number=int(e.get("RuleNumber", 32767)),
            protocol=str(e.get("Protocol", "-1")),
            action=str(e.get("RuleAction", "deny")),
            egress=bool(e.get("Egress", False)),
            cidr=e.get("CidrBlock"),
            ipv6_cidr=e.get("Ipv6CidrBlock"),
            from_port=_port(e.get("PortRange", {}).get("From")),
            to_port=_port(e.get("PortRange", {}).get("To")),
        )
        for e in entries
    ]
    return tuple(sorted(models, key=lambda e: (e.egress, e.rule_number)))


def network_acl_from(item: Mapping[str, Any], region: str, partition: str, account_id: str) -> NetworkAcl:
    """One DescribeNetworkAcls item as a NetworkAcl."""
    acl_id = str(item["NetworkAclId"])
    owner = str(item.get("OwnerId") or account_id)
    return NetworkAcl(
        acl_id=acl_id,
        arn=_arn(partition, region, owner, "network-acl", acl_id),
        region=region,
        name=_tags(item).get("Name") or acl_id,
        vpc_id=str(item.get("VpcId", "")),
        is_default=bool(item.get("IsDefault", False)),
        entries=nacl_entries_from(item.get("Entries", [])),
        subnet_ids=tuple(str(a["SubnetId"]) for a in item.get("Associations", []) if a.get("SubnetId")),
    )


def vpc_from(
    item: Mapping[str, Any],
    region: str,
    partition: str,
    account_id: str,
    flow_logs: Iterable[Mapping[str, Any]],
    endpoints: Iterable[Mapping[str, Any]],
) -> Vpc:
    """One DescribeVpcs item, with the account's flow logs and VPC endpoints that point at it."""
    vpc_id = str(item["VpcId"])
    owner = str(item.get("OwnerId") or account_id)
    logs = tuple(
        FlowLog(
            flow_log_id=str(f.get("FlowLogId", "")),
            resource_id=vpc_id,
            traffic_type=str(f.get("TrafficType", "ALL")),
            status=str(f.get("FlowLogStatus", "ACTIVE")),
        )
        for f in flow_logs
        if f.get("ResourceId") == vpc_id
    )
    services = tuple(
        sorted(
            {
                str(e.get("ServiceName", ""))
                for e in endpoints
                if e.get("VpcId") == vpc_id and str(e.get("State", "available")).lower() == "available"
            }
        )
    )
    return Vpc(
        vpc_id=vpc_id,
        arn=_arn(partition, region, owner, "vpc", vpc_id),
        region=region,
        name=_tags(item).get("Name") or vpc_id,
        is_default=bool(item.get("IsDefault", False)),
        flow_logs=logs,
        endpoint_services=services,
    )


def subnet_from(item: Mapping[str, Any], region: str, partition: str, account_id: str) -> Subnet:
    """One DescribeSubnets item as a Subnet."""
    subnet_id = str(item["SubnetId"])
    return Subnet(
        subnet_id=subnet_id,
        arn=str(
            item.get("SubnetArn")
            or _arn(partition, region, str(item.get("OwnerId") or account_id), "subnet", subnet_id)
        ),
        region=region,
        name=_tags(item).get("Name") or subnet_id,
        vpc_id=str(item.get("VpcId", "")),
        availability_zone=str(item.get("AvailabilityZone", "")),
        map_public_ip_on_launch=bool(item.get("MapPublicIpOnLaunch", False)),
        default_for_az=bool(item.get("DefaultForAz", False)),
    )


def network_interface_from(
    item: Mapping[str, Any], region: str, partition: str, account_id: str
) -> NetworkInterface:
    """One DescribeNetworkInterfaces item as a NetworkInterface."""
    interface_id = str(item["NetworkInterfaceId"])
    return NetworkInterface(
        interface_id=interface_id,
        arn=_arn(
            partition, region, str(item.get("OwnerId") or account_id), "network-interface", interface_id
        ),
        region=region,
        name=_tags(item).get("Name") or interface_id,
        status=str(item.get("Status", "in-use")),
        security_group_ids=tuple(str(g["GroupId"]) for g in item.get("Groups", []) if "GroupId" in g),
        instance_id=item.get("Attachment", {}).get("InstanceId"),
        source_dest_check=bool(item.get("SourceDestCheck", True)),
        interface_type=str(item.get("InterfaceType", "interface")),
    )


def transit_gateway_from(
    item: Mapping[str, Any], region: str, partition: str, account_id: str
) -> TransitGateway:
    """One DescribeTransitGateways item as a TransitGateway."""
    tgw_id = str(item["TransitGatewayId"])
    return TransitGateway(
        transit_gateway_id=tgw_id,
        arn=str(
            item.get("TransitGatewayArn")
            or _arn(partition, region, str(item.get("OwnerId") or account_id), "transit-gateway", tgw_id)
        ),
        region=region,
        name=_tags(item).get("Name") or tgw_id,
        auto_accept_shared_attachments=item.get("Options", {}).get("AutoAcceptSharedAttachments") == "enable",
    )


def vpn_connection_from(
    item: Mapping[str, Any], region: str, partition: str, account_id: str
) -> VpnConnection:
    """One DescribeVpnConnections item as a VpnConnection."""
    vpn_id = str(item["VpnConnectionId"])
    return VpnConnection(
        vpn_connection_id=vpn_id,
        arn=_arn(partition, region, account_id, "vpn-connection", vpn_id),
        region=region,
        name=_tags(item).get("Name") or vpn_id,
        state=str(item.get("State", "available")),
        tunnels=tuple(
            VpnTunnel(outside_ip=str(t.get("OutsideIpAddress", "")), status=str(t.get("Status", "")).upper())
            for t in item.get("VgwTelemetry", [])
        ),
        tunnel_logging=tuple(
            bool(t.get("LogOptions", {}).get("CloudWatchLogOptions", {}).get("LogEnabled", False))
            for t in (item.get("Options") or {}).get("TunnelOptions", [])
        ),
        tunnel_ike_versions=tuple(
            tuple(sorted(str(v.get("Value", "")) for v in t.get("IkeVersions", [])))
            for t in (item.get("Options") or {}).get("TunnelOptions", [])
        ),
    )


def client_vpn_endpoint_from(
    item: Mapping[str, Any], region: str, partition: str, account_id: str
) -> ClientVpnEndpoint:
    """One DescribeClientVpnEndpoints item as a ClientVpnEndpoint."""
    endpoint_id = str(item["ClientVpnEndpointId"])
    return ClientVpnEndpoint(
        endpoint_id=endpoint_id,
        arn=_arn(partition, region, account_id, "client-vpn-endpoint", endpoint_id),
        region=region,
        name=_tags(item).get("Name") or endpoint_id,
        connection_logging=bool((item.get("ConnectionLogOptions") or {}).get("Enabled", False)),
    )


# -- get (I/O) --


def _pages(ctx: CollectContext, operation: str, key: str, **params: Any) -> list[Mapping[str, Any]]:
    paginator = ctx.client("ec2").get_paginator(operation)
    return [item for page in paginator.paginate(**params) for item in page.get(key, [])]


@collector(
    "ec2.vpcs",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeVpcs", "ec2:DescribeFlowLogs", "ec2:DescribeVpcEndpoints"),
    description="VPCs with their flow logs and VPC endpoints",
)
def collect_vpcs(ctx: CollectContext) -> tuple[Vpc, ...]:
    """Every VPC of the region, with the flow logs and endpoints attached to it."""
    flow_logs = _pages(ctx, "describe_flow_logs", "FlowLogs")
    endpoints = _pages(ctx, "describe_vpc_endpoints", "VpcEndpoints")
    vpcs = [
        vpc_from(item, ctx.region, ctx.partition, ctx.account_id, flow_logs, endpoints)
        for item in _pages(ctx, "describe_vpcs", "Vpcs")
    ]
    return tuple(sorted(vpcs, key=lambda v: v.vpc_id))


@collector(
    "ec2.subnets",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeSubnets",),
    description="subnets and their public IPv4 auto-assignment",
)
def collect_subnets(ctx: CollectContext) -> tuple[Subnet, ...]:
    """Every subnet of the region."""
    subnets = [
        subnet_from(i, ctx.region, ctx.partition, ctx.account_id)
        for i in _pages(ctx, "describe_subnets", "Subnets")
    ]
    return tuple(sorted(subnets, key=lambda s: s.subnet_id))


@collector(
    "ec2.network_acls",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeNetworkAcls",),
    description="network ACLs, their entries and subnet associations",
)
def collect_network_acls(ctx: CollectContext) -> tuple[NetworkAcl, ...]:
    """Every network ACL of the region."""
    acls = [
        network_acl_from(i, ctx.region, ctx.partition, ctx.account_id)
        for i in _pages(ctx, "describe_network_acls", "NetworkAcls")
    ]
    return tuple(sorted(acls, key=lambda a: a.acl_id))


@collector(
    "ec2.network_interfaces",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeNetworkInterfaces",),
    description="elastic network interfaces and their security groups",
)
def collect_network_interfaces(ctx: CollectContext) -> tuple[NetworkInterface, ...]:
    """Every network interface of the region."""
    interfaces = [
        network_interface_from(i, ctx.region, ctx.partition, ctx.account_id)
        for i in _pages(ctx, "describe_network_interfaces", "NetworkInterfaces")
    ]
    return tuple(sorted(interfaces, key=lambda n: n.interface_id))


@collector(
    "ec2.transit_gateways",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeTransitGateways",),
    description="transit gateways and their attachment acceptance option",
)
def collect_transit_gateways(ctx: CollectContext) -> tuple[TransitGateway, ...]:
    """Every transit gateway of the region that is not deleted."""
    gateways = [
        transit_gateway_from(i, ctx.region, ctx.partition, ctx.account_id)
        for i in _pages(ctx, "describe_transit_gateways", "TransitGateways")
        if i.get("State") not in {"deleted", "deleting"}
    ]
    return tuple(sorted(gateways, key=lambda t: t.transit_gateway_id))


@collector(
    "ec2.vpn_connections",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeVpnConnections",),
    description="Site-to-Site VPN connections and their tunnels' status",
)
def collect_vpn_connections(ctx: CollectContext) -> tuple[VpnConnection, ...]:
    """Every VPN connection of the region that is not deleted (the API is not paginated)."""
    answer = ctx.client("ec2").describe_vpn_connections()
    connections = [
        vpn_connection_from(i, ctx.region, ctx.partition, ctx.account_id)
        for i in answer.get("VpnConnections", [])
        if i.get("State") not in {"deleted", "deleting"}
    ]
    return tuple(sorted(connections, key=lambda v: v.vpn_connection_id))


@collector(
    "ec2.client_vpn_endpoints",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeClientVpnEndpoints",),
    description="Client VPN endpoints and their connection logging",
)
def collect_client_vpn_endpoints(ctx: CollectContext) -> tuple[ClientVpnEndpoint, ...]:
    """Every Client VPN endpoint of the region that is not deleted."""
    endpoints = [
        client_vpn_endpoint_from(i, ctx.region, ctx.partition, ctx.account_id)
        for i in _pages(ctx, "describe_client_vpn_endpoints", "ClientVpnEndpoints")
        if (i.get("Status") or {}).get("Code") != "deleted"
    ]
    return tuple(sorted(endpoints, key=lambda e: e.endpoint_id))


@collector(
    "ec2.vpc_block_public_access",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeVpcBlockPublicAccessOptions",),
    description="the region's VPC Block Public Access mode",
)
def collect_vpc_block_public_access(ctx: CollectContext) -> tuple[VpcBlockPublicAccess, ...]:
    """The region's VPC Block Public Access options (one account-level setting)."""
    answer = ctx.client("ec2").describe_vpc_block_public_access_options()
    options = answer.get("VpcBlockPublicAccessOptions") or {}
    return (
        VpcBlockPublicAccess(
            arn=ctx.account_arn("ec2", "vpc-block-public-access"),
            region=ctx.region,
            account_id=ctx.account_id,
            internet_gateway_block_mode=str(options.get("InternetGatewayBlockMode") or "off"),
        ),
    )


__all__ = [
    "ClientVpnEndpoint",
    "FlowLog",
    "NaclEntry",
    "NetworkAcl",
    "NetworkInterface",
    "Subnet",
    "TransitGateway",
    "Vpc",
    "VpcBlockPublicAccess",
    "VpnConnection",
    "VpnTunnel",
    "client_vpn_endpoint_from",
    "collect_client_vpn_endpoints",
    "collect_network_acls",
    "collect_network_interfaces",
    "collect_subnets",
    "collect_transit_gateways",
    "collect_vpc_block_public_access",
    "collect_vpcs",
    "collect_vpn_connections",
    "nacl_entries_from",
    "network_acl_from",
    "network_interface_from",
    "subnet_from",
    "transit_gateway_from",
    "vpc_from",
    "vpn_connection_from",
]
