"""Effective exposure through network ACLs: inbound entries by rule number, first match decides,
``-1`` = every protocol, port ranges, IPv4 and IPv6 apart; unknown stays unknown; one case through moto."""

from __future__ import annotations

import boto3
from tests.posture.test_exposure import TO_IGW, table

from soryoku.core.finding import ResultStatus
from soryoku.inventory.ec2 import Ec2Instance
from soryoku.inventory.ec2_network import NaclEntry, NetworkAcl
from soryoku.posture.checks._exposure import (
    NETWORK_ACLS,
    ROUTE_TABLES,
    NaclReach,
    RouteReach,
    address_exposure,
    exposure_text,
    internet_nacl,
)
from soryoku.posture.engine import PostureOptions, run_posture
from soryoku.posture.registry import CHECKS
from soryoku.posture.results import CheckContext

ALLOW_ALL = NaclEntry(100, "-1", "allow", False, cidr="0.0.0.0/0")
ALLOW_ALL_V6 = NaclEntry(101, "-1", "allow", False, ipv6_cidr="::/0")
DENY_REST = NaclEntry(32767, "-1", "deny", False, cidr="0.0.0.0/0")
DENY_REST_V6 = NaclEntry(32768, "-1", "deny", False, ipv6_cidr="::/0")


def acl(acl_id: str, *entries: NaclEntry, default: bool = False, subnets: tuple[str, ...] = ()) -> NetworkAcl:
    return NetworkAcl(acl_id, f"arn:aws:ec2:eu-west-1:1:network-acl/{acl_id}", "eu-west-1", acl_id,
                      "vpc-1", default, entries, subnets)  # fmt: skip


def deny(rule: int, low: int, high: int, cidr: str = "0.0.0.0/0", protocol: str = "6") -> NaclEntry:
    v6 = ":" in cidr
    return NaclEntry(rule, protocol, "deny", False, cidr=None if v6 else cidr, ipv6_cidr=cidr if v6 else None,
                     from_port=low, to_port=high)  # fmt: skip


def allow(rule: int, low: int, high: int, cidr: str = "0.0.0.0/0") -> NaclEntry:
    return NaclEntry(rule, "6", "allow", False, cidr=cidr, from_port=low, to_port=high)


def test_the_allow_all_default_acl_admits_the_internet() -> None:
    reach = internet_nacl(["subnet-a"], "vpc-1", [acl("acl-d", ALLOW_ALL, DENY_REST, default=True)], 5432)
    assert reach.reachable is True and "acl-d" in reach.detail and "rule 100 allows 0.0.0.0/0" in reach.detail


def test_the_first_matching_entry_decides_deny_before_allow() -> None:
    acls = [acl("acl-1", ALLOW_ALL, deny(50, 5432, 5432), DENY_REST, subnets=("subnet-a",))]
    reach = internet_nacl(["subnet-a"], "vpc-1", acls, 5432)
    assert reach.reachable is False
    assert reach.detail == (
        "network ACL acl-1 of subnet(s) subnet-a (rule 50 denies 0.0.0.0/0; no entry admits ::/0) "
        "denies inbound port 5432 from the internet"
    )
    # Another port is not covered by the deny entry: the allow-all entry after it decides.
    assert internet_nacl(["subnet-a"], "vpc-1", acls, 22).reachable is True
    # An allow entry numbered before the deny wins.
    earlier = [acl("acl-1", allow(10, 5000, 6000), deny(50, 5432, 5432), DENY_REST, subnets=("subnet-a",))]
    assert internet_nacl(["subnet-a"], "vpc-1", earlier, 5432).reachable is True


def test_a_narrower_public_allow_is_part_of_the_internet_a_private_one_is_not() -> None:
    public = acl("acl-1", allow(10, 0, 65535, "52.94.76.0/22"), DENY_REST, subnets=("subnet-a",))
    reach = internet_nacl(["subnet-a"], "vpc-1", [public], 443)
    assert reach.reachable is True and "52.94.76.0/22" in reach.detail
    private = acl("acl-1", allow(10, 0, 65535, "10.0.0.0/8"), DENY_REST, subnets=("subnet-a",))
    assert internet_nacl(["subnet-a"], "vpc-1", [private], 443).reachable is False


