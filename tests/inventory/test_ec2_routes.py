"""Route tables against the moto server: explicit associations, the main table, routes by target."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.ec2_routes import Route, routes_from

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_route_tables_with_associations_and_internet_routes(aws: str) -> None:
    ec2 = boto3.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=table, SubnetId=public)
    ec2.create_tags(Resources=[table], Tags=[{"Key": "Name", "Value": "public"}])
    tables = {t.route_table_id: t for t in collect("ec2.route_tables") if t.vpc_id == vpc}
    assert tables[table].name == "public" and tables[table].subnet_ids == (public,)
    assert not tables[table].is_main
    assert Route("0.0.0.0/0", igw, "active") in tables[table].routes
    assert tables[table].arn == f"arn:aws:ec2:{REGION}:{ACCOUNT}:route-table/{table}"
    (main,) = [t for t in tables.values() if t.is_main]
    assert [r.target for r in main.routes] == ["local"]
    assert not any(r.to_internet_gateway for r in main.routes)


def test_routes_name_their_first_target_and_egress_only_gateways_admit_nothing() -> None:
    routes = routes_from(
        [
            {"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": "eigw-1", "State": "active"},
            {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"},
            {"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-1"},
            {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "blackhole"},
        ]
    )
    assert [r.target for r in routes] == ["eigw-1", "nat-1", "vpce-1", "igw-1"]
    assert not any(r.to_internet_gateway for r in routes)
