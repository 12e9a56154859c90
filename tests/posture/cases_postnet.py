"""PASS and FAIL cases for the checks the postnet audit added: VPC interface endpoints, VPC Block
Public Access, VPN and Client VPN logging, ENI source/destination checking, Spot Fleet and launch
template EBS encryption, ALB/NLB listener TLS, ECS clusters, services, task sets and logging."""

from __future__ import annotations

from dataclasses import replace

from soryoku.inventory.cloudfront import CloudFrontOrigin
from soryoku.inventory.ec2_network import (
    ClientVpnEndpoint,
    NetworkInterface,
    Vpc,
    VpcBlockPublicAccess,
    VpnConnection,
)
from soryoku.inventory.ec2_storage import LaunchTemplate, SpotFleetRequest
from soryoku.inventory.ecs import EcsCluster, EcsContainer, EcsService, EcsTaskDefinition, EcsTaskSet
from soryoku.inventory.elb import ListenerV2, LoadBalancerV2

from .cases import ACCOUNT, FAIL, PASS, REGION, Case
from .cases_apps_edge import dist

ARN = f"arn:aws:ec2:{REGION}:{ACCOUNT}"
ENDPOINT_CHECKS = {
    "vpc_endpoint_for_ecr_api_enabled": "ecr.api",
    "vpc_endpoint_for_ecr_dkr_enabled": "ecr.dkr",
    "vpc_endpoint_for_ssm_enabled": "ssm",
    "vpc_endpoint_for_ssm_contacts_enabled": "ssm-contacts",
    "vpc_endpoint_for_ssm_incidents_enabled": "ssm-incidents",
}


def vpc(*services: str) -> Vpc:
    names = tuple(f"com.amazonaws.{REGION}.{s}" for s in services)
    return Vpc("vpc-1", f"{ARN}:vpc/vpc-1", REGION, "main", False, (), names)


def bpa(mode: str) -> VpcBlockPublicAccess:
    return VpcBlockPublicAccess(f"{ARN}:vpc-block-public-access", REGION, ACCOUNT, mode)


def vpn(*logging: bool) -> VpnConnection:
    return VpnConnection("vpn-1", f"{ARN}:vpn-connection/vpn-1", REGION, "vpn-1", "available", (), logging)


def eni(check: bool, kind: str = "interface") -> NetworkInterface:
    return NetworkInterface("eni-1", f"{ARN}:network-interface/eni-1", REGION, "eni-1", "in-use",
                            ("sg-1",), "i-1", check, kind)  # fmt: skip


def fleet(*encrypted: bool | None, specifications: bool = True) -> SpotFleetRequest:
    return SpotFleetRequest("sfr-1", f"{ARN}:spot-fleet-request/sfr-1", REGION, "sfr-1", "active",
                            specifications, encrypted)  # fmt: skip


def template(*encrypted: bool | None) -> LaunchTemplate:
    return LaunchTemplate("lt-1", f"{ARN}:launch-template/lt-1", REGION, "web-lt", 1, ebs_encrypted=encrypted)


def lb(*listeners: ListenerV2, kind: str = "application") -> LoadBalancerV2:
    arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/web/1"
    return LoadBalancerV2("web", arn, REGION, kind, ("eu-west-1a", "eu-west-1b"), listeners)


GOOD_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
OLD_POLICY = "ELBSecurityPolicy-2016-08"
ECS_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}"
SERVICE = EcsService(f"{ECS_ARN}:service/main/web", REGION, "web", f"{ECS_ARN}:cluster/main", "FARGATE",
                     "1.4.0", "Linux", False)  # fmt: skip
TASK = EcsTaskDefinition(f"{ECS_ARN}:task-definition/web:3", REGION, "web:3", "awsvpc", None,
                         (EcsContainer("web", False, "1000", True, (), "awslogs"),))  # fmt: skip


def cluster(insights: str) -> EcsCluster:
    return EcsCluster(f"{ECS_ARN}:cluster/main", REGION, "main", insights)


def task_set(public: bool) -> EcsTaskSet:
    return EcsTaskSet("ecs-svc/1", f"{ECS_ARN}:task-set/main/web/ecs-svc/1", public)


BPA = "ec2_vpc_block_public_access_igw_blocked"
CLIENT_VPN = "ec2_client_vpn_endpoint_connection_logging"
SRC_DST = "ec2_network_interface_source_dest_check_enabled"
FLEET = "ec2_spot_fleet_request_ebs_encrypted"
LT_EBS = "ec2_launch_template_ebs_encrypted"
VPN_LOGS = "ec2_vpn_connection_logging_enabled"
CVPN_ARN = f"{ARN}:client-vpn-endpoint/cvpn-endpoint-1"


