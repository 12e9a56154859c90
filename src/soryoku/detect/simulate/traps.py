"""False-positive traps: legitimate activity that resembles an attack and must raise nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from soryoku.detect.simulate.dataset import (
    APP_IP,
    BOTO_AGENT,
    OFFICE_IP,
    PARTNER_ACCOUNT,
    WEB,
    Logs,
    Trap,
    alice,
    ml_team,
    ops_admin,
    web_app,
)
from soryoku.detect.simulate.events import Flow, console_login, ct, dns_query
from soryoku.detect.simulate.geo import new_hire_new_network


def _t(base: datetime, minutes: float) -> datetime:
    return base + timedelta(minutes=minutes)


def secret_reread(at: datetime) -> Logs:
    """The application re-reads its one database secret 200 times in an hour (a cache bug, not theft)."""
    return Logs(
        cloudtrail=[
            ct(
                web_app,
                "secretsmanager",
                "GetSecretValue",
                _t(at, i * 0.25),
                ip=APP_IP,
                agent=BOTO_AGENT,
                params={"secretId": "prod/db"},
            )
            for i in range(200)
        ]
    )


def git_over_ssh(at: datetime) -> Logs:
    """The build instance pulls from GitHub over SSH thirty times in an hour."""
    return Logs(
        flows=[Flow(_t(at, i), "10.0.1.15", "140.82.112.3", 51000 + i, 22, instance=WEB) for i in range(30)]
    )


def share_with_partner(at: datetime) -> Logs:
    """A snapshot shared with the organization's known partner account."""
    return Logs(
        cloudtrail=[
            ct(
                ops_admin,
                "ec2",
                "ModifySnapshotAttribute",
                at,
                ip=OFFICE_IP,
                params={
                    "snapshotId": "snap-0partner0000001",
                    "attributeType": "CREATE_VOLUME_PERMISSION",
                    "createVolumePermission": {"add": {"items": [{"userId": PARTNER_ACCOUNT}]}},
                },
            ),
        ]
    )


def mfa_login(at: datetime) -> Logs:
    """A normal console login with MFA."""
    return Logs(cloudtrail=[console_login(alice, at, mfa=True)])


def gpu_in_used_region(at: datetime) -> Logs:
    """The ML team launches one GPU instance in the region it always uses."""
    return Logs(
        cloudtrail=[
            ct(
                ml_team,
                "ec2",
                "RunInstances",
                at,
                ip=OFFICE_IP,
                agent=BOTO_AGENT,
                params={
                    "instanceType": "p3.2xlarge",
                    "instancesSet": {"items": [{"imageId": "ami-0ml", "maxCount": 1}]},
                },
            ),
        ]
    )


def tls_only_bucket_policy(at: datetime) -> Logs:
    """A bucket policy with Principal "*" that only denies plain-HTTP access."""
    return Logs(
        cloudtrail=[
            ct(
                ops_admin,
                "s3",
                "PutBucketPolicy",
                at,
                ip=OFFICE_IP,
                params={
                    "bucketName": "logs-archive",
                    "bucketPolicy": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Deny",
                                "Principal": "*",
                                "Action": "s3:*",
                                "Resource": "arn:aws:s3:::logs-archive/*",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        ],
                    },
                },
            ),
            ct(
                ops_admin,
                "s3",
                "PutBucketPublicAccessBlock",
                _t(at, 1),
                ip=OFFICE_IP,
                params={
                    "bucketName": "logs-archive",
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": True,
                        "IgnorePublicAcls": True,
                        "BlockPublicPolicy": True,
                        "RestrictPublicBuckets": True,
                    },
                },
            ),
        ]
    )


def repeated_single_denial(at: datetime) -> Logs:
    """A misconfigured job denied on the same API twenty times (not exploration)."""
    return Logs(
        cloudtrail=[
            ct(
                web_app,
                "ec2",
                "DescribeInstances",
                _t(at, i),
                ip=APP_IP,
                agent=BOTO_AGENT,
                error="UnauthorizedOperation",
            )
            for i in range(20)
        ]
    )


def busy_website(at: datetime) -> Logs:
    """A burst of HTTPS clients and a few long but legitimate DNS names."""
    logs = Logs(
        flows=[Flow(_t(at, i * 0.1), f"198.18.99.{i}", "10.0.1.15", 52000 + i, 443) for i in range(60)]
    )
    logs.dns = [
        dns_query(_t(at, i), f"vpce-0a1b2c3d4e5f60001-{i}abcdefg.secretsmanager.us-east-1.vpce.amazonaws.com")
        for i in range(5)
    ]
    return logs


TRAPS: tuple[Trap, ...] = tuple(
    Trap(fn.__name__, fn.__doc__ or "", fn)
    for fn in (
        secret_reread,
        git_over_ssh,
        share_with_partner,
        mfa_login,
        gpu_in_used_region,
        tls_only_bucket_policy,
        repeated_single_denial,
        busy_website,
        new_hire_new_network,
    )
)
