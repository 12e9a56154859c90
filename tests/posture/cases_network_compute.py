"""PASS and FAIL cases for the network-compute group: EC2 networking, storage and instances, SSM,
ELB (classic and v2) and Auto Scaling, over hand-built models."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from soryoku.inventory.autoscaling import AutoScalingGroup, LaunchConfiguration
from soryoku.inventory.ec2 import Ec2Instance, IngressRule, SecurityGroup
from soryoku.inventory.ec2_network import (
    FlowLog,
    NaclEntry,
    NetworkAcl,
    NetworkInterface,
    Subnet,
    TransitGateway,
    Vpc,
    VpnConnection,
    VpnTunnel,
)
from soryoku.inventory.ec2_storage import (
    BlockPublicAccessState,
    EbsSnapshot,
    EbsVolume,
    LaunchTemplate,
    LaunchTemplateInterface,
    MachineImage,
)
from soryoku.inventory.elb import ClassicListener, ClassicLoadBalancer, ListenerV2, LoadBalancerV2
from soryoku.inventory.ssm import ManagedInstance, SsmDocument

from .cases import ACCOUNT, FAIL, NOW, PASS, REGION, Case

ARN = f"arn:aws:ec2:{REGION}:{ACCOUNT}"


def group(name: str = "web", *ingress: IngressRule, egress: tuple[IngressRule, ...] = ()) -> SecurityGroup:
    return SecurityGroup("sg-1", name, f"{ARN}:security-group/sg-1", REGION, "vpc-1", ingress, egress)


def world(protocol: str, low: int | None, high: int | None, v6: bool = False) -> IngressRule:
    return IngressRule(protocol, low, high, () if v6 else ("0.0.0.0/0",), ("::/0",) if v6 else ())


def ec2(**kwargs: Any) -> Ec2Instance:
    base: dict[str, Any] = {
        "instance_id": "i-1",
        "arn": f"{ARN}:instance/i-1",
        "region": REGION,
        "state": "running",
        "http_tokens": "required",
        "http_endpoint": "enabled",
        "name": "web-1",
        "security_group_ids": ("sg-1",),
        "network_interface_ids": ("eni-1",),
    }
    base.update(kwargs)
    return Ec2Instance(**base)


def acl(*entries: NaclEntry, subnets: tuple[str, ...] = ("subnet-1",)) -> NetworkAcl:
    return NetworkAcl("acl-1", f"{ARN}:network-acl/acl-1", REGION, "acl-1", "vpc-1", False, entries, subnets)


def entry(
    number: int,
    action: str,
    cidr: str | None = "0.0.0.0/0",
    protocol: str = "6",
    port: int | None = 22,
    v6: str | None = None,
) -> NaclEntry:
    return NaclEntry(number, protocol, action, False, cidr, v6, port, port)


def vpc(logs: tuple[FlowLog, ...] = (), services: tuple[str, ...] = ()) -> Vpc:
    return Vpc("vpc-1", f"{ARN}:vpc/vpc-1", REGION, "main", False, logs, services)


def interfaces(*groups: str) -> dict[str, tuple[Any, ...]]:
    return {
        "ec2.network_interfaces": (
            NetworkInterface("eni-1", f"{ARN}:network-interface/eni-1", REGION, "eni-1", "in-use", groups),
        )
    }


def sg_context(*groups: SecurityGroup, managed: tuple[str, ...] | None = ()) -> dict[str, tuple[Any, ...]]:
    related: dict[str, tuple[Any, ...]] = {"ec2.security_groups": groups}
    if managed is not None:
        related["ssm.managed_instances"] = tuple(
            ManagedInstance(i, f"arn:aws:ssm:{REGION}:{ACCOUNT}:managed-instance/{i}", REGION, i, "Online")
            for i in managed
        )
    return related


def template(public: bool | None = None, tokens: str | None = "required") -> LaunchTemplate:
    return LaunchTemplate(
        "lt-1",
        f"{ARN}:launch-template/lt-1",
        REGION,
        "web-lt",
        1,
        (LaunchTemplateInterface(0, public),),
        tokens,
    )


def clb(*listeners: ClassicListener, zones: tuple[str, ...] = ("eu-west-1a", "eu-west-1b"), **kw: Any) -> Any:
    arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/legacy"
    return ClassicLoadBalancer("legacy", arn, REGION, zones, listeners, **kw)


def alb(
    *listeners: ListenerV2, kind: str = "application", zones: int = 2, **attributes: str
) -> LoadBalancerV2:
    arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/web/1"
    names = ("eu-west-1a", "eu-west-1b")[:zones]
    return LoadBalancerV2(
        "web", arn, REGION, kind, names, listeners, {k.replace("__", "."): v for k, v in attributes.items()}
    )


def asg(**kwargs: Any) -> AutoScalingGroup:
    base: dict[str, Any] = {
        "name": "web-asg",
        "arn": f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:autoScalingGroup:1:autoScalingGroupName/web-asg",
        "region": REGION,
        "availability_zones": ("eu-west-1a", "eu-west-1b"),
        "health_check_type": "ELB",
    }
    base.update(kwargs)
    return AutoScalingGroup(**base)


def launch_config(tokens: str | None, public: bool | None) -> LaunchConfiguration:
    arn = f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:launchConfiguration:1:launchConfigurationName/lc"
    return LaunchConfiguration("lc", arn, REGION, tokens, None, public)


ACM_CERT = f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/1"
IAM_CERT = f"arn:aws:iam::{ACCOUNT}:server-certificate/old"
TLS12 = "ELBSecurityPolicy-TLS-1-2-2017-01"
REDIRECT = ListenerV2("HTTP", 80, None, ("redirect",), "HTTPS")
FORWARD = ListenerV2("HTTP", 80, None, ("forward",))
DEFAULT_SG = "ec2_securitygroup_default_restrict_traffic"
AUTHORIZED = "ec2_securitygroup_allow_ingress_from_internet_to_authorized_ports_only"
HIGH_RISK = "ec2_securitygroup_ingress_high_risk_ports_open_to_internet"
DATABASE = "ec2_securitygroup_ingress_database_ports_open_to_internet"
UNUSED_SG = "ec2_securitygroup_not_used"
NACL_ANY = "ec2_networkacl_allow_ingress_admin_ports_from_internet"
NACL_V4 = "ec2_networkacl_allow_ingress_admin_ports_from_ipv4_internet"
COMBINED = "ec2_instance_admin_port_open_without_session_manager"
SSH_WORLD = group("web", world("tcp", 22, 22))
HTTPS_WORLD = group("app", world("tcp", 443, 443))

CASES: list[Case] = [
    # EC2.2 / CIS 5.4
    Case("default group emptied", DEFAULT_SG, group("default"), PASS),
    Case("default group egress all", DEFAULT_SG, group("default", egress=(world("-1", None, None),)), FAIL),
    Case(
        "default group self-reference",
        DEFAULT_SG,
        group("default", IngressRule("-1", None, None, group_ids=("sg-1",))),
        FAIL,
        says="1 inbound",
    ),
    # EC2.18
    Case("https only", AUTHORIZED, HTTPS_WORLD, PASS),
    Case(
        "http and https", AUTHORIZED, group("w", world("tcp", 80, 80), world("tcp", 443, 443, v6=True)), PASS
    ),
    Case("ssh from office", AUTHORIZED, group("w", IngressRule("tcp", 22, 22, ("198.51.100.0/24",))), PASS),
    Case("icmp from world", AUTHORIZED, group("w", world("icmp", -1, -1)), PASS),
    Case("ssh from world", AUTHORIZED, SSH_WORLD, FAIL, says="tcp 22 from 0.0.0.0/0"),
    Case("range 80-443", AUTHORIZED, group("w", world("tcp", 80, 443)), FAIL, says="80-443"),
    Case("udp 443", AUTHORIZED, group("w", world("udp", 443, 443)), FAIL),
    Case(
        "all traffic v6", AUTHORIZED, group("w", world("-1", None, None, v6=True)), FAIL, says="all traffic"
    ),
    # EC2.19
    Case("https is not high risk", HIGH_RISK, HTTPS_WORLD, PASS),
    Case("mysql from v6 world", HIGH_RISK, group("db", world("tcp", 3306, 3306, v6=True)), FAIL, says="3306"),
    Case("8000-9000 covers 8080", HIGH_RISK, group("w", world("tcp", 8000, 9000)), FAIL, says="8080"),
    Case("telnet from office", HIGH_RISK, group("w", IngressRule("tcp", 23, 23, ("10.0.0.0/8",))), PASS),
    # database ports
    Case("redis from world", DATABASE, group("cache", world("tcp", 6379, 6379)), FAIL, says="6379"),
    Case(
        "postgres from app group",
        DATABASE,
        group("db", IngressRule("tcp", 5432, 5432, group_ids=("sg-2",))),
        PASS,
    ),
    # EC2.22
    Case("group attached", UNUSED_SG, group("web"), PASS, interfaces("sg-1")),
    Case("group unattached", UNUSED_SG, group("old"), FAIL, interfaces("sg-2")),
    # EC2.21
    Case("nacl https only", NACL_ANY, acl(entry(100, "allow", port=443)), PASS),
    Case("nacl ssh from world", NACL_ANY, acl(entry(100, "allow")), FAIL, says="22 from 0.0.0.0/0"),
    Case(
        "nacl all traffic from v6 world",
        NACL_ANY,
        acl(entry(100, "allow", cidr=None, protocol="-1", port=None, v6="::/0")),
        FAIL,
        says="3389 from ::/0",
    ),
    Case("nacl ssh from office", NACL_ANY, acl(entry(100, "allow", cidr="203.0.113.0/24")), PASS),
    Case("nacl udp 22 is not ssh", NACL_ANY, acl(entry(100, "allow", protocol="17")), PASS),
    Case(
        "nacl allow shadowed by earlier deny",
        NACL_ANY,
        acl(entry(50, "deny"), entry(100, "allow", protocol="-1", port=None)),
        FAIL,
        says="rule 100",
    ),
    # CIS 5.1
    Case("nacl v6 only passes v4", NACL_V4, acl(entry(100, "allow", cidr=None, v6="::/0")), PASS),
    Case("nacl udp 3389 from v4", NACL_V4, acl(entry(100, "allow", protocol="17", port=3389)), FAIL),
    # EC2.16
    Case("nacl associated", "ec2_networkacl_unused", acl(), PASS),
    Case("nacl orphan", "ec2_networkacl_unused", acl(subnets=()), FAIL),
    # EC2.6 / CIS 3.7
    Case(
        "flow log reject", "vpc_flow_logs_enabled", vpc((FlowLog("fl-1", "vpc-1", "REJECT", "ACTIVE"),)), PASS
    ),
    Case("no flow log", "vpc_flow_logs_enabled", vpc(), FAIL, says="no flow log"),
    Case(
        "accept-only flow log",
        "vpc_flow_logs_enabled",
        vpc((FlowLog("fl-1", "vpc-1", "ACCEPT", "ACTIVE"),)),
        FAIL,
        says="none active",
    ),
    # EC2.10
    Case(
        "ec2 endpoint", "vpc_endpoint_for_ec2_enabled", vpc(services=(f"com.amazonaws.{REGION}.ec2",)), PASS
    ),
    Case(
        "s3 endpoint only",
        "vpc_endpoint_for_ec2_enabled",
        vpc(services=(f"com.amazonaws.{REGION}.s3",)),
        FAIL,
    ),
    # EC2.15
    Case(
        "private subnet",
        "vpc_subnet_no_public_ip_by_default",
        Subnet("subnet-1", f"{ARN}:subnet/subnet-1", REGION, "private", "vpc-1", "eu-west-1a", False),
        PASS,
    ),
    Case(
        "public subnet",
        "vpc_subnet_no_public_ip_by_default",
        Subnet("subnet-1", f"{ARN}:subnet/subnet-1", REGION, "public", "vpc-1", "eu-west-1a", True),
        FAIL,
    ),
    # EC2.23
    Case(
        "tgw manual accept",
        "ec2_transitgateway_auto_accept_vpc_attachments",
        TransitGateway("tgw-1", f"{ARN}:transit-gateway/tgw-1", REGION, "tgw-1", False),
        PASS,
    ),
    Case(
        "tgw auto accept",
        "ec2_transitgateway_auto_accept_vpc_attachments",
        TransitGateway("tgw-1", f"{ARN}:transit-gateway/tgw-1", REGION, "tgw-1", True),
        FAIL,
    ),
    # EC2.9, EC2.17, EC2.24, EC2.4
    Case("private instance", "ec2_instance_public_ip", ec2(), PASS),
    Case(
        "public instance", "ec2_instance_public_ip", ec2(public_ip="198.51.100.7"), FAIL, says="198.51.100.7"
    ),
    Case("one eni", "ec2_instance_multiple_enis", ec2(), PASS),
    Case("two enis", "ec2_instance_multiple_enis", ec2(network_interface_ids=("eni-1", "eni-2")), FAIL),
    Case("hvm", "ec2_instance_paravirtual_type", ec2(), PASS),
    Case("paravirtual", "ec2_instance_paravirtual_type", ec2(virtualization_type="paravirtual"), FAIL),
    Case("running", "ec2_instance_stopped_too_long", ec2(), PASS),
    Case(
        "stopped 10 days",
        "ec2_instance_stopped_too_long",
        ec2(state="stopped", stopped_since=NOW - timedelta(days=10)),
        PASS,
    ),
    Case(
        "stopped 45 days",
        "ec2_instance_stopped_too_long",
        ec2(state="stopped", stopped_since=NOW - timedelta(days=45)),
        FAIL,
        says="45 days",
    ),
    # the seed's advice: admin port open to the internet, Session Manager instead
    Case("no admin port", COMBINED, ec2(), PASS, sg_context(HTTPS_WORLD)),
    Case("ssh open, not managed", COMBINED, ec2(), FAIL, sg_context(SSH_WORLD), "not managed"),
    Case("ssh open, managed by ssm", COMBINED, ec2(), PASS, sg_context(SSH_WORLD, managed=("i-1",))),
    Case(
        "winrm open on another group of the instance",
        COMBINED,
        ec2(security_group_ids=("sg-1",)),
        FAIL,
        sg_context(group("mgmt", world("tcp", 5985, 5986)), managed=("i-9",)),
        "5985",
    ),
    # SSM.1
    Case("managed", "ssm_managed_ec2_instance", ec2(), PASS, sg_context(managed=("i-1",))),
    Case("unmanaged", "ssm_managed_ec2_instance", ec2(), FAIL, sg_context(managed=("i-2",))),
    # SSM.4
    Case(
        "private document",
        "ssm_document_not_public",
        SsmDocument(
            "runbook",
            f"arn:aws:ssm:{REGION}:{ACCOUNT}:document/runbook",
            REGION,
            "Command",
            ("111122223333",),
        ),
        PASS,
    ),
    Case(
        "public document",
        "ssm_document_not_public",
        SsmDocument(
            "runbook", f"arn:aws:ssm:{REGION}:{ACCOUNT}:document/runbook", REGION, "Command", ("all",)
        ),
        FAIL,
    ),
    # EC2.1
    Case(
        "private snapshot",
        "ec2_ebs_snapshot_not_public",
        EbsSnapshot("snap-1", f"arn:aws:ec2:{REGION}::snapshot/snap-1", REGION, "snap-1", True),
        PASS,
    ),
    Case(
        "public snapshot",
        "ec2_ebs_snapshot_not_public",
        EbsSnapshot("snap-1", f"arn:aws:ec2:{REGION}::snapshot/snap-1", REGION, "snap-1", False, ("all",)),
        FAIL,
    ),
    # EC2.3
    Case(
        "attached encrypted",
        "ec2_ebs_attached_volume_encrypted",
        EbsVolume("vol-1", f"{ARN}:volume/vol-1", REGION, "root", True, "in-use", ("i-1",)),
        PASS,
    ),
    Case(
        "attached plaintext",
        "ec2_ebs_attached_volume_encrypted",
        EbsVolume("vol-1", f"{ARN}:volume/vol-1", REGION, "root", False, "in-use", ("i-1",)),
        FAIL,
        says="i-1",
    ),
    # AMIs
    Case(
        "private ami",
        "ec2_ami_not_public",
        MachineImage("ami-1", f"arn:aws:ec2:{REGION}::image/ami-1", REGION, "golden", False),
        PASS,
    ),
    Case(
        "public ami",
        "ec2_ami_not_public",
        MachineImage("ami-1", f"arn:aws:ec2:{REGION}::image/ami-1", REGION, "golden", True),
        FAIL,
    ),
    # EC2.25 and launch-template IMDSv2
    Case("template without public ip", "ec2_launch_template_no_public_ip", template(False), PASS),
    Case("template with public ip", "ec2_launch_template_no_public_ip", template(True), FAIL),
    Case("template imdsv2", "ec2_launch_template_imdsv2_required", template(), PASS),
    Case("template imdsv1", "ec2_launch_template_imdsv2_required", template(tokens="optional"), FAIL),
    Case(
        "template unset", "ec2_launch_template_imdsv2_required", template(tokens=None), FAIL, says="not set"
    ),
]

CASES += [
    # ELB.2 / ELB.3 / ELB.8
    Case(
        "acm certificate",
        "elb_ssl_listeners_use_acm_certificate",
        clb(ClassicListener("HTTPS", 443, ACM_CERT)),
        PASS,
    ),
    Case(
        "iam certificate",
        "elb_ssl_listeners_use_acm_certificate",
        clb(ClassicListener("SSL", 443, IAM_CERT)),
        FAIL,
    ),
    Case("https only", "elb_listeners_encrypted", clb(ClassicListener("HTTPS", 443, ACM_CERT)), PASS),
    Case("http listener", "elb_listeners_encrypted", clb(ClassicListener("HTTP", 80)), FAIL, says="HTTP:80"),
    Case(
        "tls 1.2 policy",
        "elb_ssl_listeners_strong_security_policy",
        clb(ClassicListener("HTTPS", 443, ACM_CERT, TLS12)),
        PASS,
    ),
    Case(
        "old policy",
        "elb_ssl_listeners_strong_security_policy",
        clb(ClassicListener("HTTPS", 443, ACM_CERT, "ELBSecurityPolicy-2016-08")),
        FAIL,
        says="2016-08",
    ),
    # ELB.5 / ELB.7 / ELB.9 / ELB.10 / ELB.14
    Case("clb logs", "elb_logging_enabled", clb(access_logs=True), PASS),
    Case("clb no logs", "elb_logging_enabled", clb(), FAIL),
    Case("draining", "elb_connection_draining_enabled", clb(connection_draining=True), PASS),
    Case("no draining", "elb_connection_draining_enabled", clb(), FAIL),
    Case("cross zone", "elb_cross_zone_load_balancing_enabled", clb(cross_zone=True), PASS),
    Case("no cross zone", "elb_cross_zone_load_balancing_enabled", clb(), FAIL),
    Case("two zones", "elb_multiple_availability_zones", clb(), PASS),
    Case("one zone", "elb_multiple_availability_zones", clb(zones=("eu-west-1a",)), FAIL),
    Case("clb defensive", "elb_desync_mitigation_mode", clb(), PASS),
    Case("clb monitor", "elb_desync_mitigation_mode", clb(desync_mode="monitor"), FAIL),
    # ELB.1 / ELB.4 / ELB.5 / ELB.6 / ELB.12 / ELB.13
    Case(
        "http redirects", "elbv2_alb_http_redirects_to_https", alb(REDIRECT, ListenerV2("HTTPS", 443)), PASS
    ),
    Case("https only alb", "elbv2_alb_http_redirects_to_https", alb(ListenerV2("HTTPS", 443)), PASS),
    Case("http forwards", "elbv2_alb_http_redirects_to_https", alb(FORWARD), FAIL, says="HTTP:80"),
    Case(
        "drops invalid headers",
        "elbv2_alb_drop_invalid_header_fields",
        alb(routing__http__drop_invalid_header_fields__enabled="true"),
        PASS,
    ),
    Case("keeps invalid headers (absent = default)", "elbv2_alb_drop_invalid_header_fields", alb(), FAIL),
    Case("alb logs", "elbv2_alb_logging_enabled", alb(access_logs__s3__enabled="true"), PASS),
    Case("alb no logs", "elbv2_alb_logging_enabled", alb(access_logs__s3__enabled="false"), FAIL),
    Case(
        "nlb protected",
        "elbv2_deletion_protection_enabled",
        alb(kind="network", deletion_protection__enabled="true"),
        PASS,
    ),
    Case("alb unprotected", "elbv2_deletion_protection_enabled", alb(), FAIL),
    Case(
        "alb strictest",
        "elbv2_alb_desync_mitigation_mode",
        alb(routing__http__desync_mitigation_mode="strictest"),
        PASS,
    ),
    Case(
        "alb monitor",
        "elbv2_alb_desync_mitigation_mode",
        alb(routing__http__desync_mitigation_mode="monitor"),
        FAIL,
    ),
    Case("alb two zones", "elbv2_multiple_availability_zones", alb(), PASS),
    Case("alb one zone", "elbv2_multiple_availability_zones", alb(zones=1), FAIL),
    # AutoScaling.1 / .2 / .6 / .9
    Case("elb health check", "autoscaling_group_elb_health_check", asg(target_group_arns=("tg",)), PASS),
    Case(
        "ec2 health check behind clb",
        "autoscaling_group_elb_health_check",
        asg(load_balancer_names=("legacy",), health_check_type="EC2"),
        FAIL,
    ),
    Case("asg two zones", "autoscaling_group_multiple_availability_zones", asg(), PASS),
    Case(
        "asg one zone",
        "autoscaling_group_multiple_availability_zones",
        asg(availability_zones=("eu-west-1a",)),
        FAIL,
    ),
    Case(
        "two types",
        "autoscaling_group_multiple_instance_types",
        asg(instance_types=("t3.micro", "t3a.micro")),
        PASS,
    ),
    Case("one type", "autoscaling_group_multiple_instance_types", asg(instance_types=("t3.micro",)), FAIL),
    Case("launch template", "autoscaling_group_uses_launch_template", asg(launch_template="web-lt"), PASS),
    Case(
        "mixed policy template",
        "autoscaling_group_uses_launch_template",
        asg(mixed_instances_template="lt"),
        PASS,
    ),
    Case(
        "launch configuration", "autoscaling_group_uses_launch_template", asg(launch_configuration="lc"), FAIL
    ),
    # AutoScaling.3 / .5
    Case(
        "lc imdsv2", "autoscaling_launch_configuration_imdsv2_required", launch_config("required", None), PASS
    ),
    Case(
        "lc imdsv1", "autoscaling_launch_configuration_imdsv2_required", launch_config("optional", None), FAIL
    ),
    Case("lc unset", "autoscaling_launch_configuration_imdsv2_required", launch_config(None, None), FAIL),
    Case("lc private", "autoscaling_launch_configuration_no_public_ip", launch_config(None, False), PASS),
    Case("lc public", "autoscaling_launch_configuration_no_public_ip", launch_config(None, True), FAIL),
]


def bpa(kind: str, state: str) -> BlockPublicAccessState:
    return BlockPublicAccessState(f"{ARN}:{kind}-block-public-access", REGION, ACCOUNT, kind, state)


PUBLIC_SNAP = EbsSnapshot(
    "snap-1", f"arn:aws:ec2:{REGION}::snapshot/snap-1", REGION, "snap-1", False, ("all",)
)
VPN_ARN = f"{ARN}:vpn-connection/vpn-1"
CASES += [
    # snapshot and AMI block public access (no FSBP/CIS id claimed)
    Case(
        "snapshots block all",
        "ec2_ebs_snapshot_block_public_access_enabled",
        bpa("snapshots", "block-all-sharing"),
        PASS,
    ),
    Case(
        "snapshots block new",
        "ec2_ebs_snapshot_block_public_access_enabled",
        bpa("snapshots", "block-new-sharing"),
        PASS,
    ),
    Case(
        "snapshots unblocked",
        "ec2_ebs_snapshot_block_public_access_enabled",
        bpa("snapshots", "unblocked"),
        FAIL,
    ),
    Case("amis block new", "ec2_ami_block_public_access_enabled", bpa("images", "block-new-sharing"), PASS),
    Case("amis unblocked", "ec2_ami_block_public_access_enabled", bpa("images", "unblocked"), FAIL),
    Case(
        "public snapshot, block-all-sharing",
        "ec2_ebs_snapshot_not_public",
        PUBLIC_SNAP,
        FAIL,
        {"ec2.snapshot_block_public_access": (bpa("snapshots", "block-all-sharing"),)},
    ),
    # EC2.20
    Case(
        "both tunnels up",
        "ec2_vpn_connection_both_tunnels_up",
        VpnConnection(
            "vpn-1", VPN_ARN, REGION, "vpn-1", "available", (VpnTunnel("a", "UP"), VpnTunnel("b", "UP"))
        ),
        PASS,
    ),
    Case(
        "one tunnel down",
        "ec2_vpn_connection_both_tunnels_up",
        VpnConnection(
            "vpn-1",
            VPN_ARN,
            REGION,
            "vpn-1",
            "available",
            (VpnTunnel("a", "UP"), VpnTunnel("198.51.100.9", "DOWN")),
        ),
        FAIL,
        says="198.51.100.9",
    ),
]

SILENT_CASES: list[tuple[str, Any]] = [
    ("elb_ssl_listeners_use_acm_certificate", clb(ClassicListener("HTTP", 80))),
    ("elb_listeners_encrypted", clb()),
    ("elbv2_alb_http_redirects_to_https", alb(FORWARD, kind="network")),
    ("autoscaling_group_elb_health_check", asg(health_check_type="EC2")),
    (DEFAULT_SG, group("web")),
    (UNUSED_SG, group("default")),
    (
        "ec2_ebs_attached_volume_encrypted",
        EbsVolume("vol-1", f"{ARN}:volume/vol-1", REGION, "spare", False, "available"),
    ),
]
