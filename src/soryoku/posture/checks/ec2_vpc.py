"""EC2 VPC checks beyond the basics: interface endpoints for ECR and Systems Manager, VPC Block Public
Access, VPN tunnel and Client VPN logging, IKEv2-only tunnels, network-interface source/destination
checking, and the EBS encryption of Spot Fleet launch specifications."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.ec2_network import (
    ClientVpnEndpoint,
    NetworkInterface,
    Vpc,
    VpcBlockPublicAccess,
    VpnConnection,
)
from soryoku.inventory.ec2_storage import SpotFleetRequest
from soryoku.posture.registry import CheckFunction, check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

# The endpoint service each FSBP control asks for (its serviceNames parameter, not customizable).
INTERFACE_ENDPOINTS = {
    "vpc_endpoint_for_ecr_api_enabled": ("ecr.api", "ECR API"),
    "vpc_endpoint_for_ecr_dkr_enabled": ("ecr.dkr", "Docker Registry"),
    "vpc_endpoint_for_ssm_enabled": ("ssm", "Systems Manager"),
    "vpc_endpoint_for_ssm_contacts_enabled": ("ssm-contacts", "Systems Manager Incident Manager Contacts"),
    "vpc_endpoint_for_ssm_incidents_enabled": ("ssm-incidents", "Systems Manager Incident Manager"),
}
# EC2.180 judges only user-managed interface types.
USER_MANAGED_INTERFACE_TYPES = frozenset(
    {"aws_codestar_connections_managed", "branch", "efa", "interface", "lambda", "quicksight"}
)
IGW_BLOCKING_MODES = frozenset({"block-bidirectional", "block-ingress"})


def has_endpoint(vpc: Vpc, service: str) -> str | None:
    """The VPC's available endpoint service name for ``service`` (its FIPS variant counts too)."""
    wanted = {f"com.amazonaws.{vpc.region}.{service}", f"com.amazonaws.{vpc.region}.{service}-fips"}
    return next((name for name in vpc.endpoint_services if name in wanted), None)


def _endpoint_check(check_id: str, service: str, label: str) -> CheckFunction:
    def evaluate(vpc: Vpc, ctx: CheckContext) -> CheckResult:
        found = has_endpoint(vpc, service)
        if found:
            return passed(f"VPC {vpc.vpc_id} has a VPC endpoint for {label} ({found}).")
        return failed(
            f"VPC {vpc.vpc_id} ({vpc.name}) has no VPC endpoint for {label} "
            f"(com.amazonaws.{vpc.region}.{service})."
        )

    evaluate.__name__ = check_id
    evaluate.__doc__ = f"FAIL when the VPC has no available endpoint for {label} ({service})."
    return evaluate


for _check_id, (_service, _label) in INTERFACE_ENDPOINTS.items():
    check(
        _check_id,
        service="ec2",
        resource_type="AwsEc2Vpc",
        severity=Severity.MEDIUM,
        collectors=("ec2.vpcs",),
    )(_endpoint_check(_check_id, _service, _label))


@check(
    "ec2_vpc_block_public_access_igw_blocked",
    service="ec2",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=("ec2.vpc_block_public_access",),
)
def vpc_block_public_access(setting: VpcBlockPublicAccess, ctx: CheckContext) -> CheckResult:
    """FAIL unless VPC Block Public Access blocks internet gateway traffic (bidirectional or ingress)."""
    mode = setting.internet_gateway_block_mode
    if mode in IGW_BLOCKING_MODES:
        return passed(f"VPC Block Public Access is {mode} in {setting.region}.")
    return failed(f"VPC Block Public Access does not block internet gateway traffic in {setting.region} "
                  f"(InternetGatewayBlockMode={mode}).")  # fmt: skip


