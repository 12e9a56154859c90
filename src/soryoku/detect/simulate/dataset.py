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
    ACCOUNT,
    Flow,
    console_login,
    ct,
    dns_query,
    iam_user,
    role_session,
    root,
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


# -- attack scenarios ------------------------------------------------------------------------------------


def leaked_keys_story(at: datetime) -> Logs:
    """The seed's story: leaked CI keys used from outside → recon → trail stopped → GPUs → mining."""
    logs = Logs()
    denied = [
        ("iam", "ListUsers"),
        ("iam", "ListRoles"),
        ("iam", "GetAccountAuthorizationDetails"),
        ("secretsmanager", "ListSecrets"),
        ("ec2", "DescribeInstances"),
        ("rds", "DescribeDBInstances"),
        ("guardduty", "ListDetectors"),
        ("organizations", "DescribeOrganization"),
    ]
    logs.cloudtrail.append(ct(deploy_bot, "sts", "GetCallerIdentity", at, ip=ATTACKER_IP, agent=KALI_AGENT))
    for i in range(16):
        src, name = denied[i % len(denied)]
        logs.cloudtrail.append(
            ct(
                deploy_bot,
                src,
                name,
                _t(at, 1 + i * 0.5),
                ip=ATTACKER_IP,
                agent=KALI_AGENT,
                error="AccessDenied",
            )
        )
    logs.cloudtrail.append(
        ct(
            deploy_bot,
            "cloudtrail",
            "StopLogging",
            _t(at, 12),
            ip=ATTACKER_IP,
            agent=KALI_AGENT,
            params={"name": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-trail"},
        )
    )
    for i in range(12):
        logs.cloudtrail.append(
            ct(
                deploy_bot,
                "ec2",
                "RunInstances",
                _t(at, 15 + i),
                region="ap-southeast-3",
                ip=ATTACKER_IP,
                agent=KALI_AGENT,
                params={
                    "instanceType": "p3.16xlarge",
                    "instancesSet": {"items": [{"imageId": "ami-0abc", "minCount": 1, "maxCount": 4}]},
                },
                response={"instancesSet": {"items": [{"instanceId": f"i-0miner{i:010d}"}]}},
            )
        )
    miner = "i-0miner0000000000"
    for i in range(6):
        moment = _t(at, 40 + i)
        logs.dns.append(
            dns_query(
                moment,
                "xmr.pool.minergate.com",
                src="10.20.1.9",
                instance=miner,
                answers=(POOL_IP,),
                region="ap-southeast-3",
                vpc="vpc-0minerminer0001",
            )
        )
        logs.flows.append(
            Flow(
                moment,
                "10.20.1.9",
                POOL_IP,
                40000 + i,
                3333,
                interface="eni-0miner0000000001",
                instance=miner,
                region="ap-southeast-3",
            )
        )
        logs.flows.append(
            Flow(
                moment,
                "10.20.1.9",
                POOL_IP,
                41000 + i,
                443,
                interface="eni-0miner0000000001",
                instance=miner,
                region="ap-southeast-3",
            )
        )
    return logs


def instance_credential_theft(at: datetime) -> Logs:
    """The web instance's role credentials, stolen through SSRF, used from the thief's laptop."""
    logs = Logs()
    for i, (src, name) in enumerate(
        [("sts", "GetCallerIdentity"), ("s3", "ListBuckets"), ("s3", "GetBucketAcl")]
    ):
        logs.cloudtrail.append(ct(web_app, src, name, _t(at, i), ip=THIEF_IP, agent=BOTO_AGENT))
    return logs


def backdoor_persistence(at: datetime) -> Logs:
    """A compromised admin plants users, keys, admin grants, an external trust and public Lambdas."""
    c = [
        ct(ops_admin, "iam", "CreateUser", at, params={"userName": "support-sync"}),
        ct(ops_admin, "iam", "CreateLoginProfile", _t(at, 1), params={"userName": "support-sync"}),
        ct(ops_admin, "iam", "CreateAccessKey", _t(at, 2), params={"userName": "support-sync"}),
        ct(
            ops_admin,
            "iam",
            "AttachUserPolicy",
            _t(at, 3),
            params={"userName": "support-sync", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
        ),
        ct(
            ops_admin,
            "iam",
            "UpdateAssumeRolePolicy",
            _t(at, 4),
            params={
                "roleName": "deploy",
                "policyDocument": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
                f'"Principal":{{"AWS":"arn:aws:iam::{ROGUE_ACCOUNT}:root"}},"Action":"sts:AssumeRole"}}]}}',
            },
        ),
        ct(
            ops_admin,
            "lambda",
            "AddPermission20150331v2",
            _t(at, 5),
            params={
                "functionName": "web-api",
                "statementId": "x",
                "action": "lambda:InvokeFunction",
                "principal": "*",
            },
        ),
        ct(
            ops_admin,
            "lambda",
            "CreateFunctionUrlConfig20211031",
            _t(at, 6),
            params={"functionName": "web-api", "authType": "NONE"},
        ),
    ]
    return Logs(cloudtrail=c)


def data_exfiltration(at: datetime) -> Logs:
    """Data opened to the world and shared with a stranger's account."""
    c = [
        ct(ops_admin, "s3", "DeleteBucketPublicAccessBlock", at, params={"bucketName": "customer-data"}),
        ct(
            ops_admin,
            "s3",
            "PutBucketPolicy",
            _t(at, 1),
            params={
                "bucketName": "customer-data",
                "bucketPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "s3:GetObject",
                            "Resource": "arn:aws:s3:::customer-data/*",
                        }
                    ],
                },
            },
        ),
        ct(
            ops_admin,
            "ec2",
            "ModifySnapshotAttribute",
            _t(at, 2),
            params={
                "snapshotId": "snap-0db0000000000001",
                "attributeType": "CREATE_VOLUME_PERMISSION",
                "createVolumePermission": {"add": {"items": [{"userId": ROGUE_ACCOUNT}]}},
            },
        ),
        ct(
            ops_admin,
            "ec2",
            "ModifyImageAttribute",
            _t(at, 3),
            params={
                "imageId": "ami-0web000000000001",
                "launchPermission": {"add": {"items": [{"group": "all"}]}},
            },
        ),
        ct(
            ops_admin,
            "rds",
            "ModifyDBSnapshotAttribute",
            _t(at, 4),
            params={
                "dBSnapshotIdentifier": "prod-db-final",
                "attributeName": "restore",
                "valuesToAdd": ["all"],
            },
        ),
    ]
    return Logs(cloudtrail=c)


