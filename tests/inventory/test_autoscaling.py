"""Auto Scaling collectors against the moto server: groups and launch configurations."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_groups_and_launch_configurations(aws: str) -> None:
    autoscaling, ec2 = boto3.client("autoscaling"), boto3.client("ec2")
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="legacy-lc",
        ImageId="ami-03cf127a",
        InstanceType="t3.micro",
        AssociatePublicIpAddress=True,
        MetadataOptions={"HttpTokens": "optional"},
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="legacy-asg",
        LaunchConfigurationName="legacy-lc",
        MinSize=0,
        MaxSize=1,
        DesiredCapacity=0,
        AvailabilityZones=[f"{REGION}a"],
    )
    ec2.create_launch_template(LaunchTemplateName="web-lt", LaunchTemplateData={"ImageId": "ami-03cf127a"})
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web-asg",
        MinSize=0,
        MaxSize=1,
        DesiredCapacity=0,
        VPCZoneIdentifier=",".join(subnets),
        HealthCheckType="ELB",
        MixedInstancesPolicy={
            "LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateName": "web-lt", "Version": "$Default"},
                "Overrides": [{"InstanceType": "t3.micro"}, {"InstanceType": "t3a.micro"}],
            }
        },
    )
    legacy, web = collect("autoscaling.groups")
    assert legacy.launch_configuration == "legacy-lc" and not legacy.uses_launch_template
    assert legacy.availability_zones == (f"{REGION}a",) and legacy.health_check_type == "EC2"
    assert web.mixed_instances_template == "web-lt" and web.instance_types == ("t3.micro", "t3a.micro")
    assert len(web.availability_zones) == 2 and web.health_check_type == "ELB"
    (config,) = collect("autoscaling.launch_configurations")
    assert config.name == "legacy-lc" and config.http_tokens == "optional" and config.associate_public_ip
