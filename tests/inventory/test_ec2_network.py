"""EC2 network collectors against the moto server: VPCs (flow logs, endpoints), subnets, NACLs,
network interfaces, transit gateways; and the extended security-group and instance models."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.ec2 import stopped_since_from
from soryoku.inventory.ec2_network import NaclEntry

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_vpcs_subnets_nacls_and_interfaces(aws: str) -> None:
    ec2 = boto3.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="REJECT",
        LogGroupName="vpc-flow-logs",
        DeliverLogsPermissionArn=f"arn:aws:iam::{ACCOUNT}:role/flow-logs",
    )
    ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.ec2", VpcEndpointType="Interface")
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="172.31.200.0/24")["Subnet"]["SubnetId"]
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 3389, "To": 3389},
    )
    ec2.create_tags(Resources=[acl], Tags=[{"Key": "Name", "Value": "rdp-open"}])
    (found,) = [v for v in collect("ec2.vpcs") if v.vpc_id == vpc]
    assert found.is_default and found.arn == f"arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/{vpc}"
    assert [(f.traffic_type, f.status) for f in found.flow_logs] == [("REJECT", "ACTIVE")]
    assert f"com.amazonaws.{REGION}.ec2" in found.endpoint_services
    subnets = {s.subnet_id: s for s in collect("ec2.subnets")}
    assert not subnets[subnet].map_public_ip_on_launch
    assert any(s.default_for_az and s.map_public_ip_on_launch for s in subnets.values())
    acls = {a.acl_id: a for a in collect("ec2.network_acls")}
    assert acls[acl].name == "rdp-open" and not acls[acl].is_default and acls[acl].subnet_ids == ()
    assert NaclEntry(100, "6", "allow", False, "0.0.0.0/0", None, 3389, 3389) in acls[acl].entries
    default_acl = next(a for a in acls.values() if a.is_default)
    assert default_acl.subnet_ids and [e.rule_number for e in default_acl.entries if not e.egress] == [
        100,
        32767,
    ]

    group = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    instance = ec2.run_instances(ImageId="ami-03cf127a", MinCount=1, MaxCount=1, SecurityGroupIds=[group])[
        "Instances"
    ][0]["InstanceId"]
    (interface,) = [n for n in collect("ec2.network_interfaces") if n.instance_id == instance]
    assert interface.security_group_ids == (group,) and interface.status == "in-use"
    (model,) = [i for i in collect("ec2.instances") if i.instance_id == instance]
    assert model.security_group_ids == (group,) and model.network_interface_ids == (interface.interface_id,)
    assert model.public_ip and model.virtualization_type == "hvm" and model.vpc_id == vpc
    groups = {g.name: g for g in collect("ec2.security_groups")}
    default = groups["default"]
    assert default.is_default and default.egress and default.egress[0].ipv4_ranges == ("0.0.0.0/0",)


def test_transit_gateways(aws: str) -> None:
    ec2 = boto3.client("ec2")
    ec2.create_transit_gateway(Options={"AutoAcceptSharedAttachments": "enable"})
    ec2.create_transit_gateway(Options={"AutoAcceptSharedAttachments": "disable"})
    assert sorted(t.auto_accept_shared_attachments for t in collect("ec2.transit_gateways")) == [False, True]


def test_stop_time_from_state_transition_reason() -> None:
    stopped = stopped_since_from("User initiated (2026-09-01 10:20:30 GMT)")
    assert stopped is not None and stopped.isoformat() == "2026-09-01T10:20:30+00:00"
    assert stopped_since_from("") is None


def test_vpn_connections_without_telemetry(aws: str) -> None:
    ec2 = boto3.client("ec2")
    customer = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.1", BgpAsn=65000)
    gateway = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    vpn = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=customer["CustomerGateway"]["CustomerGatewayId"],
        VpnGatewayId=gateway,
    )["VpnConnection"]["VpnConnectionId"]
    (connection,) = collect("ec2.vpn_connections")
    # moto reports no VgwTelemetry: the EC2.20 check then says NOT_EVALUATED rather than guessing.
    assert connection.vpn_connection_id == vpn and connection.tunnels == ()


def test_vpn_tunnel_logging_from_tunnel_options() -> None:
    from soryoku.inventory.ec2_network import vpn_connection_from

    logs = {"CloudWatchLogOptions": {"LogEnabled": True, "LogGroupArn": "arn:aws:logs:::log-group:vpn"}}
    item = {
        "VpnConnectionId": "vpn-1",
        "Options": {"TunnelOptions": [{"OutsideIpAddress": "1.1.1.1", "LogOptions": logs}, {}]},
    }
    assert vpn_connection_from(item, REGION, "aws", ACCOUNT).tunnel_logging == (True, False)
    item["Options"]["TunnelOptions"][1]["IkeVersions"] = [{"Value": "ikev2"}, {"Value": "ikev1"}]
    assert vpn_connection_from(item, REGION, "aws", ACCOUNT).tunnel_ike_versions == ((), ("ikev1", "ikev2"))


def test_interface_names_come_from_the_tag_set(aws: str) -> None:
    ec2 = boto3.client("ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    eni = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    ec2.create_tags(Resources=[eni], Tags=[{"Key": "Name", "Value": "nat"}])
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, SourceDestCheck={"Value": False})
    (found,) = [n for n in collect("ec2.network_interfaces") if n.interface_id == eni]
    assert found.name == "nat" and not found.source_dest_check and found.interface_type == "interface"


def test_client_vpn_and_vpc_block_public_access_fail_as_units_where_moto_lacks_them(aws: str) -> None:
    from soryoku.inventory.ec2_network import client_vpn_endpoint_from

    item = {"ClientVpnEndpointId": "cvpn-endpoint-1", "ConnectionLogOptions": {"Enabled": True}}
    assert client_vpn_endpoint_from(item, REGION, "aws", ACCOUNT).connection_logging
    from soryoku.posture.engine import PostureOptions, run_posture

    checks = ("ec2_client_vpn_endpoint_connection_logging", "ec2_vpc_block_public_access_igw_blocked")
    (result,) = run_posture(PostureOptions(regions=(REGION,), checks=checks, max_attempts=2))
    assert {g.checks for g in result.gaps} == {(c,) for c in checks}
    assert all(f.status_code.name == "NOT_EVALUATED" for f in result.findings)