CASES: list[Case] = [
    *(Case(f"endpoint for {svc}", cid, vpc(svc), PASS) for cid, svc in ENDPOINT_CHECKS.items()),
    *(Case(f"FIPS endpoint {svc}", cid, vpc(f"{svc}-fips"), PASS) for cid, svc in ENDPOINT_CHECKS.items()),
    *(Case(f"EC2 endpoint only {s}", cid, vpc("ec2"), FAIL, says=s) for cid, s in ENDPOINT_CHECKS.items()),
    Case("BPA bidirectional", BPA, bpa("block-bidirectional"), PASS),
    Case("BPA ingress", BPA, bpa("block-ingress"), PASS),
    Case("BPA off", BPA, bpa("off"), FAIL, says="InternetGatewayBlockMode=off"),
    Case("both tunnels log", VPN_LOGS, vpn(True, True), PASS),
    Case("one tunnel logs", VPN_LOGS, vpn(True, False), FAIL, says="1 of 2"),
    Case("client VPN logs", CLIENT_VPN,
         ClientVpnEndpoint("cvpn-endpoint-1", CVPN_ARN, REGION, "c", True), PASS),
    Case("client VPN silent", CLIENT_VPN,
         ClientVpnEndpoint("cvpn-endpoint-1", CVPN_ARN, REGION, "c", False), FAIL),
    Case("source/dest check on", SRC_DST, eni(True), PASS),
    Case("NAT instance ENI", SRC_DST, eni(False), FAIL, says="disabled"),
    Case("fleet encrypts", FLEET, fleet(True, None), PASS),
    Case("fleet unencrypted volume", FLEET, fleet(True, False), FAIL, says="1 unencrypted"),
    Case("template encrypts", LT_EBS, template(True), PASS),
    Case("template Encrypted=false", LT_EBS, template(None, False), FAIL, says="1 EBS"),
    Case("recommended TLS policy", "elbv2_listener_recommended_tls_policy",
         lb(ListenerV2("HTTPS", 443, GOOD_POLICY)), PASS),
    Case("2016 TLS policy", "elbv2_listener_recommended_tls_policy",
         lb(ListenerV2("HTTPS", 443, OLD_POLICY)), FAIL, says=OLD_POLICY),
    Case("NLB TLS listener", "elbv2_listener_secure_protocol",
         lb(ListenerV2("TLS", 443, GOOD_POLICY), kind="network"), PASS),
    Case("ALB HTTP redirect listener", "elbv2_listener_secure_protocol",
         lb(ListenerV2("HTTPS", 443, GOOD_POLICY), ListenerV2("HTTP", 80, None, ("redirect",), "HTTPS")),
         FAIL,
         says="HTTP:80"),
    Case("insights on", "ecs_cluster_container_insights_enabled", cluster("enhanced"), PASS),
    Case("insights off", "ecs_cluster_container_insights_enabled", cluster("disabled"), FAIL),
    Case("private service", "ecs_service_no_public_ip", SERVICE, PASS),
    Case("public service", "ecs_service_no_public_ip", replace(SERVICE, assign_public_ip=True), FAIL),
    Case("private task set", "ecs_task_set_no_public_ip", replace(SERVICE, task_sets=(task_set(False),)),
         PASS),
    Case("public task set", "ecs_task_set_no_public_ip", replace(SERVICE, task_sets=(task_set(True),)), FAIL,
         says="ecs-svc/1"),
    Case("Fargate 1.4.0", "ecs_fargate_service_latest_platform_version", SERVICE, PASS),
    Case("Fargate LATEST windows", "ecs_fargate_service_latest_platform_version",
         replace(SERVICE, platform_version="LATEST", platform_family="WINDOWS_SERVER_2019_CORE"), PASS),
    Case("Fargate 1.3.0", "ecs_fargate_service_latest_platform_version",
         replace(SERVICE, platform_version="1.3.0"), FAIL, says="1.3.0"),
    Case("logging configured", "ecs_task_definition_logging_configured", TASK, PASS),
    Case("no log driver", "ecs_task_definition_logging_configured",
         replace(TASK, containers=(EcsContainer("web", False, "1000", True, ()),)), FAIL, says="web"),
]  # fmt: skip

IKE = "ec2_vpn_connection_ikev2_only"


def ike(*tunnels: tuple[str, ...]) -> VpnConnection:
    return replace(vpn(True, True), tunnel_ike_versions=tunnels)


CASES += [
    Case("IKEv2 only", IKE, ike(("ikev2",), ("ikev2",)), PASS),
    Case("IKEv1 allowed", IKE, ike(("ikev2",), ("ikev1", "ikev2")), FAIL, says="tunnel(s) 2"),
    Case("IKE not restricted", IKE, ike((), ("ikev2",)), FAIL, says="tunnel(s) 1"),
]

FN_URL = "abcdefgh.lambda-url.us-east-1.on.aws"
LAMBDA_OAC = "cloudfront_distribution_lambda_url_origin_access_control"


def fn_origin(oac: str | None) -> CloudFrontOrigin:
    return CloudFrontOrigin("fn", FN_URL, "custom", "https-only", ("TLSv1.2",), None, oac, None, None)


CASES += [
    Case("function URL behind OAC", LAMBDA_OAC, dist(origins=(fn_origin("oac-fn"),)), PASS),
    Case("function URL open", LAMBDA_OAC, dist(origins=(fn_origin(None),)), FAIL, says="fn"),
]

SILENT_CASES = [
    (LAMBDA_OAC, dist()),
    (SRC_DST, eni(False, "nat_gateway")),
    (FLEET, fleet(False, specifications=False)),
    (FLEET, fleet(None)),
    (LT_EBS, template(None)),
    ("elbv2_listener_recommended_tls_policy", lb(ListenerV2("HTTP", 80))),
    ("elbv2_listener_secure_protocol", lb(ListenerV2("GENEVE", 6081), kind="gateway")),
    ("ecs_task_set_no_public_ip", SERVICE),
    (
        "ecs_fargate_service_latest_platform_version",
        replace(SERVICE, launch_type="EC2", platform_version=None),
    ),
]
