"""EC2: security groups, instances (metadata options, addressing) and EBS encryption by default, per region.

Networks (VPCs, subnets, network ACLs, interfaces, transit gateways) are in ``ec2_network``; volumes,
snapshots, images and launch templates in ``ec2_storage``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from soryoku.inventory.base import CollectContext, collector

ALL_PROTOCOLS = "-1"


@dataclass(frozen=True, slots=True)
class IngressRule:
    """One permission (inbound, or outbound in ``SecurityGroup.egress``): protocol, ports, peers."""

    protocol: str
    from_port: int | None
    to_port: int | None
    ipv4_ranges: tuple[str, ...] = ()
    ipv6_ranges: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()
    prefix_list_ids: tuple[str, ...] = ()

    def covers_port(self, port: int, protocols: frozenset[str] = frozenset({"tcp", "udp"})) -> bool:
        """True when the rule admits ``port`` over one of ``protocols`` (or all protocols)."""
        if self.protocol == ALL_PROTOCOLS:
            return True
        names = {"6": "tcp", "17": "udp"}
        if names.get(self.protocol, self.protocol.lower()) not in protocols:
            return False
        if self.from_port is None or self.to_port is None:
            return True
        low, high = sorted((self.from_port, self.to_port))
        return low <= port <= high


@dataclass(frozen=True, slots=True)
class SecurityGroup:
    """A VPC security group and its inbound rules."""

    group_id: str
    name: str
    arn: str
    region: str
    vpc_id: str | None
    ingress: tuple[IngressRule, ...] = ()
    egress: tuple[IngressRule, ...] = ()

    @property
    def is_default(self) -> bool:
        """True for a VPC's default security group (it cannot be deleted, only emptied)."""
        return self.name == "default"


@dataclass(frozen=True, slots=True)
class Ec2Instance:
    """An EC2 instance: metadata service options, addressing, network interfaces, security groups."""

    instance_id: str
    arn: str
    region: str
    state: str
    http_tokens: str
    http_endpoint: str
    name: str = ""
    public_ip: str | None = None
    vpc_id: str | None = None
    subnet_id: str | None = None
    security_group_ids: tuple[str, ...] = ()
    network_interface_ids: tuple[str, ...] = ()
    virtualization_type: str = "hvm"
    stopped_since: datetime | None = None

    @property
    def label(self) -> str:
        """``id (Name)`` when the instance has a Name tag, else the id."""
        return (
            f"{self.instance_id} ({self.name})"
            if self.name and self.name != self.instance_id
            else self.instance_id
        )


@dataclass(frozen=True, slots=True)
class EbsEncryptionByDefault:
    """Whether new EBS volumes in a region are encrypted by default."""

    arn: str
    region: str
    account_id: str
    enabled: bool

    @property
    def name(self) -> str:
        """The region the setting applies to."""
        return f"{self.account_id}/{self.region}"


# -- transforms (pure) --


def _port(value: Any) -> int | None:
    return None if value is None else int(value)


def ingress_from(permissions: Iterable[Mapping[str, Any]]) -> tuple[IngressRule, ...]:
    """DescribeSecurityGroups ``IpPermissions`` (or ``IpPermissionsEgress``) as IngressRule models."""
    return tuple(
        IngressRule(
            protocol=str(p.get("IpProtocol", ALL_PROTOCOLS)),
            from_port=_port(p.get("FromPort")),
            to_port=_port(p.get("ToPort")),
            ipv4_ranges=tuple(str(r["CidrIp"]) for r in p.get("IpRanges", []) if "CidrIp" in r),
            ipv6_ranges=tuple(str(r["CidrIpv6"]) for r in p.get("Ipv6Ranges", []) if "CidrIpv6" in r),
            group_ids=tuple(str(g["GroupId"]) for g in p.get("UserIdGroupPairs", []) if "GroupId" in g),
            prefix_list_ids=tuple(
                str(x["PrefixListId"]) for x in p.get("PrefixListIds", []) if "PrefixListId" in x
            ),
        )
        for p in permissions
    )


def security_group_from(item: Mapping[str, Any], region: str, partition: str) -> SecurityGroup:
    """One DescribeSecurityGroups item as a SecurityGroup."""
    group_id = str(item["GroupId"])
    owner = str(item.get("OwnerId", ""))
    return SecurityGroup(
        group_id=group_id,
        name=str(item.get("GroupName", group_id)),
        arn=f"arn:{partition}:ec2:{region}:{owner}:security-group/{group_id}",
        region=region,
        vpc_id=item.get("VpcId"),
        ingress=ingress_from(item.get("IpPermissions", [])),
        egress=ingress_from(item.get("IpPermissionsEgress", [])),
    )


