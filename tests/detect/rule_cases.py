"""One matching and one non-matching set of records for every built-in rule."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from soryoku.detect.simulate.dataset import (
    APP_IP,
    ATTACKER_IP,
    BOTO_AGENT,
    KALI_AGENT,
    PARTNER_ACCOUNT,
    ROGUE_ACCOUNT,
    THIEF_IP,
    THREAT_IP,
    TOR_EXIT,
    alice,
    deploy_bot,
    ops_admin,
    web_app,
)
from soryoku.detect.simulate.events import Flow, console_login, ct, dns_query, iam_user, role_session, root
from soryoku.detect.simulate.geo import HOME_IPV6, TRAVEL_IP

T = datetime(2024, 5, 10, 10, 0)
OLD = T - timedelta(days=20)


def m(minutes: float) -> datetime:
    return T + timedelta(minutes=minutes)


def api(source: str, name: str, params: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    return ct(kw.pop("who", ops_admin), source, name, kw.pop("at", T), params=params, **kw)


def burst(n: int, make: Any) -> list[Any]:
    return [make(i) for i in range(n)]


def policy(principal: str, effect: str = "Allow") -> str:
    return (
        '{"Version":"2012-10-17","Statement":[{"Effect":"'
        + effect
        + '","Principal":'
        + principal
        + ',"Action":"*","Resource":"*"}]}'
    )


_TRAIL = {"name": "org-trail"}
_SHARE_ALL = {"add": {"items": [{"group": "all"}]}}
_SHARE_PARTNER = {"add": {"items": [{"userId": PARTNER_ACCOUNT}]}}
_BPA_ON = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
_BPA_OFF = _BPA_ON | {"BlockPublicPolicy": False}
_SCAN = "203.0.113.200"
_MINER = ("xmr.pool.minergate.com",)


def _history(who: Any, region: str = "us-east-1", agent: str = BOTO_AGENT) -> list[dict[str, Any]]:
    return [
        ct(who, "ec2", "DescribeInstances", OLD + timedelta(days=d), region=region, agent=agent)
        for d in range(3)
    ]


CASES: dict[str, tuple[list[Any], list[Any]]] = {
    # defense evasion
    "cloudtrail_logging_stopped": (
        [api("cloudtrail", "StopLogging", _TRAIL)],
        [api("cloudtrail", "StartLogging", _TRAIL)],
    ),
    "cloudtrail_trail_deleted": (
        [api("cloudtrail", "DeleteTrail", _TRAIL)],
        [api("cloudtrail", "DeleteTrail", _TRAIL, error="AccessDenied")],
    ),
    "cloudtrail_trail_weakened": (
        [
            api(
                "cloudtrail",
                "PutEventSelectors",
                {
                    "trailName": "org-trail",
                    "eventSelectors": [{"readWriteType": "All", "includeManagementEvents": False}],
                },
            )
        ],
        [api("cloudtrail", "UpdateTrail", {"name": "org-trail", "isMultiRegionTrail": True})],
    ),
    "guardduty_detector_deleted": (
        [api("guardduty", "DeleteDetector", {"detectorId": "d1"})],
        [api("guardduty", "GetDetector", {"detectorId": "d1"})],
    ),
    "guardduty_detector_disabled": (
        [api("guardduty", "UpdateDetector", {"detectorId": "d1", "enable": False})],
        [api("guardduty", "UpdateDetector", {"detectorId": "d1", "enable": True})],
    ),
    "guardduty_findings_auto_archived": (
        [api("guardduty", "CreateFilter", {"name": "x", "action": "ARCHIVE"})],
        [api("guardduty", "CreateFilter", {"name": "x", "action": "NOOP"})],
    ),
    "guardduty_trusted_ip_list_changed": (
        [api("guardduty", "CreateIPSet", {"name": "trusted"})],
        [api("guardduty", "ListIPSets")],
    ),
    "securityhub_disabled": (
        [api("securityhub", "DisableSecurityHub")],
        [api("securityhub", "EnableSecurityHub")],
    ),
    "config_recording_stopped": (
        [api("config", "StopConfigurationRecorder", {"configurationRecorderName": "d"})],
        [api("config", "StartConfigurationRecorder", {"configurationRecorderName": "d"})],
    ),
    "vpc_flow_logs_deleted": (
        [api("ec2", "DeleteFlowLogs", {"DeleteFlowLogsRequest": {"FlowLogId": "fl-1"}})],
        [api("ec2", "CreateFlowLogs", {"CreateFlowLogsRequest": {}})],
    ),
    "dns_query_logging_removed": (
        [api("route53resolver", "DisassociateResolverQueryLogConfig", {"resolverQueryLogConfigId": "r"})],
        [api("route53resolver", "AssociateResolverQueryLogConfig", {"resolverQueryLogConfigId": "r"})],
    ),
    "cloudwatch_log_group_deleted": (
        [api("logs", "DeleteLogGroup", {"logGroupName": "/audit"})],
        [api("logs", "CreateLogGroup", {"logGroupName": "/audit"})],
    ),
    "s3_server_access_logging_disabled": (
        [api("s3", "PutBucketLogging", {"bucketName": "b", "BucketLoggingStatus": {"xmlns": "x"}})],
        [
            api(
                "s3",
                "PutBucketLogging",
                {
                    "bucketName": "b",
                    "BucketLoggingStatus": {"LoggingEnabled": {"TargetBucket": "logs", "TargetPrefix": "b/"}},
                },
            )
        ],
    ),
    "organizations_account_left": (
        [api("organizations", "LeaveOrganization")],
        [api("organizations", "DescribeOrganization")],
    ),
    "ec2_security_group_opened_to_internet": (
        [
            api(
                "ec2",
                "AuthorizeSecurityGroupIngress",
                {
                    "groupId": "sg-1",
                    "ipPermissions": {
                        "items": [
                            {
                                "ipProtocol": "tcp",
                                "fromPort": 22,
                                "toPort": 22,
                                "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]},
                            }
                        ]
                    },
                },
            )
        ],
        [
            api(
                "ec2",
                "AuthorizeSecurityGroupIngress",
                {
                    "groupId": "sg-1",
                    "ipPermissions": {
                        "items": [
                            {
                                "ipProtocol": "tcp",
                                "fromPort": 22,
                                "toPort": 22,
                                "ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}]},
                            }
                        ]
                    },
                },
            )
        ],
    ),
    "iam_password_policy_weakened": (
        [api("iam", "UpdateAccountPasswordPolicy", {"minimumPasswordLength": 8, "requireSymbols": True})],
        [
            api(
                "iam",
                "UpdateAccountPasswordPolicy",
                {"minimumPasswordLength": 16, "requireSymbols": True, "requireNumbers": True},
            )
        ],
    ),
    "iam_mfa_device_deactivated": (
        [api("iam", "DeactivateMFADevice", {"userName": "alice", "serialNumber": "s"})],
        [api("iam", "EnableMFADevice", {"userName": "alice", "serialNumber": "s"})],
    ),
    # credentials
    "iam_instance_credentials_used_outside_aws": (
        [ct(web_app, "s3", "ListBuckets", T, ip=THIEF_IP)],
        [
            ct(web_app, "s3", "ListBuckets", T, ip=APP_IP),
            ct(web_app, "s3", "ListBuckets", T, ip="10.0.1.15"),
            ct(deploy_bot, "s3", "ListBuckets", T, ip=THIEF_IP),
        ],
    ),
    "signin_console_login_without_mfa": (
        [console_login(alice, T, mfa=False)],
        [console_login(alice, T, mfa=True), console_login(alice, T, mfa=False, ok=False)],
    ),
    "signin_console_login_failures": (
        burst(6, lambda i: console_login(alice, m(i), mfa=False, ok=False, ip=ATTACKER_IP)),
        burst(4, lambda i: console_login(alice, m(i), mfa=False, ok=False, ip=ATTACKER_IP)),
    ),
    "iam_root_account_used": ([ct(root(), "iam", "ListUsers", T)], [ct(alice, "iam", "ListUsers", T)]),
    "iam_root_access_key_created": (
        [ct(root(), "iam", "CreateAccessKey", T)],
        [api("iam", "CreateAccessKey", {"userName": "ops-admin"})],
    ),
    "iam_access_key_created_for_another_user": (
        [api("iam", "CreateAccessKey", {"userName": "alice"})],
        [api("iam", "CreateAccessKey", {"userName": "ops-admin"})],
    ),
    "secretsmanager_secret_read_burst": (
        burst(12, lambda i: api("secretsmanager", "GetSecretValue", {"secretId": f"s{i}"}, at=m(i))),
        burst(40, lambda i: api("secretsmanager", "GetSecretValue", {"secretId": f"s{i % 3}"}, at=m(i))),
    ),
    "ssm_parameter_decryption_burst": (
        burst(12, lambda i: api("ssm", "GetParameter", {"name": f"/p/{i}", "withDecryption": True}, at=m(i))),
        burst(
            12, lambda i: api("ssm", "GetParameter", {"name": f"/p/{i}", "withDecryption": False}, at=m(i))
        ),
    ),
    "ec2_password_data_retrieved": (
        [api("ec2", "GetPasswordData", {"instanceId": "i-1"})],
        [api("ec2", "GetConsoleOutput", {"instanceId": "i-1"})],
    ),
    "cloudtrail_offensive_tool_user_agent": (
        [api("sts", "GetCallerIdentity", agent=KALI_AGENT)],
        [api("sts", "GetCallerIdentity", agent=BOTO_AGENT)],
    ),
    "cloudtrail_api_from_threat_list_ip": (
        [api("s3", "ListBuckets", ip=THREAT_IP)],
        [api("s3", "ListBuckets", ip="192.0.2.67")],
    ),
    "cloudtrail_api_from_tor": (
        [api("s3", "ListBuckets", ip=TOR_EXIT)],
        [api("s3", "ListBuckets", ip=ATTACKER_IP)],
    ),
    # persistence
    "iam_admin_policy_granted": (
        [api("iam", "PutRolePolicy", {"roleName": "r", "policyName": "p", "policyDocument": policy('"*"')})],
        [
            api(
                "iam",
                "AttachRolePolicy",
                {"roleName": "r", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
            )
        ],
    ),
    "iam_login_profile_created": (
        [api("iam", "CreateLoginProfile", {"userName": "svc"})],
        [api("iam", "UpdateLoginProfile", {"userName": "ops-admin"})],
    ),
    "iam_user_created": (
        [api("iam", "CreateUser", {"userName": "svc"})],
        [api("iam", "GetUser", {"userName": "svc"})],
    ),
    "iam_role_trust_opened_to_external_account": (
        [
            api(
                "iam",
                "UpdateAssumeRolePolicy",
                {
                    "roleName": "r",
                    "policyDocument": policy('{"AWS":"arn:aws:iam::' + ROGUE_ACCOUNT + ':root"}'),
                },
            )
        ],
        [
            api(
                "iam",
                "UpdateAssumeRolePolicy",
                {
                    "roleName": "r",
                    "policyDocument": policy('{"AWS":"arn:aws:iam::' + PARTNER_ACCOUNT + ':root"}'),
                },
            ),
            api(
                "iam",
                "CreateRole",
                {"roleName": "r2", "assumeRolePolicyDocument": policy('{"Service":"ec2.amazonaws.com"}')},
            ),
        ],
    ),
    "iam_access_key_created_on_dormant_user": (
        [
            ct(iam_user("old-svc", "AKIAOLDSVC000000001"), "s3", "ListBuckets", T - timedelta(days=60)),
            api("iam", "CreateAccessKey", {"userName": "old-svc"}),
        ],
        [
            ct(iam_user("old-svc", "AKIAOLDSVC000000001"), "s3", "ListBuckets", T - timedelta(days=60)),
            ct(iam_user("old-svc", "AKIAOLDSVC000000001"), "s3", "ListBuckets", T - timedelta(days=2)),
            api("iam", "CreateAccessKey", {"userName": "old-svc"}),
        ],
    ),
    "lambda_permission_public": (
        [api("lambda", "AddPermission20150331v2", {"functionName": "f", "principal": "*"})],
        [
            api(
                "lambda",
                "AddPermission20150331v2",
                {"functionName": "f", "principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::b"},
            )
        ],
    ),
    "lambda_function_url_public": (
        [api("lambda", "CreateFunctionUrlConfig20211031", {"functionName": "f", "authType": "NONE"})],
        [api("lambda", "CreateFunctionUrlConfig20211031", {"functionName": "f", "authType": "AWS_IAM"})],
    ),
    "resource_policy_made_public": (
        [
            api(
                "kms",
                "PutKeyPolicy",
                {"keyId": "k", "policyName": "default", "policy": policy('{"AWS":"*"}')},
            )
        ],
        [
            api(
                "kms",
                "PutKeyPolicy",
                {
                    "keyId": "k",
                    "policyName": "default",
                    "policy": policy('{"AWS":"arn:aws:iam::111122223333:root"}'),
                },
            )
        ],
    ),
    # exfiltration
    "s3_bucket_made_public": (
        [api("s3", "PutBucketAcl", {"bucketName": "b", "x-amz-acl": ["public-read"]})],
        [api("s3", "PutBucketAcl", {"bucketName": "b", "x-amz-acl": ["private"]})],
    ),
    "s3_block_public_access_removed": (
        [
            api(
                "s3",
                "PutBucketPublicAccessBlock",
                {"bucketName": "b", "PublicAccessBlockConfiguration": _BPA_OFF},
            )
        ],
        [
            api(
                "s3",
                "PutBucketPublicAccessBlock",
                {"bucketName": "b", "PublicAccessBlockConfiguration": _BPA_ON},
            )
        ],
    ),
    "ec2_snapshot_shared_externally": (
        [
            api(
                "ec2",
                "ModifySnapshotAttribute",
                {"snapshotId": "snap-1", "createVolumePermission": _SHARE_ALL},
            )
        ],
        [
            api(
                "ec2",
                "ModifySnapshotAttribute",
                {"snapshotId": "snap-1", "createVolumePermission": _SHARE_PARTNER},
            )
        ],
    ),
    "ec2_image_shared_externally": (
        [
            api(
                "ec2",
                "ModifyImageAttribute",
                {"imageId": "ami-1", "launchPermission": {"add": {"items": [{"userId": ROGUE_ACCOUNT}]}}},
            )
        ],
        [api("ec2", "ModifyImageAttribute", {"imageId": "ami-1", "launchPermission": _SHARE_PARTNER})],
    ),
    "rds_snapshot_shared_externally": (
        [
            api(
                "rds",
                "ModifyDBClusterSnapshotAttribute",
                {
                    "dBClusterSnapshotIdentifier": "c",
                    "attributeName": "restore",
                    "valuesToAdd": [ROGUE_ACCOUNT],
                },
            )
        ],
        [
            api(
                "rds",
                "ModifyDBSnapshotAttribute",
                {"dBSnapshotIdentifier": "s", "attributeName": "restore", "valuesToAdd": [PARTNER_ACCOUNT]},
            )
        ],
    ),
    "s3_bulk_object_download": (
        burst(501, lambda i: api("s3", "GetObject", {"bucketName": "b", "key": str(i)}, at=m(i * 0.1))),
        burst(499, lambda i: api("s3", "GetObject", {"bucketName": "b", "key": str(i)}, at=m(i * 0.1))),
    ),
    # impact
    "s3_mass_deletion": (
        burst(100, lambda i: api("s3", "DeleteObject", {"bucketName": "b", "key": str(i)}, at=m(i * 0.1))),
        burst(99, lambda i: api("s3", "DeleteObject", {"bucketName": "b", "key": str(i)}, at=m(i * 0.1))),
    ),
    "s3_ssec_reencryption": (
        burst(
            10,
            lambda i: api(
                "s3",
                "CopyObject",
                {
                    "bucketName": "b",
                    "key": str(i),
                    "x-amz-server-side-encryption-customer-algorithm": "AES256",
                },
                at=m(i),
            ),
        ),
        burst(
            10,
            lambda i: api(
                "s3",
                "CopyObject",
                {"bucketName": "b", "key": str(i), "x-amz-server-side-encryption": "aws:kms"},
                at=m(i),
            ),
        ),
    ),
    "kms_key_deletion_scheduled": (
        [api("kms", "ScheduleKeyDeletion", {"keyId": "k"})],
        [api("kms", "CancelKeyDeletion", {"keyId": "k"})],
    ),
    "ec2_gpu_instances_in_unused_region": (
        [
            *_history(ops_admin),
            api("ec2", "RunInstances", {"instanceType": "g5.48xlarge"}, region="sa-east-1"),
        ],
        [
            *_history(ops_admin),
            api("ec2", "RunInstances", {"instanceType": "g5.48xlarge"}, region="eu-west-1"),
            api("ec2", "RunInstances", {"instanceType": "t3.micro"}, region="sa-east-1"),
            *_history(alice, region="ap-south-1"),
            ct(alice, "ec2", "RunInstances", T, region="ap-south-1", params={"instanceType": "p4d.24xlarge"}),
        ],
    ),
    "ec2_instance_launch_burst": (
        burst(10, lambda i: api("ec2", "RunInstances", {"instanceType": "t3.micro"}, at=m(i))),
        burst(9, lambda i: api("ec2", "RunInstances", {"instanceType": "t3.micro"}, at=m(i))),
    ),
    "backup_deletion_burst": (
        burst(10, lambda i: api("ec2", "DeleteSnapshot", {"snapshotId": f"snap-{i}"}, at=m(i))),
        burst(9, lambda i: api("ec2", "DeleteSnapshot", {"snapshotId": f"snap-{i}"}, at=m(i))),
    ),
    "ec2_ebs_default_encryption_disabled": (
        [api("ec2", "DisableEbsEncryptionByDefault")],
        [api("ec2", "EnableEbsEncryptionByDefault")],
    ),
    # discovery
    "discovery_access_denied_burst": (
        burst(10, lambda i: api("iam", f"List{'ABCDE'[i % 5]}", at=m(i), error="AccessDenied")),
        burst(10, lambda i: api("iam", f"List{'AB'[i % 2]}", at=m(i), error="AccessDenied")),
    ),
    "discovery_api_enumeration": (
        burst(40, lambda i: api("ec2", f"Describe{i}", at=m(i * 0.1))),
        burst(39, lambda i: api("ec2", f"Describe{i}", at=m(i * 0.1))),
    ),
    # network
    "flow_mining_pool_port": (
        [Flow(T, "10.0.1.5", "45.9.148.21", 40000, 3333)],
        [Flow(T, "10.0.1.5", "45.9.148.21", 40000, 443), Flow(T, "10.0.1.5", "10.0.2.9", 40000, 3333)],
    ),
    "flow_mining_pool_host": (
        [
            dns_query(T, "pool.supportxmr.com", answers=("45.9.148.21",)),
            Flow(m(1), "10.0.1.5", "45.9.148.21", 40000, 443),
        ],
        [
            dns_query(T, "example.com", answers=("45.9.148.21",)),
            Flow(m(1), "10.0.1.5", "45.9.148.21", 40000, 443),
        ],
    ),
    "flow_threat_list_traffic": (
        [Flow(T, THREAT_IP, "10.0.1.5", 40000, 443)],
        [Flow(T, THREAT_IP, "10.0.1.5", 40000, 443, action="REJECT")],
    ),
    "flow_tor_traffic": (
        [Flow(T, "10.0.1.5", TOR_EXIT, 40000, 9001)],
        [Flow(T, "10.0.1.5", "185.220.101.6", 40000, 9001)],
    ),
    "flow_ssh_brute_force_inbound": (
        burst(20, lambda i: Flow(m(i), "45.155.205.99", "10.0.1.5", 40000 + i, 22, action="REJECT")),
        burst(20, lambda i: Flow(m(i), "45.155.205.99", "10.0.1.5", 40000 + i, 443)),
    ),
    "flow_rdp_brute_force_inbound": (
        burst(20, lambda i: Flow(m(i), "45.155.205.99", "10.0.1.5", 40000 + i, 3389, action="REJECT")),
        burst(19, lambda i: Flow(m(i), "45.155.205.99", "10.0.1.5", 40000 + i, 3389, action="REJECT")),
    ),
    "flow_outbound_port_scan": (
        burst(50, lambda i: Flow(m(i * 0.1), "10.0.1.5", _SCAN, 50000, 1 + i, action="REJECT")),
        [
            *burst(50, lambda i: Flow(m(i * 0.1), f"198.18.0.{i}", "10.0.1.5", 50000 + i, 443)),
            *burst(50, lambda i: Flow(m(i * 0.1), "10.0.1.5", f"198.18.0.{i}", 443, 50000 + i)),
        ],
    ),
    "flow_outbound_ssh_spray": (
        burst(10, lambda i: Flow(m(i), "10.0.1.5", f"198.51.100.{i + 1}", 40000 + i, 22)),
        burst(30, lambda i: Flow(m(i), "10.0.1.5", "140.82.112.3", 40000 + i, 22)),
    ),
    "flow_outbound_smtp_burst": (
        burst(20, lambda i: Flow(m(i), "10.0.1.5", f"198.51.100.{i + 1}", 40000 + i, 25)),
        burst(20, lambda i: Flow(m(i), "10.0.1.5", f"198.51.100.{i + 1}", 40000 + i, 587)),
    ),
    # dns
    "dns_mining_pool_query": ([dns_query(T, _MINER[0])], [dns_query(T, "minergate.com.example.org")]),
    "dns_threat_list_domain": (
        [dns_query(T, "GuardDutyC2ActivityB.com")],
        [dns_query(T, "guardduty.amazonaws.com")],
    ),
    "dns_tunneling": (
        burst(30, lambda i: dns_query(m(i), f"{i:04d}{'a' * 50}.t.exfil-example.net")),
        burst(29, lambda i: dns_query(m(i), f"{i:04d}{'a' * 50}.t.exfil-example.net")),
    ),
    "dns_tor_onion_query": ([dns_query(T, "duskgytldkxiuqc6.onion")], [dns_query(T, "torproject.org")]),
    # anomalies
    "anomaly_first_seen_region": (
        [
            *_history(deploy_bot),
            ct(deploy_bot, "ec2", "DescribeInstances", T, region="ap-southeast-3", agent=BOTO_AGENT),
        ],
        [
            *_history(deploy_bot),
            ct(deploy_bot, "ec2", "DescribeInstances", T, agent=BOTO_AGENT),
            ct(alice, "ec2", "DescribeInstances", T, region="ap-southeast-3"),
        ],
    ),
    "anomaly_first_seen_user_agent": (
        [*_history(deploy_bot), ct(deploy_bot, "ec2", "DescribeInstances", T, agent=KALI_AGENT)],
        [*_history(deploy_bot), ct(deploy_bot, "ec2", "DescribeInstances", T, agent=BOTO_AGENT)],
    ),
    "anomaly_first_seen_write_api": (
        [*_history(deploy_bot), ct(deploy_bot, "ec2", "TerminateInstances", T, agent=BOTO_AGENT)],
        [
            *_history(deploy_bot),
            ct(deploy_bot, "ec2", "DescribeInstances", T, agent=BOTO_AGENT),
            ct(role_session("new-role", "s", "ASIANEW000000000001"), "ec2", "TerminateInstances", T),
        ],
    ),
    # geo/ASN anomalies (--asn-db): the history calls from the office ISP in IE
    "anomaly_first_seen_country": (
        [
            *_history(deploy_bot),
            ct(deploy_bot, "ec2", "DescribeInstances", T, ip=TRAVEL_IP, agent=BOTO_AGENT),
        ],
        [
            *_history(deploy_bot),
            ct(deploy_bot, "ec2", "DescribeInstances", T, ip=HOME_IPV6, agent=BOTO_AGENT),
            ct(iam_user("newcomer", "AKIANEWCOMER0000001"), "ec2", "DescribeInstances", T, ip=TRAVEL_IP),
        ],
    ),
    "anomaly_first_seen_asn": (
        [
            *_history(deploy_bot),
            ct(deploy_bot, "ec2", "DescribeInstances", T, ip=HOME_IPV6, agent=BOTO_AGENT),
        ],
        [
            *_history(deploy_bot),
            ct(deploy_bot, "ec2", "DescribeInstances", T, ip="2001:db8:a::20", agent=BOTO_AGENT),
            ct(iam_user("newcomer", "AKIANEWCOMER0000001"), "ec2", "DescribeInstances", T, ip=TRAVEL_IP),
        ],
    ),
}
