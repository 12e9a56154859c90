"""``soryoku detect environment``: the --environment file from a posture survey of a moto account."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from soryoku.cli.app import main
from soryoku.detect.environment import load_environment
from soryoku.detect.estate import region_footprint, survey_estate
from soryoku.posture.engine import PostureOptions


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def _estate() -> tuple[str, str]:
    """A VPC with a NAT gateway and a spare Elastic IP in us-east-1; nothing in eu-west-1."""
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24")["Subnet"]["SubnetId"]
    nat_eip = ec2.allocate_address(Domain="vpc")
    ec2.create_nat_gateway(SubnetId=subnet, AllocationId=nat_eip["AllocationId"])
    spare = ec2.allocate_address(Domain="vpc")["PublicIp"]
    return nat_eip["PublicIp"], spare


@pytest.mark.moto
def test_survey_finds_accounts_used_regions_and_egress(aws: str, tmp_path: Path) -> None:
    nat_ip, spare_ip = _estate()
    survey = survey_estate(PostureOptions(regions=("us-east-1", "eu-west-1")))
    env = survey.environment
    assert survey.gaps == []
    assert env.accounts == ("123456789012",)
    assert env.regions == ("us-east-1",), "eu-west-1 has only its default VPC: not in use"
    assert set(env.egress_ips) == {nat_ip, spare_ip}
    assert region_footprint(boto3.client("ec2", region_name="eu-west-1")).used is False


@pytest.mark.moto
def test_cli_writes_a_file_detect_accepts_and_merges_hand_written_entries(aws: str, tmp_path: Path) -> None:
    nat_ip, _ = _estate()
    base = tmp_path / "base.yaml"
    base.write_text(
        "trusted_accounts: ['444455556666']\nregions: [ap-southeast-2]\n"
        "automation_principals: ['arn:aws:sts::123456789012:assumed-role/Audit/scanner']\n"
    )
    out = tmp_path / "environment.yaml"
    assert _run(["detect", "environment", "--merge", str(base), "-o", str(out), "--quiet"]) == 0
    env = load_environment(out)
    assert env.accounts == ("123456789012",) and env.trusted_accounts == ("444455556666",)
    assert env.regions == ("ap-southeast-2", "us-east-1") and nat_ip in env.egress_ips
    assert env.automation_principals == ("arn:aws:sts::123456789012:assumed-role/Audit/scanner",)
    assert "# regions in use" in out.read_text()


def test_a_bad_merge_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("egress_ips: [not-an-ip]\n")
    assert _run(["detect", "environment", "--merge", str(bad), "-o", str(tmp_path / "out.yaml")]) == 2
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.moto
def test_regions_in_use_come_from_every_workload_the_inventory_sees_not_just_ec2(aws: str) -> None:
    boto3.client("sqs", region_name="eu-west-1").create_queue(QueueName="orders")
    boto3.client("dynamodb", region_name="ap-southeast-2").create_table(
        TableName="sessions",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    boto3.client("s3", region_name="us-east-1").create_bucket(
        Bucket="eu-central-archive", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    boto3.client("kms", region_name="sa-east-1").create_key(Description="app data")
    # Only what AWS has in every region (the default VPC) plus a security group in it: not in use.
    us_east = boto3.client("ec2", region_name="us-east-1")
    default_vpc = us_east.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    us_east.create_security_group(GroupName="spare", Description="spare", VpcId=default_vpc["VpcId"])
    regions = ("us-east-1", "eu-west-1", "ap-southeast-2", "eu-central-1", "sa-east-1", "us-west-2")
    survey = survey_estate(PostureOptions(regions=regions))
    assert survey.gaps == []
    assert survey.environment.regions == ("ap-southeast-2", "eu-central-1", "eu-west-1", "sa-east-1")
