"""A labelled dataset: benign weeks of activity, attack scenarios, and false-positive traps.

Every scenario names the rules that must detect it; every trap is activity that looks a little
like an attack but is not, and must raise nothing. ``build_dataset`` returns the logs plus the
labels (which records belong to which scenario or trap), so a test can check both directions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from soryoku.detect.simulate.events import (
    Flow,
    console_login,
    ct,
    dns_query,
    iam_user,
    role_session,
)
from soryoku.detect.simulate.layout import render_cloudtrail, render_dns, render_flows

AWS_PREFIXES = ("3.80.0.0/12", "52.94.0.0/16", "54.240.0.0/12")
PARTNER_ACCOUNT = "444455556666"  # a known account (listed in the environment)
ROGUE_ACCOUNT = "999988887777"  # nobody knows it
OFFICE_IP = "203.0.113.10"
CI_IP = "3.90.10.10"  # inside AWS (CodeBuild)
APP_IP = "3.84.12.7"  # the web instance's public address, inside AWS
ATTACKER_IP = "198.51.100.23"
THIEF_IP = "198.51.100.77"
THREAT_IP = "192.0.2.66"
TOR_EXIT = "185.220.101.5"
POOL_IP = "45.9.148.21"
KALI_AGENT = "aws-cli/2.13.0 Python/3.11.4 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off"
BOTO_AGENT = "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.11.8"
CONSOLE_AGENT = "AWS Internal"
WEB = "i-0a1b2c3d4e5f60001"
WEB_ENI = "eni-0a1b2c3d4e5f60001"

alice = iam_user("alice", "AKIAALICE0000000001", mfa=True)
deploy_bot = iam_user("deploy-bot", "AKIADEPLOYBOT000001")
ops_admin = iam_user("ops-admin", "AKIAOPSADMIN0000001", mfa=True)
ml_team = iam_user("ml-team", "AKIAMLTEAM000000001")
web_app = role_session("web-app", WEB, "ASIAWEBAPP000000001")


@dataclass(slots=True)
class Logs:
    """Generated CloudTrail records, flow records and Resolver queries."""

    cloudtrail: list[dict[str, Any]] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    dns: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: Logs) -> None:
        """Append another set of logs."""
        self.cloudtrail += other.cloudtrail
        self.flows += other.flows
        self.dns += other.dns

    def render(
        self, *, custom_flows: bool = False, where: dict[int, str] | None = None, hours: int = 1
    ) -> dict[str, bytes]:
        """Files as AWS delivers them (``{key: gzip bytes}``, one per ``hours``); ``where`` gets locations."""
        files = render_cloudtrail(self.cloudtrail, hours=hours)
        files.update(render_flows(self.flows, custom=custom_flows, where=where, hours=hours))
        files.update(render_dns(self.dns, where=where, hours=hours))
        return files

    def evidence_keys(self, where: dict[int, str]) -> set[str]:
        """The evidence keys of these records: CloudTrail eventIDs and ``<file>#<line>`` locations."""
        keys = {r["eventID"] for r in self.cloudtrail}
        keys.update(where[id(record)] for record in [*self.flows, *self.dns])
        return keys


@dataclass(frozen=True, slots=True)
class Scenario:
    """Attack activity and the rules that must detect it."""

    name: str
    description: str
    expected: tuple[str, ...]
    build: Callable[[datetime], Logs]


@dataclass(frozen=True, slots=True)
class Trap:
    """Activity that resembles an attack but is legitimate: no rule may fire on it."""

    name: str
    description: str
    build: Callable[[datetime], Logs]


def _t(base: datetime, minutes: float) -> datetime:
    return base + timedelta(minutes=minutes)


