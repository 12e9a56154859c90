"""Elastic Load Balancing: Classic Load Balancers (listeners, attributes, listener security policies)
and Application/Network/Gateway Load Balancers (listeners and attributes), per region."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from soryoku.inventory.base import CollectContext, collector

# What AWS applies when an attribute is absent from the answer (moto omits several of them).
V2_ATTRIBUTE_DEFAULTS = {
    "access_logs.s3.enabled": "false",
    "deletion_protection.enabled": "false",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.desync_mitigation_mode": "defensive",
}
CLASSIC_DESYNC_ATTRIBUTE = "elb.http.desyncmitigationmode"


@dataclass(frozen=True, slots=True)
class ClassicListener:
    """A Classic Load Balancer listener: front-end protocol, certificate and security policy."""

    protocol: str
    port: int
    certificate_id: str | None = None
    reference_security_policy: str | None = None


@dataclass(frozen=True, slots=True)
class ClassicLoadBalancer:
    """A Classic Load Balancer and the attributes the FSBP ELB controls judge."""

    name: str
    arn: str
    region: str
    availability_zones: tuple[str, ...]
    listeners: tuple[ClassicListener, ...] = ()
    access_logs: bool = False
    connection_draining: bool = False
    cross_zone: bool = False
    desync_mode: str = "defensive"


@dataclass(frozen=True, slots=True)
class ListenerV2:
    """An ALB/NLB listener: protocol, port, TLS policy and its default action types."""

    protocol: str
    port: int
    ssl_policy: str | None = None
    default_actions: tuple[str, ...] = ()
    redirect_protocol: str | None = None


@dataclass(frozen=True, slots=True)
class LoadBalancerV2:
    """An Application, Network or Gateway Load Balancer with its listeners and attributes."""

    name: str
    arn: str
    region: str
    type: str
    availability_zones: tuple[str, ...]
    listeners: tuple[ListenerV2, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)

    def attribute(self, key: str) -> str:
        """An attribute's value, or AWS's default when the answer leaves it out."""
        return self.attributes.get(key, V2_ATTRIBUTE_DEFAULTS.get(key, ""))


# -- transforms (pure) --


def classic_from(
    item: Mapping[str, Any],
    attributes: Mapping[str, Any],
    policies: Iterable[Mapping[str, Any]],
    region: str,
    partition: str,
    account_id: str,
) -> ClassicLoadBalancer:
    """DescribeLoadBalancers item + its attributes + its policies as a ClassicLoadBalancer."""
    references: dict[str, str] = {}
    for policy in policies:
        for attribute in policy.get("PolicyAttributeDescriptions", []):
            if attribute.get("AttributeName") == "Reference-Security-Policy":
                references[str(policy.get("PolicyName"))] = str(attribute.get("AttributeValue"))
    listeners = []
    for description in item.get("ListenerDescriptions", []):
        listener = description.get("Listener", {})
        names = [str(n) for n in description.get("PolicyNames", [])]
        reference = next((references[n] for n in names if n in references), None)
        listeners.append(
            ClassicListener(
                protocol=str(listener.get("Protocol", "")).upper(),
                port=int(listener.get("LoadBalancerPort", 0)),
                certificate_id=listener.get("SSLCertificateId"),
                reference_security_policy=reference,
            )
        )
    extra = {str(a.get("Key")): str(a.get("Value")) for a in attributes.get("AdditionalAttributes", [])}
    name = str(item["LoadBalancerName"])
    return ClassicLoadBalancer(
        name=name,
        arn=f"arn:{partition}:elasticloadbalancing:{region}:{account_id}:loadbalancer/{name}",
        region=region,
        availability_zones=tuple(sorted(str(z) for z in item.get("AvailabilityZones", []))),
        listeners=tuple(listeners),
        access_logs=bool(attributes.get("AccessLog", {}).get("Enabled", False)),
        connection_draining=bool(attributes.get("ConnectionDraining", {}).get("Enabled", False)),
        cross_zone=bool(attributes.get("CrossZoneLoadBalancing", {}).get("Enabled", False)),
        desync_mode=extra.get(CLASSIC_DESYNC_ATTRIBUTE, "defensive"),
    )


def listener_v2_from(item: Mapping[str, Any]) -> ListenerV2:
    """One DescribeListeners item as a ListenerV2."""
    actions = list(item.get("DefaultActions", []))
    redirect = next((a for a in actions if a.get("Type") == "redirect"), None)
    return ListenerV2(
        protocol=str(item.get("Protocol", "")).upper(),
        port=int(item.get("Port", 0)),
        ssl_policy=item.get("SslPolicy"),
        default_actions=tuple(str(a.get("Type", "")) for a in actions),
        redirect_protocol=(
            str(redirect.get("RedirectConfig", {}).get("Protocol", "")).upper() if redirect else None
        ),
    )


def load_balancer_v2_from(
    item: Mapping[str, Any],
    listeners: Iterable[Mapping[str, Any]],
    attributes: Iterable[Mapping[str, Any]],
    region: str,
) -> LoadBalancerV2:
    """DescribeLoadBalancers (v2) item + its listeners + its attributes as a LoadBalancerV2."""
    return LoadBalancerV2(
        name=str(item.get("LoadBalancerName", "")),
        arn=str(item["LoadBalancerArn"]),
        region=region,
        type=str(item.get("Type", "application")),
        availability_zones=tuple(sorted(str(z.get("ZoneName")) for z in item.get("AvailabilityZones", []))),
        listeners=tuple(listener_v2_from(listener) for listener in listeners),
        attributes={str(a.get("Key")): str(a.get("Value")) for a in attributes},
    )


# -- get (I/O) --


@collector(
    "elb.load_balancers",
    service="elb",
    scope="regional",
    actions=(
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeLoadBalancerPolicies",
    ),
    description="Classic Load Balancers with listeners, attributes and listener security policies",
)
def collect_classic_load_balancers(ctx: CollectContext) -> tuple[ClassicLoadBalancer, ...]:
    """Every Classic Load Balancer of the region (two detail calls each)."""
    elb = ctx.client("elb")
    paginator = elb.get_paginator("describe_load_balancers")
    items = [d for page in paginator.paginate() for d in page.get("LoadBalancerDescriptions", [])]

    def detail(item: Mapping[str, Any]) -> ClassicLoadBalancer:
        name = item["LoadBalancerName"]
        attributes = elb.describe_load_balancer_attributes(LoadBalancerName=name).get(
            "LoadBalancerAttributes", {}
        )
        policies = elb.describe_load_balancer_policies(LoadBalancerName=name).get("PolicyDescriptions", [])
        return classic_from(item, attributes, policies, ctx.region, ctx.partition, ctx.account_id)

    return tuple(sorted(ctx.map(detail, items), key=lambda lb: lb.name))


@collector(
    "elbv2.load_balancers",
    service="elbv2",
    scope="regional",
    actions=(
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
    ),
    description="Application, Network and Gateway Load Balancers with listeners and attributes",
)
def collect_load_balancers_v2(ctx: CollectContext) -> tuple[LoadBalancerV2, ...]:
    """Every ALB/NLB/GWLB of the region (two detail calls each)."""
    elbv2 = ctx.client("elbv2")
    paginator = elbv2.get_paginator("describe_load_balancers")
    items = [lb for page in paginator.paginate() for lb in page.get("LoadBalancers", [])]

    def detail(item: Mapping[str, Any]) -> LoadBalancerV2:
        arn = item["LoadBalancerArn"]
        listeners = [
            listener
            for page in elbv2.get_paginator("describe_listeners").paginate(LoadBalancerArn=arn)
            for listener in page.get("Listeners", [])
        ]
        attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn).get("Attributes", [])
        return load_balancer_v2_from(item, listeners, attributes, ctx.region)

    return tuple(sorted(ctx.map(detail, items), key=lambda lb: lb.name))


__all__ = [
    "ClassicListener",
    "ClassicLoadBalancer",
    "ListenerV2",
    "LoadBalancerV2",
    "classic_from",
    "collect_classic_load_balancers",
    "collect_load_balancers_v2",
    "listener_v2_from",
    "load_balancer_v2_from",
]
