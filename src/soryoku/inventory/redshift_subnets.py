"""Redshift cluster subnet groups: which subnets a cluster's nodes live in (for route-table exposure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class RedshiftSubnetGroup:
    """A cluster subnet group, its VPC and subnets."""

    name: str
    arn: str
    region: str
    vpc_id: str
    subnet_ids: tuple[str, ...] = ()


def subnet_group_from(
    item: Mapping[str, Any], region: str, partition: str, account_id: str
) -> RedshiftSubnetGroup:
    """One DescribeClusterSubnetGroups item as a model."""
    name = str(item["ClusterSubnetGroupName"])
    return RedshiftSubnetGroup(
        name=name,
        arn=f"arn:{partition}:redshift:{region}:{account_id}:subnetgroup:{name}",
        region=region,
        vpc_id=str(item.get("VpcId", "")),
        subnet_ids=tuple(
            sorted(str(s["SubnetIdentifier"]) for s in item.get("Subnets", []) if s.get("SubnetIdentifier"))
        ),
    )


@collector(
    "redshift.subnet_groups",
    service="redshift",
    scope="regional",
    actions=("redshift:DescribeClusterSubnetGroups",),
    description="Redshift cluster subnet groups and their subnets",
)
def collect_subnet_groups(ctx: CollectContext) -> tuple[RedshiftSubnetGroup, ...]:
    """Every cluster subnet group of the region."""
    paginator = ctx.client("redshift").get_paginator("describe_cluster_subnet_groups")
    groups = [
        subnet_group_from(item, ctx.region, ctx.partition, ctx.account_id)
        for page in paginator.paginate()
        for item in page.get("ClusterSubnetGroups", [])
    ]
    return tuple(sorted(groups, key=lambda g: g.name))


__all__ = ["RedshiftSubnetGroup", "collect_subnet_groups", "subnet_group_from"]
