"""The seed's network advice end to end against moto: SSM.1 is NOT_EVALUATED with the reason (moto
lacks DescribeInstanceInformation) while the combined admin-port check still judges the port half."""

from __future__ import annotations

import boto3

from soryoku.core.finding import ResultStatus
from soryoku.posture.engine import PostureOptions, run_posture


def test_ssm_missing_gives_not_evaluated_and_the_combined_check_still_decides(aws: str) -> None:
    ec2 = boto3.client("ec2")
    open_sg = ec2.create_security_group(GroupName="ssh-open", Description="ssh")["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=open_sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    closed_sg = ec2.create_security_group(GroupName="https-only", Description="https")["GroupId"]
    for name, group in (("exposed", open_sg), ("quiet", closed_sg)):
        ec2.run_instances(
            ImageId="ami-03cf127a",
            MinCount=1,
            MaxCount=1,
            SecurityGroupIds=[group],
            TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}],
        )
    (result,) = run_posture(
        PostureOptions(
            checks=("ssm_managed_ec2_instance", "ec2_instance_admin_port_open_without_session_manager"),
            max_attempts=1,
        )
    )
    by_check: dict[str, list[tuple[ResultStatus, str, str]]] = {}
    for finding in result.findings:
        name = finding.resources[0].name or ""
        by_check.setdefault(finding.check_id, []).append((finding.status_code, name, finding.message or ""))
    ((status, _, message),) = by_check["ssm_managed_ec2_instance"]
    assert status is ResultStatus.NOT_EVALUATED and "ssm.managed_instances" in message
    combined = {
        name: (status, message)
        for status, name, message in by_check["ec2_instance_admin_port_open_without_session_manager"]
    }
    assert combined["exposed"][0] is ResultStatus.FAIL
    assert (
        "22 from 0.0.0.0/0 via" in combined["exposed"][1]
        and "Systems Manager state unknown" in combined["exposed"][1]
    )
    assert combined["quiet"][0] is ResultStatus.PASS
    (gap,) = result.gaps
    assert gap.checks == (
        "ec2_instance_admin_port_open_without_session_manager",
        "ssm_managed_ec2_instance",
    )
    assert "ssm.managed_instances" in gap.reason