def benign_day(day: datetime) -> Logs:
    """One ordinary day: people, a pipeline, an application, its traffic and lookups."""
    logs = Logs()
    start = day.replace(hour=9, minute=0, second=0)
    logs.cloudtrail.append(console_login(alice, start, mfa=True))
    for i, (src, name) in enumerate(
        [
            ("ec2", "DescribeInstances"),
            ("s3", "ListBuckets"),
            ("iam", "ListRoles"),
            ("cloudwatch", "GetMetricData"),
        ]
        * 3
    ):
        region = "eu-west-1" if i % 4 == 0 else "us-east-1"
        logs.cloudtrail.append(ct(alice, src, name, _t(start, 2 + i), region=region, agent=CONSOLE_AGENT))
    build = start.replace(hour=11)
    for i, (src, name) in enumerate(
        [
            ("sts", "GetCallerIdentity"),
            ("ecr", "GetAuthorizationToken"),
            ("cloudformation", "DescribeStacks"),
            ("lambda", "UpdateFunctionCode20150331v2"),
            ("cloudformation", "UpdateStack"),
        ]
    ):
        logs.cloudtrail.append(
            ct(
                deploy_bot,
                src,
                name,
                _t(build, i),
                ip=CI_IP,
                agent=BOTO_AGENT,
                params={"functionName": "web-api"} if src == "lambda" else None,
            )
        )
    logs.cloudtrail.append(ct(ops_admin, "ec2", "DescribeSecurityGroups", _t(start, 30), ip=OFFICE_IP))
    logs.cloudtrail.append(
        ct(
            ops_admin,
            "iam",
            "UpdateLoginProfile",
            _t(start, 31),
            params={"userName": "ops-admin"},
            read_only=False,
        )
    )
    logs.cloudtrail.append(
        ct(ml_team, "ec2", "DescribeInstances", _t(start, 40), ip=OFFICE_IP, agent=BOTO_AGENT)
    )
    for hour in range(0, 24, 2):
        at = day.replace(hour=hour, minute=5, second=0)
        logs.cloudtrail.append(
            ct(
                web_app,
                "secretsmanager",
                "GetSecretValue",
                at,
                ip=APP_IP,
                agent=BOTO_AGENT,
                params={"secretId": "prod/db"},
            )
        )
        logs.cloudtrail.append(
            ct(
                web_app,
                "ssm",
                "GetParameter",
                _t(at, 1),
                ip=APP_IP,
                agent=BOTO_AGENT,
                params={"name": "/app/config", "withDecryption": True},
            )
        )
        for n in range(6):
            client = f"198.18.{hour}.{n + 10}"
            logs.flows.append(Flow(_t(at, n), client, "10.0.1.15", 50000 + n, 443))
            logs.flows.append(Flow(_t(at, n), "10.0.1.15", client, 443, 50000 + n))
        logs.flows.append(Flow(_t(at, 7), "10.0.1.15", "52.94.133.131", 41000 + hour, 443))
        logs.flows.append(Flow(_t(at, 8), "10.0.1.15", "169.254.169.123", 123, 123, protocol=17))
        for name in ("secretsmanager.us-east-1.amazonaws.com", "github.com", "pypi.org"):
            logs.dns.append(
                dns_query(_t(at, 3), name, answers=("140.82.112.3",) if name == "github.com" else ())
            )
    return logs


def routine_changes(at: datetime) -> Logs:
    """Changes established principals make now and then (part of their baseline)."""
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
                    "instanceType": "t3.large",
                    "instancesSet": {"items": [{"imageId": "ami-0ml", "maxCount": 1}]},
                },
            ),
            ct(
                ops_admin,
                "s3",
                "PutBucketPolicy",
                _t(at, 5),
                ip=OFFICE_IP,
                params={
                    "bucketName": "web-assets",
                    "bucketPolicy": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "cloudfront.amazonaws.com"},
                                "Action": "s3:GetObject",
                                "Resource": "arn:aws:s3:::web-assets/*",
                            }
                        ],
                    },
                },
            ),
            ct(
                ops_admin,
                "s3",
                "PutBucketPublicAccessBlock",
                _t(at, 6),
                ip=OFFICE_IP,
                params={
                    "bucketName": "web-assets",
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": True,
                        "IgnorePublicAcls": True,
                        "BlockPublicPolicy": True,
                        "RestrictPublicBuckets": True,
                    },
                },
            ),
            ct(
                ops_admin,
                "ec2",
                "ModifySnapshotAttribute",
                _t(at, 7),
                ip=OFFICE_IP,
                params={
                    "snapshotId": "snap-0partner0000000",
                    "attributeType": "CREATE_VOLUME_PERMISSION",
                    "createVolumePermission": {"add": {"items": [{"userId": PARTNER_ACCOUNT}]}},
                },
            ),
        ]
    )


def benign(start: datetime, days: int) -> Logs:
    """``days`` ordinary days from ``start`` (routine changes on the first)."""
    logs = routine_changes(start.replace(hour=14))
    for n in range(days):
        logs.extend(benign_day(start + timedelta(days=n)))
    return logs
