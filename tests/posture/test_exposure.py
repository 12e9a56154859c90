"""Effective exposure: security-group reach combined with the subnet's route to an internet gateway
(explicit association first, else the VPC's main table), and one case end to end through moto."""

from __future__ import annotations

import boto3

from soryoku.core.finding import ResultStatus
from soryoku.inventory.ec2_routes import Route, RouteTable
from soryoku.posture.checks._exposure import (
    ROUTE_TABLES,
    address_exposure,
    exposure_text,
    internet_route,
    route_reach,
)
from soryoku.posture.engine import PostureOptions, run_posture
from soryoku.posture.results import CheckContext

LOCAL = Route("10.0.0.0/16", "local")
TO_IGW = Route("0.0.0.0/0", "igw-1")


def table(table_id: str, *routes: Route, main: bool = False, subnets: tuple[str, ...] = ()) -> RouteTable:
    return RouteTable(table_id, f"arn:aws:ec2:eu-west-1:1:route-table/{table_id}", "eu-west-1", table_id,
                      "vpc-1", main, subnets, (LOCAL, *routes))  # fmt: skip


def test_an_explicit_association_decides_before_the_main_table() -> None:
    tables = (table("rtb-main", TO_IGW, main=True), table("rtb-private", subnets=("subnet-a",)))
    reach = internet_route(["subnet-a"], "vpc-1", tables)
    assert reach.reachable is False and "subnet-a (rtb-private)" in reach.detail


def test_a_subnet_without_association_uses_the_main_table() -> None:
    reach = internet_route(["subnet-b"], "vpc-1", (table("rtb-main", TO_IGW, main=True),))
    assert reach.reachable is True and "igw-1" in reach.detail and "rtb-main" in reach.detail
    isolated = internet_route(["subnet-b"], "vpc-1", (table("rtb-main", main=True),))
    assert isolated.reachable is False


def test_one_routed_subnet_of_several_is_enough() -> None:
    tables = (table("rtb-main", main=True), table("rtb-public", TO_IGW, subnets=("subnet-b",)))
    assert internet_route(["subnet-a", "subnet-b"], "vpc-1", tables).reachable is True


def test_routes_that_do_not_admit_the_internet() -> None:
    nat = table("rtb-main", Route("0.0.0.0/0", "nat-1"), Route("::/0", "eigw-1"), main=True)
    assert internet_route(["subnet-a"], "vpc-1", (nat,)).reachable is False
    blackhole = table("rtb-main", Route("0.0.0.0/0", "igw-1", "blackhole"), main=True)
    assert internet_route(["subnet-a"], "vpc-1", (blackhole,)).reachable is False


def test_unknown_subnets_or_tables_leave_reachability_open() -> None:
    assert internet_route([], "vpc-1", (table("rtb-main", main=True),)).reachable is None
    other_vpc = internet_route(["subnet-a"], "vpc-2", (table("rtb-main", TO_IGW, main=True),))
    assert other_vpc.reachable is None and "subnet-a" in other_vpc.detail
    denied = CheckContext("1", "eu-west-1", unavailable={ROUTE_TABLES: "access denied"})
    assert route_reach(denied, ["subnet-a"], "vpc-1").detail == "route tables unavailable (access denied)"
    assert route_reach(CheckContext("1", "eu-west-1"), ["subnet-a"], "vpc-1").reachable is None


def test_exposure_text_combines_rules_and_routes() -> None:
    closed = internet_route(["subnet-a"], "vpc-1", (table("rtb-main", main=True),))
    opened = internet_route(["subnet-a"], "vpc-1", (table("rtb-main", TO_IGW, main=True),))
    text = exposure_text(["sg-1:0.0.0.0/0"], 5432, closed)
    assert text.startswith("not reachable from the internet") and "sg-1:0.0.0.0/0 admit it" in text
    assert "either" in exposure_text([], 5432, closed)
    assert exposure_text(["sg-1:0.0.0.0/0"], 5432, opened).startswith(
        "reachable from the internet on port 5432"
    )
    assert exposure_text([], 5432, opened) == "no security group rule admits the internet to port 5432"
    assert "unless routing prevents it" in exposure_text(
        ["sg-1:0.0.0.0/0"], 5432, internet_route([], None, ())
    )
    assert address_exposure("203.0.113.9", closed).endswith("have no route to an internet gateway")
    assert "routable from the internet" in address_exposure("203.0.113.9", opened)


