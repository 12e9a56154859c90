"""EC2 Auto Scaling checks: load-balancer health checks, Availability Zones, instance types, launch
templates; launch configurations that allow IMDSv1 or assign public IPs."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.severity import Severity
from soryoku.inventory.autoscaling import AutoScalingGroup, LaunchConfiguration
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

GROUPS = "autoscaling.groups"
CONFIGS = "autoscaling.launch_configurations"


@check(
    "autoscaling_group_elb_health_check",
    service="autoscaling",
    resource_type="AwsAutoScalingAutoScalingGroup",
    severity=Severity.LOW,
    collectors=(GROUPS,),
)
def elb_health_check(group: AutoScalingGroup, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when a group attached to a load balancer or target group does not use ELB health checks."""
    if not group.load_balancer_names and not group.target_group_arns:
        return []
    if group.health_check_type == "ELB":
        return [passed(f"Auto Scaling group {group.name} uses load balancer health checks.")]
    return [
        failed(
            f"Auto Scaling group {group.name} is behind a load balancer but uses {group.health_check_type} "
            "health checks."
        )
    ]


@check(
    "autoscaling_group_multiple_availability_zones",
    service="autoscaling",
    resource_type="AwsAutoScalingAutoScalingGroup",
    severity=Severity.MEDIUM,
    collectors=(GROUPS,),
)
def multi_az(group: AutoScalingGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when the group covers fewer than two Availability Zones."""
    zones = ", ".join(group.availability_zones) or "none"
    if len(group.availability_zones) >= 2:
        return passed(f"Auto Scaling group {group.name} covers {zones}.")
    return failed(f"Auto Scaling group {group.name} covers only {zones}.")


@check(
    "autoscaling_group_multiple_instance_types",
    service="autoscaling",
    resource_type="AwsAutoScalingAutoScalingGroup",
    severity=Severity.MEDIUM,
    collectors=(GROUPS,),
)
def multiple_instance_types(group: AutoScalingGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when the group defines fewer than two instance types (mixed instances policy overrides)."""
    if len(group.instance_types) >= 2:
        return passed(
            f"Auto Scaling group {group.name} uses instance types {', '.join(group.instance_types)}."
        )
    only = (
        group.instance_types[0] if group.instance_types else "its launch configuration's or template's type"
    )
    return failed(f"Auto Scaling group {group.name} uses a single instance type ({only}).")


@check(
    "autoscaling_group_uses_launch_template",
    service="autoscaling",
    resource_type="AwsAutoScalingAutoScalingGroup",
    severity=Severity.MEDIUM,
    collectors=(GROUPS,),
)
def uses_launch_template(group: AutoScalingGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when the group launches from a launch configuration instead of a launch template."""
    if group.uses_launch_template:
        return passed(
            f"Auto Scaling group {group.name} uses launch template "
            f"{group.launch_template or group.mixed_instances_template}."
        )
    return failed(f"Auto Scaling group {group.name} uses launch configuration {group.launch_configuration}.")


@check(
    "autoscaling_launch_configuration_imdsv2_required",
    service="autoscaling",
    resource_type="AwsAutoScalingLaunchConfiguration",
    severity=Severity.HIGH,
    collectors=(CONFIGS,),
)
def launch_configuration_imdsv2(config: LaunchConfiguration, ctx: CheckContext) -> CheckResult:
    """FAIL unless the launch configuration sets HttpTokens=required."""
    if config.http_tokens == "required":
        return passed(f"Launch configuration {config.name} requires IMDSv2.")
    return failed(
        f"Launch configuration {config.name} does not require IMDSv2 (HttpTokens={config.http_tokens})."
    )


@check(
    "autoscaling_launch_configuration_no_public_ip",
    service="autoscaling",
    resource_type="AwsAutoScalingLaunchConfiguration",
    severity=Severity.HIGH,
    collectors=(CONFIGS,),
)
def launch_configuration_public_ip(config: LaunchConfiguration, ctx: CheckContext) -> CheckResult:
    """FAIL when the launch configuration assigns public IP addresses to its instances."""
    if config.associate_public_ip:
        return failed(f"Launch configuration {config.name} assigns public IP addresses.")
    return passed(f"Launch configuration {config.name} does not assign public IP addresses.")
