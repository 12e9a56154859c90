"""Collectors against the moto server over HTTP: seed a few resources with boto3, collect, check models."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.cloudtrail import CloudTrailAccount, management_events_from
from soryoku.inventory.ec2 import EbsEncryptionByDefault, Ec2Instance, IngressRule, SecurityGroup
from soryoku.inventory.guardduty import GuardDutyRegion
from soryoku.inventory.iam import IamPolicy, IamUser, RootAccount, parse_credential_report, users_from_report
from soryoku.inventory.s3 import ALL_USERS, AclGrant, PublicAccessBlock, S3AccountPublicAccessBlock, S3Bucket
from soryoku.inventory.securityhub import SecurityHubRegion

ACCOUNT = "123456789012"
REGION = "us-east-1"
ALL_ON = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_s3_buckets_and_account_block(aws: str) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="site-assets")
    s3.put_bucket_acl(Bucket="site-assets", ACL="public-read")
    s3.create_bucket(Bucket="vault", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_public_access_block(Bucket="vault", PublicAccessBlockConfiguration=ALL_ON)
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::vault/*",
            }
        ]
    }
    s3.put_bucket_policy(Bucket="vault", Policy=json.dumps(policy))
    site, vault = collect("s3.buckets")
    assert (
        isinstance(site, S3Bucket) and site.name == "site-assets" and site.arn == "arn:aws:s3:::site-assets"
    )
    assert AclGrant(ALL_USERS, "READ") in site.acl_grants
    assert site.policy is None and site.public_access_block is None and site.region == "us-east-1"
    assert vault.region == "eu-west-1"
    assert vault.public_access_block == PublicAccessBlock(True, True, True, True)
    assert vault.policy is not None and vault.policy["Statement"][0]["Action"] == "s3:GetObject"
    (account,) = collect("s3.account_public_access_block")
    assert isinstance(account, S3AccountPublicAccessBlock) and account.configuration is None
    s3control = ClientFactory(boto3.Session(), ACCOUNT).client("s3control", REGION)  # with the URL hook
    s3control.put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=ALL_ON)
    assert collect("s3.account_public_access_block")[0].configuration == PublicAccessBlock(
        True, True, True, True
    )


def test_ec2_security_groups_instances_and_ebs_default(aws: str) -> None:
    ec2 = boto3.client("ec2")
    group = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            },
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        ],
    )
    groups = {g.group_id: g for g in collect("ec2.security_groups")}
    web = groups[group]
    assert isinstance(web, SecurityGroup) and web.name == "web"
    assert web.arn == f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{group}"
    assert IngressRule("tcp", 22, 22, ("0.0.0.0/0",), ("::/0",)) in web.ingress
    assert any(r.protocol == "-1" and r.ipv4_ranges == ("10.0.0.0/8",) for r in web.ingress)

    image = "ami-03cf127a"  # moto accepts any id; listing its 1,301 AMIs would cost seconds
    ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        MetadataOptions={"HttpTokens": "required"},
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-1"}]}],
    )
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, MetadataOptions={"HttpTokens": "optional"})
    instances = collect("ec2.instances")
    assert all(isinstance(i, Ec2Instance) and i.state == "running" for i in instances)
    assert sorted(i.http_tokens for i in instances) == ["optional", "required"]
    assert {i.name for i in instances if i.http_tokens == "required"} == {"web-1"}

    (off,) = collect("ec2.ebs_encryption_by_default")
    assert isinstance(off, EbsEncryptionByDefault) and not off.enabled
    ec2.enable_ebs_encryption_by_default()
    assert collect("ec2.ebs_encryption_by_default")[0].enabled


def test_iam_users_policies_and_root(aws: str) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="web-admin")
    iam.create_login_profile(UserName="web-admin", Password="Correct-Horse-9!")
    iam.create_access_key(UserName="web-admin")
    admin = iam.create_policy(
        PolicyName="full-admin",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )["Policy"]["Arn"]
    iam.attach_user_policy(UserName="web-admin", PolicyArn=admin)
    iam.put_user_policy(
        UserName="web-admin",
        PolicyName="adhoc",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}],
            }
        ),
    )
    iam.create_user(UserName="auditor")
    (auditor, web_admin) = collect("iam.users")
    assert isinstance(web_admin, IamUser) and web_admin.name == "web-admin"
    assert web_admin.password_enabled and not web_admin.mfa_active
    assert [k.active for k in web_admin.access_keys] == [True] and web_admin.access_keys[
        0
    ].last_rotated is not None
    assert web_admin.attached_policy_arns == (admin,) and web_admin.inline_policy_names == ("adhoc",)
    assert not auditor.password_enabled and auditor.access_keys == ()
    (policy,) = collect("iam.policies")
    assert isinstance(policy, IamPolicy) and policy.name == "full-admin" and not policy.aws_managed
    assert policy.attachment_count == 1 and policy.document["Statement"][0]["Action"] == "*"
    (root,) = collect("iam.root")
    assert isinstance(root, RootAccount) and root.arn == f"arn:aws:iam::{ACCOUNT}:root"
    assert not root.access_keys_present


def test_cloudtrail_trails(aws: str) -> None:
    boto3.client("s3").create_bucket(Bucket="trail-logs")
    ct = boto3.client("cloudtrail")
    ct.create_trail(Name="org", S3BucketName="trail-logs", IsMultiRegionTrail=True)
    ct.start_logging(Name="org")
    ct.create_trail(Name="local", S3BucketName="trail-logs")
    ct.put_event_selectors(
        TrailName="local", EventSelectors=[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]
    )
    (account,) = collect("cloudtrail.trails")
    assert isinstance(account, CloudTrailAccount) and account.account_id == ACCOUNT
    by_name = {t.name: t for t in account.trails}
    assert (
        by_name["org"].multi_region
        and by_name["org"].is_logging
        and by_name["org"].management_events == "All"
    )
    assert not by_name["local"].multi_region and not by_name["local"].is_logging
    assert by_name["local"].management_events == "WriteOnly"
    # the multi-region trail is visible (as a shadow trail) from another region, asked at home
    (elsewhere,) = collect("cloudtrail.trails", "eu-west-1")
    assert [t.name for t in elsewhere.trails if t.multi_region] == ["org"]


def test_management_events_from_advanced_selectors() -> None:
    def advanced(*fields: dict[str, Any]) -> dict[str, Any]:
        return {"AdvancedEventSelectors": [{"FieldSelectors": list(fields)}]}

    management = {"Field": "eventCategory", "Equals": ["Management"]}
    assert management_events_from(advanced(management)) == "All"
    assert (
        management_events_from(advanced(management, {"Field": "readOnly", "Equals": ["true"]})) == "ReadOnly"
    )
    assert management_events_from(advanced({"Field": "eventCategory", "Equals": ["Data"]})) is None
    assert management_events_from({"EventSelectors": [{"IncludeManagementEvents": False}]}) is None
    assert management_events_from({"EventSelectors": [], "AdvancedEventSelectors": []}) == "All"


def test_guardduty_and_security_hub_per_region(aws: str) -> None:
    (off,) = collect("guardduty.detectors")
    assert isinstance(off, GuardDutyRegion) and not off.enabled and off.detectors == ()
    boto3.client("guardduty").create_detector(Enable=True)
    assert collect("guardduty.detectors")[0].enabled
    assert not collect("guardduty.detectors", "eu-west-1")[0].enabled

    (hub,) = collect("securityhub.hub")
    assert isinstance(hub, SecurityHubRegion) and not hub.enabled
    boto3.client("securityhub").enable_security_hub()
    assert collect("securityhub.hub")[0].enabled


def test_credential_report_transform_skips_root_and_reads_keys() -> None:
    report = (
        "user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active,access_key_1_last_rotated,"
        "access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date\n"
        "<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,true,false,N/A,N/A,false,N/A,N/A\n"
        "bob,arn:aws:iam::1:user/bob,2020-01-01T00:00:00+00:00,true,false,true,2020-02-01T00:00:00+00:00,N/A,"
        "false,2020-03-01T00:00:00+00:00,N/A\n"
    )
    (bob,) = users_from_report(parse_credential_report(report), [], "us-east-1")
    assert bob.name == "bob" and bob.password_enabled and not bob.mfa_active
    assert [(k.slot, k.active) for k in bob.access_keys] == [(1, True), (2, False)]


@pytest.mark.parametrize("collector_id", ["s3.buckets", "ec2.security_groups", "iam.users"])
def test_collectors_declare_their_calls(collector_id: str) -> None:
    collector = COLLECTORS.get(collector_id)
    assert collector.actions and collector.description and collector.scope in {"global", "regional"}
