"""EC2 instance checks: public IPv4, network interfaces, virtualization, stopped instances, and the
seed's advice made a check: no admin port open to the internet, Session Manager instead."""

from __future__ import annotations

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.ec2 import Ec2Instance, SecurityGroup
from soryoku.inventory.ssm import ManagedInstance
from soryoku.posture.checks._exposure import (
    NETWORK_ACLS,
    ROUTE_TABLES,
    address_exposure,
    nacl_reach,
    route_reach,
)
from soryoku.posture.checks.ec2 import ANY_IPV4, ANY_IPV6, TCP_UDP, open_ports
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

INSTANCES = "ec2.instances"
SECURITY_GROUPS = "ec2.security_groups"
MANAGED = "ssm.managed_instances"
STOPPED_DAYS_ALLOWED = 30
# Remote administration ports: SSH, Telnet, RDP, VNC, WinRM over HTTP and HTTPS.
REMOTE_ADMIN_PORTS = (22, 23, 3389, 5900, 5985, 5986)


@check(
    "ec2_instance_public_ip",
    service="ec2",
    resource_type="AwsEc2Instance",
    severity=Severity.HIGH,
    collectors=(INSTANCES,),
    optional_collectors=(ROUTE_TABLES, NETWORK_ACLS),
)
def instance_public_ip(instance: Ec2Instance, ctx: CheckContext) -> CheckResult:
    """FAIL when the instance has a public IPv4 address (auto-assigned or Elastic IP); exposure: does
    its subnet route to an internet gateway (without one the address answers nothing from outside) and
    does its network ACL admit any inbound traffic from the internet."""
    if instance.public_ip:
        return failed(
            f"Instance {instance.label} has public IPv4 address {instance.public_ip}.",
            exposure=_address_exposure(instance, ctx),
        )
    return passed(f"Instance {instance.label} has no public IPv4 address.")


@check(
    "ec2_instance_multiple_enis",
    service="ec2",
    resource_type="AwsEc2Instance",
    severity=Severity.LOW,
    collectors=(INSTANCES,),
)
def instance_multiple_enis(instance: Ec2Instance, ctx: CheckContext) -> CheckResult:
    """FAIL when more than one network interface is attached to the instance."""
    count = len(instance.network_interface_ids)
    if count > 1:
        return failed(
            f"Instance {instance.label} has {count} network interfaces.",
            interfaces=list(instance.network_interface_ids),
        )
    return passed(f"Instance {instance.label} has {count} network interface(s).")


@check(
    "ec2_instance_paravirtual_type",
    service="ec2",
    resource_type="AwsEc2Instance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def instance_paravirtual(instance: Ec2Instance, ctx: CheckContext) -> CheckResult:
    """FAIL when the instance's virtualization type is paravirtual."""
    if instance.virtualization_type == "paravirtual":
        return failed(f"Instance {instance.label} uses paravirtual virtualization.")
    return passed(f"Instance {instance.label} uses {instance.virtualization_type} virtualization.")


@check(
    "ec2_instance_stopped_too_long",
    service="ec2",
    resource_type="AwsEc2Instance",
    severity=Severity.MEDIUM,
    collectors=(INSTANCES,),
)
def instance_stopped_too_long(instance: Ec2Instance, ctx: CheckContext) -> CheckResult:
    """FAIL when the instance has been stopped for more than 30 days (the control's default)."""
    if instance.state != "stopped":
        return passed(f"Instance {instance.label} is {instance.state}.")
    if instance.stopped_since is None:
        return CheckResult(
            ResultStatus.NOT_EVALUATED,
            f"Instance {instance.label} is stopped, but its StateTransitionReason gives no stop time.",
        )
    days = (ctx.now - instance.stopped_since).days
    if days > STOPPED_DAYS_ALLOWED:
        return failed(f"Instance {instance.label} has been stopped for {days} days.", stopped_days=days)
    return passed(f"Instance {instance.label} has been stopped for {days} days (≤ {STOPPED_DAYS_ALLOWED}).")


def _address_exposure(instance: Ec2Instance, ctx: CheckContext) -> str:
    subnets = (instance.subnet_id,) if instance.subnet_id else ()
    route = route_reach(ctx, subnets, instance.vpc_id)
    return address_exposure(str(instance.public_ip), route, nacl_reach(ctx, subnets, instance.vpc_id, None))


def _exposed_admin_ports(instance: Ec2Instance, groups: tuple[SecurityGroup, ...]) -> list[str]:
    mine = [g for g in groups if g.group_id in instance.security_group_ids]
    return sorted(
        {
            f"{port} via {g.group_id} ({g.name})"
            for g in mine
            for port in open_ports(g, REMOTE_ADMIN_PORTS, (ANY_IPV4, ANY_IPV6), TCP_UDP)
        }
    )


@check(
    "ec2_instance_admin_port_open_without_session_manager",
    service="ec2",
    resource_type="AwsEc2Instance",
    severity=Severity.HIGH,
    collectors=(INSTANCES, SECURITY_GROUPS),
    optional_collectors=(MANAGED, ROUTE_TABLES, NETWORK_ACLS),
)
def instance_admin_port_without_ssm(instance: Ec2Instance, ctx: CheckContext) -> CheckResult:
    """FAIL when a security group of the instance opens a remote administration port to the internet
    and Systems Manager cannot be confirmed to manage it (not registered, or its answer unavailable).

    The port half is judged from the security groups alone, so the check still decides when the
    Systems Manager API cannot be read; the reason is then in the message and the evidence.
    """
    exposed = _exposed_admin_ports(instance, ctx.resources(SECURITY_GROUPS))
    ssm_reason = ctx.unavailable.get(MANAGED)
    managed: bool | None = None
    if ssm_reason is None:
        registered: tuple[ManagedInstance, ...] = ctx.resources(MANAGED)
        managed = any(m.instance_id == instance.instance_id for m in registered)
    ssm_state = "unknown" if managed is None else "managed" if managed else "not managed"
    exposure = (
        _address_exposure(instance, ctx)
        if instance.public_ip
        else "no public IPv4 address (reachable over IPv6 or a NAT/LB path only)"
    )
    if not exposed:
        return passed(
            f"Instance {instance.label} opens no remote administration port to the internet.",
            ssm=ssm_state,
        )
    ports = ", ".join(exposed)
    if managed:
        return passed(
            f"Instance {instance.label} is reachable through Session Manager; its open admin ports "
            f"({ports}) are reported by the security-group checks and can be closed.",
            exposure=exposure,
            open=exposed,
            ssm=ssm_state,
        )
    why = (
        f"Systems Manager state unknown ({ssm_reason})"
        if managed is None
        else "it is not managed by Systems Manager"
    )
    return failed(
        f"Instance {instance.label} exposes {ports} to the internet and {why}.",
        exposure=exposure,
        open=exposed,
        ssm=ssm_state,
    )
