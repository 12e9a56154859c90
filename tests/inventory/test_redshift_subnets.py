"""Redshift cluster subnet groups against the moto server, and clusters naming their group."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_subnet_groups_and_the_cluster_that_uses_one(aws: str) -> None:
    ec2, redshift = boto3.client("ec2"), boto3.client("redshift")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnets = sorted(
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.30.{i}.0/24")["Subnet"]["SubnetId"] for i in (1, 2)
    )
    redshift.create_cluster_subnet_group(
        ClusterSubnetGroupName="analytics", Description="a", SubnetIds=subnets
    )
    redshift.create_cluster(
        ClusterIdentifier="warehouse",
        NodeType="dc2.large",
        MasterUsername="analyst",
        MasterUserPassword="Passw0rd-Demo1",
        ClusterSubnetGroupName="analytics",
        PubliclyAccessible=True,
    )
    (group,) = collect("redshift.subnet_groups")
    assert (group.name, group.vpc_id, group.subnet_ids) == ("analytics", vpc, tuple(subnets))
    assert group.arn == f"arn:aws:redshift:{REGION}:{ACCOUNT}:subnetgroup:analytics"
    (cluster,) = collect("redshift.clusters")
    assert cluster.subnet_group == "analytics"
