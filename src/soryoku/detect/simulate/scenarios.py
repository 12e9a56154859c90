"""Attack scenarios of the labelled dataset, each with the rules that must detect it."""

from __future__ import annotations

from datetime import datetime, timedelta

from soryoku.detect.simulate.dataset import (
    ATTACKER_IP,
    BOTO_AGENT,
    CI_IP,
    CONSOLE_AGENT,
    KALI_AGENT,
    POOL_IP,
    ROGUE_ACCOUNT,
    THIEF_IP,
    THREAT_IP,
    TOR_EXIT,
    Logs,
    Scenario,
    alice,
    deploy_bot,
    ops_admin,
    web_app,
)
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
from soryoku.detect.simulate.geo import login_from_new_country


def _t(base: datetime, minutes: float) -> datetime:
    return base + timedelta(minutes=minutes)


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
    Scenario(
        "login_from_new_country",
        login_from_new_country.__doc__ or "",
        ("anomaly_first_seen_country", "anomaly_first_seen_asn"),
        login_from_new_country,
    ),
)