def detection_blinding(at: datetime) -> Logs:
    """Every watcher switched off in a few minutes."""
    c = [
        ct(
            ops_admin,
            "guardduty",
            "DeleteDetector",
            at,
            params={"detectorId": "12abc34d567e8fa901bc2d34e56789f0"},
        ),
        ct(ops_admin, "securityhub", "DisableSecurityHub", _t(at, 1)),
        ct(
            ops_admin,
            "config",
            "StopConfigurationRecorder",
            _t(at, 2),
            params={"configurationRecorderName": "default"},
        ),
        ct(
            ops_admin,
            "ec2",
            "DeleteFlowLogs",
            _t(at, 3),
            params={"DeleteFlowLogsRequest": {"FlowLogId": {"content": "fl-0a1b2c3d4e5f6", "tag": 1}}},
        ),
        ct(
            ops_admin,
            "route53resolver",
            "DeleteResolverQueryLogConfig",
            _t(at, 4),
            params={"resolverQueryLogConfigId": "rqlc-0a1b2c3d4e5f6"},
        ),
    ]
    return Logs(cloudtrail=c)


def root_without_mfa(at: datetime) -> Logs:
    """Someone signs in as root with only the password and looks around."""
    who = root()
    return Logs(
        cloudtrail=[
            console_login(who, at, mfa=False, ip=ATTACKER_IP),
            ct(who, "iam", "ListUsers", _t(at, 1), ip=ATTACKER_IP, agent=CONSOLE_AGENT),
        ]
    )


def ssh_brute_force(at: datetime) -> Logs:
    """An internet host hammering the web instance's SSH port."""
    return Logs(
        flows=[
            Flow(
                _t(at, i * 0.5),
                "45.155.205.99",
                "10.0.1.15",
                40000 + i,
                22,
                packets=3,
                bytes=180,
                action="REJECT" if i % 3 else "ACCEPT",
            )
            for i in range(40)
        ]
    )


def command_and_control(at: datetime) -> Logs:
    """C2 lookups, traffic to a listed address and to Tor, and an API call made through Tor."""
    logs = Logs()
    logs.dns.append(dns_query(at, "guarddutyc2activityb.com"))
    logs.flows.append(Flow(_t(at, 1), "10.0.1.15", THREAT_IP, 45000, 8443))
    logs.flows.append(Flow(_t(at, 2), "10.0.1.15", TOR_EXIT, 45001, 9001))
    logs.cloudtrail.append(ct(alice, "s3", "ListBuckets", _t(at, 3), ip=TOR_EXIT, agent=BOTO_AGENT))
    return logs


def secret_harvest(at: datetime) -> Logs:
    """A role reading every secret it can."""
    who = role_session("reporting", "etl-job", "ASIAREPORTING000001")
    return Logs(
        cloudtrail=[
            ct(
                who,
                "secretsmanager",
                "GetSecretValue",
                _t(at, i),
                ip=CI_IP,
                agent=BOTO_AGENT,
                params={"secretId": f"prod/service-{i}"},
            )
            for i in range(15)
        ]
    )


