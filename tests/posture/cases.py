"""Hand-built resource models for every check: at least one PASS and one FAIL case each.

Table-driven so the meta-test can prove every registered check has both (no AWS, milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from soryoku.core.finding import ResultStatus
from soryoku.inventory.cloudtrail import CloudTrailAccount, Trail
from soryoku.inventory.ec2 import EbsEncryptionByDefault, Ec2Instance, IngressRule, SecurityGroup
from soryoku.inventory.guardduty import GuardDutyDetector, GuardDutyRegion
from soryoku.inventory.iam import AccessKey, IamPolicy, IamUser, RootAccount
from soryoku.inventory.s3 import (
    ALL_USERS,
    AUTHENTICATED_USERS,
    AclGrant,
    PublicAccessBlock,
    S3AccountPublicAccessBlock,
    S3Bucket,
)
from soryoku.inventory.securityhub import SecurityHubRegion

ACCOUNT = "123456789012"
REGION = "eu-west-1"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
PASS, FAIL = ResultStatus.PASS, ResultStatus.FAIL
ALL_ON = PublicAccessBlock(True, True, True, True)


@dataclass(frozen=True)
class Case:
    """One expectation: ``check_id`` over ``resource`` gives ``status`` (and mentions ``says``)."""

    name: str
    check_id: str
    resource: Any
    status: ResultStatus
    related: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    says: str = ""


def account_block(config: PublicAccessBlock | None) -> dict[str, tuple[Any, ...]]:
    return {
        "s3.account_public_access_block": (
            S3AccountPublicAccessBlock(f"arn:aws:s3::{ACCOUNT}:bpa", REGION, ACCOUNT, config),
        )
    }


def bucket(name: str, **kwargs: Any) -> S3Bucket:
    return S3Bucket(name=name, arn=f"arn:aws:s3:::{name}", region=REGION, **kwargs)


def public_policy(
    action: Any, condition: dict[str, Any] | None = None, principal: Any = "*"
) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def sg(*rules: IngressRule) -> SecurityGroup:
    return SecurityGroup(
        "sg-1", "web", f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-1", REGION, "vpc-1", rules
    )


def tcp(
    port: int, ipv4: tuple[str, ...] = (), ipv6: tuple[str, ...] = (), to: int | None = None
) -> IngressRule:
    return IngressRule("tcp", port, port if to is None else to, ipv4, ipv6)


def instance(tokens: str, endpoint: str = "enabled") -> Ec2Instance:
    return Ec2Instance(
        "i-1", f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/i-1", REGION, "running", tokens, endpoint
    )


def user(**kwargs: Any) -> IamUser:
    base: dict[str, Any] = {
        "name": "alice",
        "arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
        "region": REGION,
        "created": NOW - timedelta(days=400),
        "password_enabled": False,
        "mfa_active": False,
    }
    base.update(kwargs)
    return IamUser(**base)


def key(age_days: int, active: bool = True) -> AccessKey:
    return AccessKey(slot=1, active=active, last_rotated=NOW - timedelta(days=age_days), last_used=None)


def policy(document: dict[str, Any], *, aws_managed: bool = False, attachments: int = 1) -> IamPolicy:
    arn = "arn:aws:iam::aws:policy/AdministratorAccess" if aws_managed else f"arn:aws:iam::{ACCOUNT}:policy/p"
    return IamPolicy("p", arn, REGION, aws_managed, attachments, document)


ADMIN = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ADMIN_STAR_STAR = {"Statement": [{"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}]}
SCOPED = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def trails(*items: Trail) -> CloudTrailAccount:
    return CloudTrailAccount(f"arn:aws:cloudtrail::{ACCOUNT}:trails", REGION, ACCOUNT, items)


def trail(multi: bool = True, logging: bool = True, events: str | None = "All") -> Trail:
    return Trail("main", f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/main", REGION, multi, logging, events)


def guardduty(*statuses: str) -> GuardDutyRegion:
    detectors = tuple(GuardDutyDetector(f"d{i}", s) for i, s in enumerate(statuses))
    return GuardDutyRegion(f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector", REGION, ACCOUNT, detectors)


def hub(arn: str | None) -> SecurityHubRegion:
    return SecurityHubRegion(f"arn:aws:securityhub:{REGION}:{ACCOUNT}:hub/default", REGION, ACCOUNT, arn)


def ebs(enabled: bool) -> EbsEncryptionByDefault:
    return EbsEncryptionByDefault(f"arn:aws:ec2:{REGION}:{ACCOUNT}:ebs", REGION, ACCOUNT, enabled)


READ = "s3_bucket_public_read_access"
WRITE = "s3_bucket_public_write_access"
NO_BLOCK = account_block(None)

CASES: list[Case] = [
    # S3.2 — public read
    Case("private bucket", READ, bucket("b"), PASS, NO_BLOCK),
    Case(
        "ACL AllUsers READ",
        READ,
        bucket("b", acl_grants=(AclGrant(ALL_USERS, "READ"),)),
        FAIL,
        NO_BLOCK,
        "ACL",
    ),
    Case(
        "ACL AuthenticatedUsers FULL_CONTROL",
        READ,
        bucket("b", acl_grants=(AclGrant(AUTHENTICATED_USERS, "FULL_CONTROL"),)),
        FAIL,
        NO_BLOCK,
    ),
    Case(
        "policy s3:GetObject to *",
        READ,
        bucket("b", policy=public_policy("s3:GetObject")),
        FAIL,
        NO_BLOCK,
        "policy",
    ),
    Case(
        "policy s3:Get* to AWS *",
        READ,
        bucket("b", policy=public_policy(["s3:Get*"], principal={"AWS": "*"})),
        FAIL,
        NO_BLOCK,
    ),
    Case(
        "policy with a condition",
        READ,
        bucket("b", policy=public_policy("s3:GetObject", {"StringEquals": {"aws:SourceVpce": "vpce-1"}})),
        PASS,
        NO_BLOCK,
    ),
    Case(
        "public ACL neutralised by bucket IgnorePublicAcls",
        READ,
        bucket("b", acl_grants=(AclGrant(ALL_USERS, "READ"),), public_access_block=ALL_ON),
        PASS,
        NO_BLOCK,
        "neutralises",
    ),
    Case(
        "public policy neutralised by account RestrictPublicBuckets",
        READ,
        bucket("b", policy=public_policy("s3:*")),
        PASS,
        account_block(ALL_ON),
    ),
    # S3.3 — public write
    Case(
        "read-only ACL is not write",
        WRITE,
        bucket("b", acl_grants=(AclGrant(ALL_USERS, "READ"),)),
        PASS,
        NO_BLOCK,
    ),
    Case(
        "ACL AllUsers WRITE", WRITE, bucket("b", acl_grants=(AclGrant(ALL_USERS, "WRITE"),)), FAIL, NO_BLOCK
    ),
    Case(
        "policy s3:PutObject to *", WRITE, bucket("b", policy=public_policy("s3:PutObject")), FAIL, NO_BLOCK
    ),
    Case(
        "policy NotAction list",
        WRITE,
        bucket(
            "b",
            policy={
                "Statement": [{"Effect": "Allow", "Principal": "*", "NotAction": "s3:Get*", "Resource": "*"}]
            },
        ),
        FAIL,
        NO_BLOCK,
    ),
    # S3.8 — bucket-level block
    Case(
        "bucket block all on",
        "s3_bucket_level_public_access_block",
        bucket("b", public_access_block=ALL_ON),
        PASS,
    ),
    Case(
        "bucket block missing",
        "s3_bucket_level_public_access_block",
        bucket("b"),
        FAIL,
        says="no bucket-level",
    ),
    Case(
        "bucket block partly off",
        "s3_bucket_level_public_access_block",
        bucket("b", public_access_block=PublicAccessBlock(True, True, False, True)),
        FAIL,
        says="BlockPublicPolicy",
    ),
    # S3.1 — account-level block
    Case(
        "account block on",
        "s3_account_level_public_access_block",
        account_block(ALL_ON)["s3.account_public_access_block"][0],
        PASS,
    ),
    Case(
        "account block never set",
        "s3_account_level_public_access_block",
        NO_BLOCK["s3.account_public_access_block"][0],
        FAIL,
    ),
    Case(
        "account block partly off",
        "s3_account_level_public_access_block",
        account_block(PublicAccessBlock(True, False, True, True))["s3.account_public_access_block"][0],
        FAIL,
        says="IgnorePublicAcls",
    ),
    # EC2.13 / EC2.14
    Case(
        "ssh from office",
        "ec2_securitygroup_ingress_port_22_open_to_internet",
        sg(tcp(22, ("203.0.113.0/24",))),
        PASS,
    ),
    Case(
        "ssh from world v4",
        "ec2_securitygroup_ingress_port_22_open_to_internet",
        sg(tcp(22, ("0.0.0.0/0",))),
        FAIL,
    ),
    Case(
        "ssh from world v6",
        "ec2_securitygroup_ingress_port_22_open_to_internet",
        sg(tcp(22, ipv6=("::/0",))),
        FAIL,
    ),
    Case(
        "range 0-1024 covers 22",
        "ec2_securitygroup_ingress_port_22_open_to_internet",
        sg(tcp(0, ("0.0.0.0/0",), to=1024)),
        FAIL,
    ),
    Case(
        "https only",
        "ec2_securitygroup_ingress_port_3389_open_to_internet",
        sg(tcp(443, ("0.0.0.0/0",))),
        PASS,
    ),
    Case(
        "rdp from world",
        "ec2_securitygroup_ingress_port_3389_open_to_internet",
        sg(tcp(3389, ("0.0.0.0/0",))),
        FAIL,
    ),
    Case(
        "all traffic",
        "ec2_securitygroup_ingress_port_3389_open_to_internet",
        sg(IngressRule("-1", None, None, ("0.0.0.0/0",))),
        FAIL,
    ),
    Case(
        "udp 22 is not ssh",
        "ec2_securitygroup_ingress_port_22_open_to_internet",
        sg(IngressRule("udp", 22, 22, ("0.0.0.0/0",))),
        PASS,
    ),
    Case(
        "protocol number 6 is tcp",
        "ec2_securitygroup_ingress_port_22_open_to_internet",
        sg(IngressRule("6", 22, 22, ("0.0.0.0/0",))),
        FAIL,
    ),
    # EC2.53 / EC2.54
    Case(
        "v6-only rule passes v4 control",
        "ec2_securitygroup_ingress_admin_ports_open_to_ipv4_internet",
        sg(tcp(22, ipv6=("::/0",))),
        PASS,
    ),
    Case(
        "udp 3389 from v4 world",
        "ec2_securitygroup_ingress_admin_ports_open_to_ipv4_internet",
        sg(IngressRule("udp", 3389, 3389, ("0.0.0.0/0",))),
        FAIL,
    ),
    Case(
        "icmp is not admin",
        "ec2_securitygroup_ingress_admin_ports_open_to_ipv4_internet",
        sg(IngressRule("icmp", -1, -1, ("0.0.0.0/0",))),
        PASS,
    ),
    Case(
        "v4-only rule passes v6 control",
        "ec2_securitygroup_ingress_admin_ports_open_to_ipv6_internet",
        sg(tcp(22, ("0.0.0.0/0",))),
        PASS,
    ),
    Case(
        "ssh from v6 world",
        "ec2_securitygroup_ingress_admin_ports_open_to_ipv6_internet",
        sg(tcp(22, ipv6=("::/0",))),
        FAIL,
    ),
    # EC2.7 / EC2.8
    Case("ebs default on", "ec2_ebs_default_encryption", ebs(True), PASS),
    Case("ebs default off", "ec2_ebs_default_encryption", ebs(False), FAIL),
    Case("imdsv2 required", "ec2_instance_imdsv2_required", instance("required"), PASS),
    Case("imdsv1 allowed", "ec2_instance_imdsv2_required", instance("optional"), FAIL),
    Case(
        "imdsv1 allowed, endpoint off",
        "ec2_instance_imdsv2_required",
        instance("optional", "disabled"),
        FAIL,
        says="disabled",
    ),
    # IAM.5
    Case("no console password", "iam_user_console_access_mfa_enabled", user(), PASS),
    Case(
        "console and mfa",
        "iam_user_console_access_mfa_enabled",
        user(password_enabled=True, mfa_active=True),
        PASS,
    ),
    Case("console without mfa", "iam_user_console_access_mfa_enabled", user(password_enabled=True), FAIL),
    # IAM.4
    Case(
        "root has no key",
        "iam_root_access_key_absent",
        RootAccount(f"arn:aws:iam::{ACCOUNT}:root", REGION, False, True),
        PASS,
    ),
    Case(
        "root has a key",
        "iam_root_access_key_absent",
        RootAccount(f"arn:aws:iam::{ACCOUNT}:root", REGION, True, True),
        FAIL,
    ),
    # IAM.3
    Case("no keys", "iam_user_access_keys_rotated_90_days", user(), PASS),
    Case("young key", "iam_user_access_keys_rotated_90_days", user(access_keys=(key(30),)), PASS),
    Case(
        "old inactive key",
        "iam_user_access_keys_rotated_90_days",
        user(access_keys=(key(300, active=False),)),
        PASS,
    ),
    Case(
        "old active key",
        "iam_user_access_keys_rotated_90_days",
        user(access_keys=(key(91),)),
        FAIL,
        says="91 days",
    ),
    # IAM.2
    Case("group-only user", "iam_user_no_policies_attached", user(group_names=("admins",)), PASS),
    Case(
        "managed policy on user",
        "iam_user_no_policies_attached",
        user(attached_policy_arns=("arn:aws:iam::aws:policy/ReadOnlyAccess",)),
        FAIL,
    ),
    Case(
        "inline policy on user",
        "iam_user_no_policies_attached",
        user(inline_policy_names=("adhoc",)),
        FAIL,
        says="inline:adhoc",
    ),
    # IAM.1
    Case("scoped customer policy", "iam_policy_no_full_admin_privileges", policy(SCOPED), PASS),
    Case("admin customer policy", "iam_policy_no_full_admin_privileges", policy(ADMIN), FAIL),
    Case("admin *:* customer policy", "iam_policy_no_full_admin_privileges", policy(ADMIN_STAR_STAR), FAIL),
    # CIS 1.16
    Case("attached scoped policy", "iam_attached_policy_no_full_admin_privileges", policy(SCOPED), PASS),
    Case(
        "attached AWS admin policy",
        "iam_attached_policy_no_full_admin_privileges",
        policy(ADMIN, aws_managed=True),
        FAIL,
    ),
    # CloudTrail.1
    Case("good trail", "cloudtrail_multi_region_trail_logging", trails(trail()), PASS),
    Case("no trail", "cloudtrail_multi_region_trail_logging", trails(), FAIL, says="no CloudTrail"),
    Case(
        "single-region trail",
        "cloudtrail_multi_region_trail_logging",
        trails(trail(multi=False)),
        FAIL,
        says="single-region",
    ),
    Case(
        "stopped trail",
        "cloudtrail_multi_region_trail_logging",
        trails(trail(logging=False)),
        FAIL,
        says="not logging",
    ),
    Case(
        "write-only trail", "cloudtrail_multi_region_trail_logging", trails(trail(events="WriteOnly")), FAIL
    ),
    # GuardDuty.1
    Case("detector enabled", "guardduty_enabled", guardduty("ENABLED"), PASS),
    Case("no detector", "guardduty_enabled", guardduty(), FAIL),
    Case("detector suspended", "guardduty_enabled", guardduty("DISABLED"), FAIL),
    # CIS 4.16
    Case("hub on", "securityhub_enabled", hub(f"arn:aws:securityhub:{REGION}:{ACCOUNT}:hub/default"), PASS),
    Case("hub off", "securityhub_enabled", hub(None), FAIL),
]

# Checks that deliberately judge only part of their resources (no verdict for the rest).
SILENT_CASES: list[tuple[str, Any]] = [
    ("iam_policy_no_full_admin_privileges", policy(ADMIN, aws_managed=True)),
    ("iam_attached_policy_no_full_admin_privileges", policy(ADMIN, attachments=0)),
]