def test_a_public_db_instance_behind_a_private_route_table_is_not_reachable(aws: str) -> None:
    ec2, rds = boto3.client("ec2"), boto3.client("rds")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"][
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
    rds.create_db_subnet_group(DBSubnetGroupName="private", DBSubnetGroupDescription="p", SubnetIds=subnets)
    rds.create_db_instance(
        DBInstanceIdentifier="flagged-public",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="app",
        MasterUserPassword="not-a-real-password-1",
        AllocatedStorage=20,
        PubliclyAccessible=True,
        DBSubnetGroupName="private",
        VpcSecurityGroupIds=[group],
        Port=5432,
    )
    (result,) = run_posture(PostureOptions(regions=("us-east-1",), checks=("rds_instance_no_public_access",)))
    (finding,) = [f for f in result.findings if "flagged-public" in (f.message or "")]
    assert finding.status_code is ResultStatus.FAIL
    exposure = (finding.unmapped or {})["exposure"]
    assert (
        exposure.startswith("not reachable from the internet")
        and "no route to an internet gateway" in exposure
    )
    assert f"{group}:0.0.0.0/0" in exposure
    # The same subnets behind a route to an internet gateway: reachable.
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    main = ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}]
    )["RouteTables"][0]["RouteTableId"]
    ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    (result,) = run_posture(PostureOptions(regions=("us-east-1",), checks=("rds_instance_no_public_access",)))
    (finding,) = [f for f in result.findings if "flagged-public" in (f.message or "")]
    assert (finding.unmapped or {})["exposure"].startswith("reachable from the internet on port 5432")
    assert igw in (finding.unmapped or {})["exposure"]


def test_a_public_redshift_cluster_in_isolated_subnets_is_not_reachable() -> None:
    from soryoku.inventory.ec2 import IngressRule, SecurityGroup
    from soryoku.inventory.redshift import RedshiftCluster
    from soryoku.inventory.redshift_subnets import RedshiftSubnetGroup
    from soryoku.posture.registry import CHECKS

    cluster = RedshiftCluster("wh", "arn:aws:redshift:eu-west-1:1:cluster:wh", "eu-west-1",
                              publicly_accessible=True, port=5439, security_group_ids=("sg-1",),
                              vpc_id="vpc-1", subnet_group="analytics")  # fmt: skip
    open_group = SecurityGroup("sg-1", "wh", "arn:aws:ec2:eu-west-1:1:security-group/sg-1", "eu-west-1",
                               "vpc-1", (IngressRule("tcp", 5439, 5439, ("0.0.0.0/0",)),))  # fmt: skip
    group = RedshiftSubnetGroup("analytics", "arn:aws:redshift:eu-west-1:1:subnetgroup:analytics",
                                "eu-west-1", "vpc-1", ("subnet-a",))  # fmt: skip
    related = {
        "ec2.security_groups": (open_group,),
        "redshift.subnet_groups": (group,),
        ROUTE_TABLES: (table("rtb-main", main=True),),
    }
    check = CHECKS.get("redshift_cluster_no_public_access")
    (result,) = check.run(cluster, CheckContext("1", "eu-west-1", related=related))
    assert result.status is ResultStatus.FAIL and result.exposure is not None
    assert (
        result.exposure.startswith("not reachable from the internet") and "sg-1:0.0.0.0/0" in result.exposure
    )
    related[ROUTE_TABLES] = (table("rtb-main", TO_IGW, main=True),)
    (result,) = check.run(cluster, CheckContext("1", "eu-west-1", related=related))
    assert result.exposure is not None and result.exposure.startswith(
        "reachable from the internet on port 5439"
    )
    missing = CheckContext("1", "eu-west-1", related={"ec2.security_groups": (open_group,)},
                           unavailable={"redshift.subnet_groups": "access denied"})  # fmt: skip
    (result,) = check.run(cluster, missing)
    assert result.exposure is not None and "subnet groups unavailable (access denied)" in result.exposure
