"""EC2 Auto Scaling: groups (zones, load balancers, health checks, launch source, instance types)
and launch configurations (metadata options, public IP), per region."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class AutoScalingGroup:
    """An Auto Scaling group and what the FSBP AutoScaling controls judge."""

    name: str
    arn: str
    region: str
    availability_zones: tuple[str, ...]
    health_check_type: str
    load_balancer_names: tuple[str, ...] = ()
    target_group_arns: tuple[str, ...] = ()
    launch_configuration: str | None = None
    launch_template: str | None = None
    mixed_instances_template: str | None = None
    instance_types: tuple[str, ...] = ()

    @property
    def uses_launch_template(self) -> bool:
        """True when instances come from a launch template (directly or in a mixed instances policy)."""
        return bool(self.launch_template or self.mixed_instances_template)


@dataclass(frozen=True, slots=True)
class LaunchConfiguration:
    """A launch configuration: instance metadata options and public IP assignment."""

    name: str
    arn: str
    region: str
    http_tokens: str | None
    http_put_response_hop_limit: int | None
    associate_public_ip: bool | None


# -- transforms (pure) --


def _template_name(spec: Mapping[str, Any] | None) -> str | None:
    if not spec:
        return None
    return str(spec.get("LaunchTemplateName") or spec.get("LaunchTemplateId") or "") or None


def group_from(item: Mapping[str, Any], region: str) -> AutoScalingGroup:
    """One DescribeAutoScalingGroups item as an AutoScalingGroup."""
    mixed = item.get("MixedInstancesPolicy", {})
    mixed_template = mixed.get("LaunchTemplate", {})
    types = {str(o["InstanceType"]) for o in mixed_template.get("Overrides", []) if o.get("InstanceType")}
    if item.get("InstanceType"):
        types.add(str(item["InstanceType"]))
    return AutoScalingGroup(
        name=str(item["AutoScalingGroupName"]),
        arn=str(item.get("AutoScalingGroupARN") or item["AutoScalingGroupName"]),
        region=region,
        availability_zones=tuple(sorted(str(z) for z in item.get("AvailabilityZones", []))),
        health_check_type=str(item.get("HealthCheckType", "EC2")),
        load_balancer_names=tuple(str(n) for n in item.get("LoadBalancerNames", [])),
        target_group_arns=tuple(str(a) for a in item.get("TargetGroupARNs", [])),
        launch_configuration=item.get("LaunchConfigurationName"),
        launch_template=_template_name(item.get("LaunchTemplate")),
        mixed_instances_template=_template_name(mixed_template.get("LaunchTemplateSpecification")),
        instance_types=tuple(sorted(types)),
    )


def launch_configuration_from(item: Mapping[str, Any], region: str) -> LaunchConfiguration:
    """One DescribeLaunchConfigurations item as a LaunchConfiguration."""
    metadata = item.get("MetadataOptions", {})
    hops = metadata.get("HttpPutResponseHopLimit")
    return LaunchConfiguration(
        name=str(item["LaunchConfigurationName"]),
        arn=str(item.get("LaunchConfigurationARN") or item["LaunchConfigurationName"]),
        region=region,
        http_tokens=metadata.get("HttpTokens"),
        http_put_response_hop_limit=None if hops is None else int(hops),
        associate_public_ip=item.get("AssociatePublicIpAddress"),
    )


# -- get (I/O) --


@collector(
    "autoscaling.groups",
    service="autoscaling",
    scope="regional",
    actions=("autoscaling:DescribeAutoScalingGroups",),
    description="Auto Scaling groups: zones, load balancers, health checks, launch source",
)
def collect_groups(ctx: CollectContext) -> tuple[AutoScalingGroup, ...]:
    """Every Auto Scaling group of the region (paginated)."""
    paginator = ctx.client("autoscaling").get_paginator("describe_auto_scaling_groups")
    groups = [
        group_from(g, ctx.region) for page in paginator.paginate() for g in page.get("AutoScalingGroups", [])
    ]
    return tuple(sorted(groups, key=lambda g: g.name))


@collector(
    "autoscaling.launch_configurations",
    service="autoscaling",
    scope="regional",
    actions=("autoscaling:DescribeLaunchConfigurations",),
    description="launch configurations: metadata options and public IP assignment",
)
def collect_launch_configurations(ctx: CollectContext) -> tuple[LaunchConfiguration, ...]:
    """Every launch configuration of the region (paginated)."""
    paginator = ctx.client("autoscaling").get_paginator("describe_launch_configurations")
    configs = [
        launch_configuration_from(c, ctx.region)
        for page in paginator.paginate()
        for c in page.get("LaunchConfigurations", [])
    ]
    return tuple(sorted(configs, key=lambda c: c.name))


__all__ = [
    "AutoScalingGroup",
    "LaunchConfiguration",
    "collect_groups",
    "collect_launch_configurations",
    "group_from",
    "launch_configuration_from",
]
