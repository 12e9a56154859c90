"""EC2 checks: security groups open to the internet on admin ports, EBS default encryption, IMDSv2."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.ec2 import EbsEncryptionByDefault, Ec2Instance, SecurityGroup
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

SECURITY_GROUPS = "ec2.security_groups"
ADMIN_PORTS = (22, 3389)
ANY_IPV4 = "0.0.0.0/0"
ANY_IPV6 = "::/0"
TCP = frozenset({"tcp"})
TCP_UDP = frozenset({"tcp", "udp"})


def open_ports(
    group: SecurityGroup,
    ports: tuple[int, ...],
    sources: tuple[str, ...],
    protocols: frozenset[str] = TCP_UDP,
) -> list[str]:
    """``port from source`` for each of ``ports`` an inbound rule opens to one of ``sources``."""
    found = set()
    for rule in group.ingress:
        admitted = [s for s in (*rule.ipv4_ranges, *rule.ipv6_ranges) if s in sources]
        for source in admitted:
            for port in ports:
                if rule.covers_port(port, protocols):
                    found.add(f"{port} from {source}")
    return sorted(found)


def _ingress_verdict(
    group: SecurityGroup,
    ports: tuple[int, ...],
    sources: tuple[str, ...],
    protocols: frozenset[str] = TCP_UDP,
) -> CheckResult:
    exposed = open_ports(group, ports, sources, protocols)
    label = f"{group.group_id} ({group.name})"
    wanted = "/".join(str(p) for p in ports)
    if exposed:
        return failed(f"Security group {label} allows ingress on {', '.join(exposed)}.", open=exposed)
    return passed(f"Security group {label} does not open port {wanted} to {' or '.join(sources)}.")


@check(
    "ec2_securitygroup_ingress_port_22_open_to_internet",
    service="ec2",
    resource_type="AwsEc2SecurityGroup",
    severity=Severity.HIGH,
    collectors=(SECURITY_GROUPS,),
)
def sg_port_22(group: SecurityGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when TCP port 22 (SSH) is open to 0.0.0.0/0 or ::/0 (an all-protocol rule counts)."""
    return _ingress_verdict(group, (22,), (ANY_IPV4, ANY_IPV6), TCP)


@check(
    "ec2_securitygroup_ingress_port_3389_open_to_internet",
    service="ec2",
    resource_type="AwsEc2SecurityGroup",
    severity=Severity.HIGH,
    collectors=(SECURITY_GROUPS,),
)
def sg_port_3389(group: SecurityGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when TCP port 3389 (RDP) is open to 0.0.0.0/0 or ::/0 (an all-protocol rule counts)."""
    return _ingress_verdict(group, (3389,), (ANY_IPV4, ANY_IPV6), TCP)


@check(
    "ec2_securitygroup_ingress_admin_ports_open_to_ipv4_internet",
    service="ec2",
    resource_type="AwsEc2SecurityGroup",
    severity=Severity.HIGH,
    collectors=(SECURITY_GROUPS,),
)
def sg_admin_ipv4(group: SecurityGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when 22 or 3389 is open to 0.0.0.0/0 over TCP, UDP or all protocols."""
    return _ingress_verdict(group, ADMIN_PORTS, (ANY_IPV4,))


@check(
    "ec2_securitygroup_ingress_admin_ports_open_to_ipv6_internet",
    service="ec2",
    resource_type="AwsEc2SecurityGroup",
    severity=Severity.HIGH,
    collectors=(SECURITY_GROUPS,),
)
def sg_admin_ipv6(group: SecurityGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when 22 or 3389 is open to ::/0 over TCP, UDP or all protocols."""
    return _ingress_verdict(group, ADMIN_PORTS, (ANY_IPV6,))


@check(
    "ec2_ebs_default_encryption",
    service="ec2",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=("ec2.ebs_encryption_by_default",),
)
def ebs_default_encryption(setting: EbsEncryptionByDefault, ctx: CheckContext) -> CheckResult:
    """FAIL when new EBS volumes in the region are not encrypted by default."""
    if setting.enabled:
        return passed(f"EBS encryption by default is enabled in {setting.region}.")
    return failed(f"EBS encryption by default is disabled in {setting.region}.")


@check(
    "ec2_instance_imdsv2_required",
    service="ec2",
    resource_type="AwsEc2Instance",
    severity=Severity.HIGH,
    collectors=("ec2.instances",),
)
def instance_imdsv2(instance: Ec2Instance, ctx: CheckContext) -> CheckResult:
    """FAIL unless HttpTokens is ``required`` (the control's own definition)."""
    label = (
        f"{instance.instance_id} ({instance.name})"
        if instance.name != instance.instance_id
        else instance.instance_id
    )
    if instance.http_tokens == "required":
        return passed(f"Instance {label} requires IMDSv2 session tokens.")
    if instance.http_endpoint == "disabled":
        return failed(
            f"Instance {label} allows IMDSv1 (HttpTokens={instance.http_tokens}), "
            "though its metadata endpoint is disabled.",
            exposure="metadata endpoint disabled",
            http_tokens=instance.http_tokens,
        )
    return failed(
        f"Instance {label} allows IMDSv1 (HttpTokens={instance.http_tokens}).",
        http_tokens=instance.http_tokens,
    )