_STOPPED_AT = re.compile(r"\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) GMT\)")


def stopped_since_from(reason: str) -> datetime | None:
    """When a stopped instance stopped, from ``StateTransitionReason`` ("User initiated (… GMT)")."""
    match = _STOPPED_AT.search(reason or "")
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def instance_from(item: Mapping[str, Any], owner: str, region: str, partition: str) -> Ec2Instance:
    """One DescribeInstances instance as an Ec2Instance."""
    instance_id = str(item["InstanceId"])
    options = item.get("MetadataOptions", {})
    tags = {t.get("Key"): t.get("Value") for t in item.get("Tags", [])}
    return Ec2Instance(
        instance_id=instance_id,
        arn=f"arn:{partition}:ec2:{region}:{owner}:instance/{instance_id}",
        region=region,
        state=str(item.get("State", {}).get("Name", "unknown")),
        http_tokens=str(options.get("HttpTokens", "optional")),
        http_endpoint=str(options.get("HttpEndpoint", "enabled")),
        name=str(tags.get("Name") or instance_id),
        public_ip=item.get("PublicIpAddress"),
        vpc_id=item.get("VpcId"),
        subnet_id=item.get("SubnetId"),
        security_group_ids=tuple(str(g["GroupId"]) for g in item.get("SecurityGroups", []) if "GroupId" in g),
        network_interface_ids=tuple(
            str(n["NetworkInterfaceId"])
            for n in item.get("NetworkInterfaces", [])
            if "NetworkInterfaceId" in n
        ),
        virtualization_type=str(item.get("VirtualizationType", "hvm")),
        stopped_since=stopped_since_from(str(item.get("StateTransitionReason", "")))
        if item.get("State", {}).get("Name") == "stopped"
        else None,
    )


# -- get (I/O) --


@collector(
    "ec2.security_groups",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeSecurityGroups",),
    description="security groups and their inbound rules",
)
def collect_security_groups(ctx: CollectContext) -> tuple[SecurityGroup, ...]:
    """Every security group of the region (paginated)."""
    paginator = ctx.client("ec2").get_paginator("describe_security_groups")
    groups = [
        security_group_from(item, ctx.region, ctx.partition)
        for page in paginator.paginate()
        for item in page.get("SecurityGroups", [])
    ]
    return tuple(sorted(groups, key=lambda g: g.group_id))


@collector(
    "ec2.instances",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeInstances",),
    description="instances with their metadata options (terminated ones left out)",
)
def collect_instances(ctx: CollectContext) -> tuple[Ec2Instance, ...]:
    """Every instance of the region that is not terminated (paginated)."""
    paginator = ctx.client("ec2").get_paginator("describe_instances")
    instances = [
        instance_from(item, str(reservation.get("OwnerId", ctx.account_id)), ctx.region, ctx.partition)
        for page in paginator.paginate()
        for reservation in page.get("Reservations", [])
        for item in reservation.get("Instances", [])
    ]
    return tuple(sorted((i for i in instances if i.state != "terminated"), key=lambda i: i.instance_id))


@collector(
    "ec2.ebs_encryption_by_default",
    service="ec2",
    scope="regional",
    actions=("ec2:GetEbsEncryptionByDefault",),
    description="EBS encryption by default for the region",
)
def collect_ebs_encryption_by_default(ctx: CollectContext) -> tuple[EbsEncryptionByDefault, ...]:
    """The region's EBS default-encryption setting."""
    answer = ctx.client("ec2").get_ebs_encryption_by_default()
    return (
        EbsEncryptionByDefault(
            arn=ctx.account_arn("ec2", "ebs-encryption-by-default"),
            region=ctx.region,
            account_id=ctx.account_id,
            enabled=bool(answer.get("EbsEncryptionByDefault", False)),
        ),
    )


__all__ = [
    "EbsEncryptionByDefault",
    "Ec2Instance",
    "IngressRule",
    "SecurityGroup",
    "collect_ebs_encryption_by_default",
    "collect_instances",
    "collect_security_groups",
    "ingress_from",
    "instance_from",
    "security_group_from",
    "stopped_since_from",
]
