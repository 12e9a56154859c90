"""EC2 route tables: which subnets each table serves and where its routes go.

Effective exposure needs them: a resource with a public address (or a publicly-accessible flag) and an
open security group is still unreachable from the internet when its subnet routes nowhere to an
internet gateway. A subnet without an explicit association uses its VPC's main route table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class Route:
    """One route: its destination (IPv4/IPv6 CIDR or prefix list), target and state."""

    destination: str
    target: str
    state: str = "active"

    @property
    def to_internet_gateway(self) -> bool:
        """True for an active route to an internet gateway (``igw-``); an egress-only gateway
        (``eigw-``) lets traffic out but none in, so it does not count."""
        return self.target.startswith("igw-") and self.state == "active"


@dataclass(frozen=True, slots=True)
class RouteTable:
    """A route table, whether it is its VPC's main table, and the subnets explicitly associated."""

    route_table_id: str
    arn: str
    region: str
    name: str
    vpc_id: str
    is_main: bool
    subnet_ids: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()


# -- transforms (pure) --

_TARGET_KEYS = (
    "GatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "InstanceId",
    "EgressOnlyInternetGatewayId",
    "LocalGatewayId",
    "CarrierGatewayId",
    "CoreNetworkArn",
)


def routes_from(items: Iterable[Mapping[str, Any]]) -> tuple[Route, ...]:
    """DescribeRouteTables ``Routes`` as Route models (target = the first target key present)."""
    routes = []
    for item in items:
        destination = (
            item.get("DestinationCidrBlock")
            or item.get("DestinationIpv6CidrBlock")
            or item.get("DestinationPrefixListId")
            or ""
        )
        target = next((str(item[k]) for k in _TARGET_KEYS if item.get(k)), "")
        routes.append(Route(str(destination), target, str(item.get("State", "active"))))
    return tuple(routes)


def route_table_from(item: Mapping[str, Any], region: str, partition: str, account_id: str) -> RouteTable:
    """One DescribeRouteTables item as a RouteTable."""
    table_id = str(item["RouteTableId"])
    associations = item.get("Associations", [])
    owner = str(item.get("OwnerId") or account_id)
    tags = {str(t.get("Key")): str(t.get("Value")) for t in item.get("Tags", [])}
    return RouteTable(
        route_table_id=table_id,
        arn=f"arn:{partition}:ec2:{region}:{owner}:route-table/{table_id}",
        region=region,
        name=tags.get("Name") or table_id,
        vpc_id=str(item.get("VpcId", "")),
        is_main=any(bool(a.get("Main")) for a in associations),
        subnet_ids=tuple(sorted(str(a["SubnetId"]) for a in associations if a.get("SubnetId"))),
        routes=routes_from(item.get("Routes", [])),
    )


# -- get (I/O) --


@collector(
    "ec2.route_tables",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeRouteTables",),
    description="route tables, their subnet associations and routes",
)
def collect_route_tables(ctx: CollectContext) -> tuple[RouteTable, ...]:
    """Every route table of the region."""
    paginator = ctx.client("ec2").get_paginator("describe_route_tables")
    tables = [
        route_table_from(item, ctx.region, ctx.partition, ctx.account_id)
        for page in paginator.paginate()
        for item in page.get("RouteTables", [])
    ]
    return tuple(sorted(tables, key=lambda t: t.route_table_id))


__all__ = ["Route", "RouteTable", "collect_route_tables", "route_table_from", "routes_from"]