def test_ipv6_is_judged_apart_from_ipv4() -> None:
    v4_denied = (deny(10, 0, 65535), ALLOW_ALL, ALLOW_ALL_V6, DENY_REST, DENY_REST_V6)
    reach = internet_nacl(["subnet-a"], "vpc-1", [acl("acl-1", *v4_denied, subnets=("subnet-a",))], 443)
    assert reach.reachable is True and "rule 101 allows ::/0" in reach.detail
    both = (deny(10, 0, 65535), deny(11, 0, 65535, "::/0"), ALLOW_ALL, ALLOW_ALL_V6, DENY_REST, DENY_REST_V6)
    reach = internet_nacl(["subnet-a"], "vpc-1", [acl("acl-1", *both, subnets=("subnet-a",))], 443)
    assert reach.reachable is False and "rule 11 denies ::/0" in reach.detail


def test_an_explicit_association_decides_before_the_default_acl() -> None:
    acls = [acl("acl-d", ALLOW_ALL, default=True), acl("acl-x", DENY_REST, subnets=("subnet-a",))]
    assert internet_nacl(["subnet-a"], "vpc-1", acls, 80).reachable is False
    assert internet_nacl(["subnet-b"], "vpc-1", acls, 80).reachable is True
    # One subnet of several admitting the internet is enough.
    assert internet_nacl(["subnet-a", "subnet-b"], "vpc-1", acls, 80).reachable is True


def test_other_protocols_and_egress_entries_do_not_decide_tcp_ingress() -> None:
    entries = (
        deny(10, 0, 65535, protocol="17"),  # UDP
        NaclEntry(20, "-1", "deny", True, cidr="0.0.0.0/0"),  # egress
        ALLOW_ALL,
        DENY_REST,
    )
    assert internet_nacl(["subnet-a"], "vpc-1", [acl("acl-1", *entries, subnets=("subnet-a",))], 53).reachable


def test_any_traffic_is_denied_only_by_an_all_protocol_deny() -> None:
    partial = acl("acl-1", deny(10, 0, 65535), ALLOW_ALL, DENY_REST, subnets=("subnet-a",))
    assert internet_nacl(["subnet-a"], "vpc-1", [partial], None).reachable is True
    deny_all = NaclEntry(10, "-1", "deny", False, cidr="0.0.0.0/0")
    total = acl("acl-1", deny_all, ALLOW_ALL, subnets=("subnet-a",))
    reach = internet_nacl(["subnet-a"], "vpc-1", [total], None)
    assert reach.reachable is False and "inbound any traffic" in reach.detail


def test_unknown_subnets_or_acls_leave_reachability_open() -> None:
    assert internet_nacl([], "vpc-1", [acl("acl-d", DENY_REST, default=True)], 80).reachable is None
    reach = internet_nacl(["subnet-a"], "vpc-2", [acl("acl-d", DENY_REST, default=True)], 80)
    assert reach.reachable is None and "no network ACL found for subnet(s) subnet-a" in reach.detail


def test_exposure_text_names_the_denying_acl_and_keeps_unknown_honest() -> None:
    routed = RouteReach(True, "subnet subnet-a routes to igw-1 (rtb-1)")
    denied = NaclReach(False, "network ACL acl-1: rule 50 denies 0.0.0.0/0 ...")
    text = exposure_text(["sg-1:0.0.0.0/0"], 5432, routed, denied)
    assert text.startswith("not reachable from the internet: network ACL acl-1") and "sg-1:0.0.0.0/0" in text
    unknown = exposure_text(["sg-1:0.0.0.0/0"], 5432, routed, NaclReach(None, "network ACLs not collected"))
    assert unknown.startswith("reachable from the internet on port 5432")
    assert unknown.endswith("network ACL not verified (network ACLs not collected)")
    admitted = exposure_text(["sg-1:0.0.0.0/0"], 5432, routed, NaclReach(True, "network ACL acl-d admits"))
    assert "acl-d admits" in admitted and "ephemeral ports is not checked" in admitted
    # A missing route is named first; the ACL does not make a route-less subnet reachable.
    closed = RouteReach(False, "subnet(s) subnet-a (rtb-1) have no route to an internet gateway")
    assert "no route" in exposure_text(["sg-1:0.0.0.0/0"], 5432, closed, NaclReach(True, "admits"))
    address = address_exposure("203.0.113.9", routed, denied)
    assert address == "public IPv4 203.0.113.9 is not reachable from the internet: " + denied.detail
    assert "not verified (network ACLs unavailable" in address_exposure(
        "203.0.113.9", routed, NaclReach(None, "network ACLs unavailable (access denied)")
    )