@check(
    "ec2_vpn_connection_logging_enabled",
    service="ec2",
    resource_type="AwsEc2VpnConnection",
    severity=Severity.MEDIUM,
    collectors=("ec2.vpn_connections",),
)
def vpn_logging(connection: VpnConnection, ctx: CheckContext) -> CheckResult:
    """FAIL unless both tunnels log to CloudWatch Logs; NOT_EVALUATED when no tunnel options are
    reported (the answer cannot tell logging off from unknown)."""
    name = connection.vpn_connection_id
    if not connection.tunnel_logging:
        return CheckResult(
            ResultStatus.NOT_EVALUATED,
            f"VPN connection {name} reports no tunnel options (Options.TunnelOptions).",
        )
    logged = sum(connection.tunnel_logging)
    if logged == len(connection.tunnel_logging) >= 2:
        return passed(f"VPN connection {name} logs both tunnels to CloudWatch Logs.")
    return failed(f"VPN connection {name} logs {logged} of {len(connection.tunnel_logging)} tunnel(s) "
                  "to CloudWatch Logs; both should.")  # fmt: skip


@check(
    "ec2_client_vpn_endpoint_connection_logging",
    service="ec2",
    resource_type="AwsEc2ClientVpnEndpoint",
    severity=Severity.LOW,
    collectors=("ec2.client_vpn_endpoints",),
)
def client_vpn_logging(endpoint: ClientVpnEndpoint, ctx: CheckContext) -> CheckResult:
    """FAIL when the Client VPN endpoint does not log client connections."""
    if endpoint.connection_logging:
        return passed(f"Client VPN endpoint {endpoint.endpoint_id} logs client connections.")
    return failed(f"Client VPN endpoint {endpoint.endpoint_id} does not log client connections.")


@check(
    "ec2_network_interface_source_dest_check_enabled",
    service="ec2",
    resource_type="AwsEc2NetworkInterface",
    severity=Severity.MEDIUM,
    collectors=("ec2.network_interfaces",),
)
def source_dest_check(interface: NetworkInterface, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when a user-managed interface has source/destination checking off (NAT gateways, VPC
    endpoints and other AWS-managed interface types get no verdict)."""
    if interface.interface_type not in USER_MANAGED_INTERFACE_TYPES:
        return []
    where = f" (instance {interface.instance_id})" if interface.instance_id else ""
    if interface.source_dest_check:
        return [passed(f"Network interface {interface.interface_id}{where} checks source/destination.")]
    return [failed(f"Network interface {interface.interface_id}{where} has source/destination checking "
                   "disabled.")]  # fmt: skip


@check(
    "ec2_spot_fleet_request_ebs_encrypted",
    service="ec2",
    resource_type="AwsEc2SpotFleetRequest",
    severity=Severity.MEDIUM,
    collectors=("ec2.spot_fleet_requests",),
)
def spot_fleet_encryption(request: SpotFleetRequest, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when a launch specification sets Encrypted=false on an EBS volume; requests built from
    launch templates, or that never set the value, get no verdict (as the control defines)."""
    stated = [value for value in request.ebs_encrypted if value is not None]
    if not request.uses_launch_specifications or not stated:
        return []
    plain = stated.count(False)
    if plain:
        return [
            failed(f"Spot Fleet request {request.request_id} launches {plain} unencrypted EBS volume(s).")
        ]
    return [passed(f"Spot Fleet request {request.request_id} encrypts every EBS volume it specifies.")]


@check(
    "ec2_vpn_connection_ikev2_only",
    service="ec2",
    resource_type="AwsEc2VpnConnection",
    severity=Severity.MEDIUM,
    collectors=("ec2.vpn_connections",),
)
def vpn_ikev2_only(connection: VpnConnection, ctx: CheckContext) -> CheckResult:
    """FAIL when a tunnel accepts IKEv1 or does not restrict itself to IKEv2 (no IkeVersions means both
    are allowed); NOT_EVALUATED when no tunnel options are reported."""
    name = connection.vpn_connection_id
    if not connection.tunnel_ike_versions:
        return CheckResult(
            ResultStatus.NOT_EVALUATED,
            f"VPN connection {name} reports no tunnel options (Options.TunnelOptions).",
        )
    loose = [
        str(i + 1) for i, versions in enumerate(connection.tunnel_ike_versions) if versions != ("ikev2",)
    ]
    if loose:
        return failed(
            f"VPN connection {name} tunnel(s) {', '.join(loose)} allow IKEv1 (not restricted to IKEv2)."
        )
    return passed(f"VPN connection {name} restricts every tunnel to IKEv2.")
