"""EC2: security groups, instances (metadata options) and EBS encryption by default, per region."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector

ALL_PROTOCOLS = "-1"


@dataclass(frozen=True, slots=True)
class IngressRule:
    """One inbound permission: protocol, port range and the sources it admits."""

    protocol: str
    from_port: int | None
    to_port: int | None
    ipv4_ranges: tuple[str, ...] = ()
    ipv6_ranges: tuple[str, ...] = ()

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


@dataclass(frozen=True, slots=True)
class Ec2Instance:
    """An EC2 instance and its instance metadata service options."""

    instance_id: str
    arn: str
    region: str
    state: str
    http_tokens: str
    http_endpoint: str
    name: str = ""


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
    """DescribeSecurityGroups ``IpPermissions`` as IngressRule models."""
    return tuple(
        IngressRule(
            protocol=str(p.get("IpProtocol", ALL_PROTOCOLS)),
            from_port=_port(p.get("FromPort")),
            to_port=_port(p.get("ToPort")),
            ipv4_ranges=tuple(str(r["CidrIp"]) for r in p.get("IpRanges", []) if "CidrIp" in r),
            ipv6_ranges=tuple(str(r["CidrIpv6"]) for r in p.get("Ipv6Ranges", []) if "CidrIpv6" in r),
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
    )


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
]