def test_the_public_ip_check_reads_the_optional_acl_collector_and_its_failure() -> None:
    arn = "arn:aws:ec2:eu-west-1:1:instance/i-1"
    instance = Ec2Instance("i-1", arn, "eu-west-1", "running", "required", "enabled", public_ip="203.0.113.9",
                           subnet_id="subnet-a", vpc_id="vpc-1")  # fmt: skip
    check = CHECKS.get("ec2_instance_public_ip")
    assert NETWORK_ACLS in check.optional_collectors
    related = {
        ROUTE_TABLES: (table("rtb-main", TO_IGW, main=True),),
        NETWORK_ACLS: (acl("acl-d", NaclEntry(10, "-1", "deny", False, cidr="0.0.0.0/0"), default=True),),
    }
    (result,) = check.run(instance, CheckContext("1", "eu-west-1", related=related))
    assert result.status is ResultStatus.FAIL and result.exposure is not None
    assert result.exposure.startswith("public IPv4 203.0.113.9 is not reachable")
    assert "network ACL acl-d of subnet(s) subnet-a" in result.exposure
    failed_acls = CheckContext("1", "eu-west-1", related={ROUTE_TABLES: related[ROUTE_TABLES]},
                               unavailable={NETWORK_ACLS: "access denied"})  # fmt: skip
    (result,) = check.run(instance, failed_acls)
    assert result.status is ResultStatus.FAIL and result.exposure is not None
    assert result.exposure.startswith("public IPv4 203.0.113.9 is routable")
    assert "network ACLs unavailable (access denied)" in result.exposure


def test_a_deny_entry_on_the_subnet_acl_makes_a_public_db_instance_unreachable(aws: str) -> None:
    ec2, rds = boto3.client("ec2"), boto3.client("rds")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.30.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"][
            "SubnetId"
        ]
        for i, z in ((1, "a"), (2, "b"))
    ]
    group = ec2.create_security_group(GroupName="db-open", Description="db", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    main = ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}]
    )["RouteTables"][0]["RouteTableId"]
    ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    rds.create_db_subnet_group(DBSubnetGroupName="public", DBSubnetGroupDescription="p", SubnetIds=subnets)
    rds.create_db_instance(
        DBInstanceIdentifier="acl-guarded",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="app",
        MasterUserPassword="not-a-real-password-1",
        AllocatedStorage=20,
        PubliclyAccessible=True,
        DBSubnetGroupName="public",
        VpcSecurityGroupIds=[group],
        Port=5432,
    )

    def exposure() -> str:
        options = PostureOptions(regions=("us-east-1",), checks=("rds_instance_no_public_access",))
        (result,) = run_posture(options)
        (finding,) = [f for f in result.findings if "acl-guarded" in (f.message or "")]
        assert finding.status_code is ResultStatus.FAIL  # the verdict never changes
        return str((finding.unmapped or {})["exposure"])

    before = exposure()
    assert before.startswith("reachable from the internet on port 5432") and igw in before
    default_acl = ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "default", "Values": ["true"]}]
    )["NetworkAcls"][0]["NetworkAclId"]
    assert f"network ACL {default_acl}" in before and "rule 100 allows 0.0.0.0/0" in before
    ec2.create_network_acl_entry(NetworkAclId=default_acl, RuleNumber=50, Protocol="6", RuleAction="deny",
                                 Egress=False, CidrBlock="0.0.0.0/0",
                                 PortRange={"From": 5000, "To": 6000})  # fmt: skip
    after = exposure()
    assert after.startswith(f"not reachable from the internet: network ACL {default_acl}")
    assert "rule 50 denies 0.0.0.0/0" in after and "denies inbound port 5432" in after
    assert f"{group}:0.0.0.0/0" in after
