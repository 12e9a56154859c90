"""The demo account's posture story, built with plain boto3 calls against the simulated account.

The seed's story: a web site on EC2 whose security group opens SSH to the world, its JavaScript
in a public S3 bucket, an IAM user with admin rights, console access and no MFA, no CloudTrail and
no GuardDuty — next to correctly configured twins of each, so the report shows both FAIL and PASS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3

PRIMARY_REGION = "us-east-1"
SECOND_REGION = "us-west-2"
DEMO_REGIONS = (PRIMARY_REGION, SECOND_REGION)

PUBLIC_BUCKET = "soryoku-demo-site-assets"
PRIVATE_BUCKET = "soryoku-demo-customer-data"
ADMIN_USER = "web-admin"
GOOD_USER = "auditor"
ADMIN_POLICY = "soryoku-demo-full-admin"
READONLY_POLICY = "soryoku-demo-audit-read"


@dataclass(slots=True)
class DemoEstate:
    """What was seeded: names and ids the tests and the summary refer to."""

    account_id: str
    regions: tuple[str, ...] = DEMO_REGIONS
    resources: dict[str, str] = field(default_factory=dict)


def _client(service: str, region: str = PRIMARY_REGION) -> Any:
    return boto3.client(service, region_name=region)


def _amazon_image_id(ec2: Any) -> str:
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "architecture", "Values": ["x86_64"]}])[
        "Images"
    ]
    return str(images[0]["ImageId"])


def _seed_network(estate: DemoEstate) -> None:
    ec2 = _client("ec2")
    vpc_id = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    web_sg = ec2.create_security_group(GroupName="web-sg", Description="web site", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=web_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh from anywhere"}],
            },
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ],
    )
    rdp_sg = ec2.create_security_group(
        GroupName="legacy-rdp-sg", Description="old windows admin", VpcId=vpc_id
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=rdp_sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        ],
    )
    app_sg = ec2.create_security_group(
        GroupName="app-sg", Description="app behind Session Manager", VpcId=vpc_id
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=app_sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        ],
    )
    image = _amazon_image_id(ec2)
    web = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.small",
        SecurityGroupIds=[web_sg],
        MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-1"}]}],
    )["Instances"][0]["InstanceId"]
    app = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.small",
        SecurityGroupIds=[app_sg],
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "app-1"}]}],
    )["Instances"][0]["InstanceId"]
    estate.resources.update(
        {"web_sg": web_sg, "rdp_sg": rdp_sg, "app_sg": app_sg, "web_instance": web, "app_instance": app}
    )
    # EBS encryption by default: off in the primary region, on in the second (the twin).
    _client("ec2", SECOND_REGION).enable_ebs_encryption_by_default()


def _seed_storage(estate: DemoEstate) -> None:
    s3 = _client("s3")
    s3.create_bucket(Bucket=PUBLIC_BUCKET)
    s3.put_object(
        Bucket=PUBLIC_BUCKET,
        Key="js/app.js",
        Body=b"document.title = 'soryoku demo';\n",
        ContentType="application/javascript",
    )
    s3.put_bucket_acl(Bucket=PUBLIC_BUCKET, ACL="public-read")
    s3.put_bucket_policy(
        Bucket=PUBLIC_BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PublicRead",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{PUBLIC_BUCKET}/*",
                    }
                ],
            }
        ),
    )
    s3.create_bucket(Bucket=PRIVATE_BUCKET)
    s3.put_object(Bucket=PRIVATE_BUCKET, Key="exports/customers.csv", Body=b"id,name\n1,Ada\n")
    s3.put_public_access_block(
        Bucket=PRIVATE_BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    estate.resources.update({"public_bucket": PUBLIC_BUCKET, "private_bucket": PRIVATE_BUCKET})


def _seed_identity(estate: DemoEstate) -> None:
    iam = _client("iam")
    admin_policy = iam.create_policy(
        PolicyName=ADMIN_POLICY,
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            }
        ),
    )["Policy"]["Arn"]
    read_policy = iam.create_policy(
        PolicyName=READONLY_POLICY,
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["s3:GetObject", "s3:ListBucket"],
                        "Resource": [f"arn:aws:s3:::{PRIVATE_BUCKET}", f"arn:aws:s3:::{PRIVATE_BUCKET}/*"],
                    }
                ],
            }
        ),
    )["Policy"]["Arn"]
    iam.create_user(UserName=ADMIN_USER)
    iam.attach_user_policy(UserName=ADMIN_USER, PolicyArn=admin_policy)
    iam.create_login_profile(UserName=ADMIN_USER, Password="Demo-Password-1!")
    iam.create_access_key(UserName=ADMIN_USER)

    iam.create_group(GroupName="auditors")
    iam.attach_group_policy(GroupName="auditors", PolicyArn=read_policy)
    iam.create_user(UserName=GOOD_USER)
    iam.add_user_to_group(GroupName="auditors", UserName=GOOD_USER)
    iam.create_login_profile(UserName=GOOD_USER, Password="Demo-Password-2!")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=GOOD_USER)["VirtualMFADevice"]
    iam.enable_mfa_device(
        UserName=GOOD_USER,
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    estate.resources.update(
        {
            "admin_user": ADMIN_USER,
            "good_user": GOOD_USER,
            "admin_policy": admin_policy,
            "read_policy": read_policy,
        }
    )


def _seed_detection_services(estate: DemoEstate) -> None:
    # No CloudTrail at all, and GuardDuty only in the second region: the seed's story.
    _client("guardduty", SECOND_REGION).create_detector(Enable=True)
    for region in DEMO_REGIONS:
        _client("securityhub", region).enable_security_hub(EnableDefaultStandards=False)


def story_modules() -> list[Any]:
    """The ``soryoku.demo.posture_<group>`` modules that widen the story, one per group of services.

    Each exposes ``seed(estate: DemoEstate) -> None`` and the sets ``EXPECTED_FAILS`` and
    ``EXPECTED_PASSES`` of ``(check id, text in the resource uid or name)`` that it seeds on purpose.
    """
    import importlib
    import pkgutil

    import soryoku.demo

    return [
        importlib.import_module(f"soryoku.demo.{info.name}")
        for info in sorted(pkgutil.iter_modules(soryoku.demo.__path__), key=lambda i: i.name)
        if info.name.startswith("posture_")
    ]


def seed_demo_account() -> DemoEstate:
    """Create the demo estate in the account boto3 currently points at (the simulated one)."""
    account_id = str(_client("sts").get_caller_identity()["Account"])
    estate = DemoEstate(account_id=account_id)
    _seed_network(estate)
    _seed_storage(estate)
    _seed_identity(estate)
    _seed_detection_services(estate)
    for module in story_modules():
        module.seed(estate)
    return estate


__all__ = ["DEMO_REGIONS", "DemoEstate", "seed_demo_account", "story_modules"]