def s3_ransom(at: datetime) -> Logs:
    """Objects deleted en masse and the key scheduled for deletion."""
    who = iam_user("backup-svc", "AKIABACKUPSVC000001")
    c = [
        ct(
            who,
            "s3",
            "DeleteObject",
            _t(at, i * 0.2),
            ip=ATTACKER_IP,
            agent=BOTO_AGENT,
            params={"bucketName": "customer-data", "key": f"exports/{i}.csv"},
        )
        for i in range(120)
    ]
    c.append(
        ct(
            who,
            "kms",
            "ScheduleKeyDeletion",
            _t(at, 30),
            ip=ATTACKER_IP,
            agent=BOTO_AGENT,
            params={"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7},
        )
    )
    return Logs(cloudtrail=c)


def port_scan(at: datetime) -> Logs:
    """A compromised instance scanning an outside host."""
    return Logs(
        flows=[
            Flow(
                _t(at, i * 0.05),
                "10.0.1.15",
                "203.0.113.200",
                50000,
                1 + i,
                packets=1,
                bytes=44,
                action="REJECT",
            )
            for i in range(100)
        ]
    )


def dns_tunnel(at: datetime) -> Logs:
    """Data leaving as DNS names."""
    return Logs(
        dns=[
            dns_query(
                _t(at, i * 0.5), f"{i:04d}a9f3c2b7e1d04f6a8b2c9e7f1a3d5b8c0e2f4a6b8c.data.tunnel-exfil.net"
            )
            for i in range(40)
        ]
    )


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "leaked_keys_story",
        leaked_keys_story.__doc__ or "",
        (
            "discovery_access_denied_burst",
            "cloudtrail_offensive_tool_user_agent",
            "cloudtrail_logging_stopped",
            "ec2_gpu_instances_in_unused_region",
            "ec2_instance_launch_burst",
            "anomaly_first_seen_region",
            "anomaly_first_seen_user_agent",
            "dns_mining_pool_query",
            "flow_mining_pool_port",
            "flow_mining_pool_host",
        ),
        leaked_keys_story,
    ),
    Scenario(
        "instance_credential_theft",
        instance_credential_theft.__doc__ or "",
        ("iam_instance_credentials_used_outside_aws",),
        instance_credential_theft,
    ),
    Scenario(
        "backdoor_persistence",
        backdoor_persistence.__doc__ or "",
        (
            "iam_user_created",
            "iam_login_profile_created",
            "iam_access_key_created_for_another_user",
            "iam_admin_policy_granted",
            "iam_role_trust_opened_to_external_account",
            "lambda_permission_public",
            "lambda_function_url_public",
        ),
        backdoor_persistence,
    ),
    Scenario(
        "data_exfiltration",
        data_exfiltration.__doc__ or "",
        (
            "s3_block_public_access_removed",
            "s3_bucket_made_public",
            "ec2_snapshot_shared_externally",
            "ec2_image_shared_externally",
            "rds_snapshot_shared_externally",
        ),
        data_exfiltration,
    ),
    Scenario(
        "detection_blinding",
        detection_blinding.__doc__ or "",
        (
            "guardduty_detector_deleted",
            "securityhub_disabled",
            "config_recording_stopped",
            "vpc_flow_logs_deleted",
            "dns_query_logging_removed",
        ),
        detection_blinding,
    ),
    Scenario(
        "root_without_mfa",
        root_without_mfa.__doc__ or "",
        ("signin_console_login_without_mfa", "iam_root_account_used"),
        root_without_mfa,
    ),
    Scenario(
        "ssh_brute_force", ssh_brute_force.__doc__ or "", ("flow_ssh_brute_force_inbound",), ssh_brute_force
    ),
    Scenario(
        "command_and_control",
        command_and_control.__doc__ or "",
        (
            "dns_threat_list_domain",
            "flow_threat_list_traffic",
            "flow_tor_traffic",
            "cloudtrail_api_from_tor",
        ),
        command_and_control,
    ),
    Scenario(
        "secret_harvest", secret_harvest.__doc__ or "", ("secretsmanager_secret_read_burst",), secret_harvest
    ),
    Scenario(
        "s3_ransom", s3_ransom.__doc__ or "", ("s3_mass_deletion", "kms_key_deletion_scheduled"), s3_ransom
    ),
    Scenario("port_scan", port_scan.__doc__ or "", ("flow_outbound_port_scan",), port_scan),
    Scenario("dns_tunnel", dns_tunnel.__doc__ or "", ("dns_tunneling",), dns_tunnel),
)
