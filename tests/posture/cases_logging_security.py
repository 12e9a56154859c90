"""PASS/FAIL cases of the logging-security group: CloudTrail, Config, CloudWatch alarms, GuardDuty
protection plans, Inspector, Macie, Access Analyzer, ACM and the account's security contact."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from soryoku.inventory.account import SecurityContact
from soryoku.inventory.acm import AcmCertificate
from soryoku.inventory.cloudtrail import CloudTrailAccount, Trail
from soryoku.inventory.cloudwatch import (
    AlarmTopic,
    LogGroupMonitoring,
    MetricAlarm,
    MetricFilter,
    TrailMonitoring,
)
from soryoku.inventory.config import ConfigRecorder, ConfigRegion
from soryoku.inventory.guardduty import GuardDutyDetector, GuardDutyRegion
from soryoku.inventory.inspector import InspectorRegion
from soryoku.inventory.macie import MacieRegion
from soryoku.inventory.organizations import OrganizationMembership
from soryoku.posture.checks.cloudwatch import MONITORED
from soryoku.posture.registry import CHECKS

from .cases import ACCOUNT, FAIL, NOW, PASS, REGION, Case

SLR = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
LOG_GROUP = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:cloudtrail:*"


def trail(**kwargs: Any) -> Trail:
    base = Trail("main", f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/main", REGION, True, True, "All")
    return replace(base, **kwargs)


def trails(*items: Trail) -> CloudTrailAccount:
    return CloudTrailAccount(f"arn:aws:cloudtrail::{ACCOUNT}:trails", REGION, ACCOUNT, items)


def recorder(**kwargs: Any) -> ConfigRegion:
    base = ConfigRecorder("default", SLR, True, True, (), True, "SUCCESS")
    items = (replace(base, **kwargs),) if kwargs.get("name", "default") else ()
    return ConfigRegion(f"arn:aws:config:{REGION}:{ACCOUNT}:configuration-recorders", REGION, ACCOUNT, items)


TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:security-alarms"


def cis_pattern(check_id: str) -> str:
    """The benchmark's own filter pattern, as quoted in the check's remediation snippet."""
    cli = CHECKS.get(check_id).prose.remediation_cli or ""
    return cli.split("--filter-pattern '", 1)[1].split("'\n", 1)[0]


def monitoring(pattern: str, subscribers: int = 1, alarm: bool = True) -> dict[str, tuple[Any, ...]]:
    alarms = (MetricAlarm("a", True, (AlarmTopic(TOPIC, subscribers),)),) if alarm else ()
    group = LogGroupMonitoring(LOG_GROUP, (MetricFilter("f", pattern, (("CIS", "m"),), alarms),))
    return {"cloudwatch.trail_alarms": (TrailMonitoring("arn:aws:cloudwatch::x", REGION, ACCOUNT, (group,)),)}


FED = trails(trail(log_group_arn=LOG_GROUP))


def _monitoring_cases() -> list[Case]:
    cases = []
    for spec in MONITORED:
        pattern = cis_pattern(spec.check_id)
        cases += [
            Case("CIS pattern, alarm, subscriber", spec.check_id, FED, PASS, monitoring(pattern), "covers"),
            Case("no trail", spec.check_id, trails(), FAIL, monitoring(pattern), "no logging multi-region"),
            Case("unrelated filter", spec.check_id, FED, FAIL, monitoring('{ $.eventName = "Nothing" }')),
            Case("no subscriber", spec.check_id, FED, FAIL, monitoring(pattern, subscribers=0), "subscribed"),
            Case("no alarm", spec.check_id, FED, FAIL, monitoring(pattern, alarm=False), "no alarm"),
        ]
    return cases


NO_RECORDER = ConfigRegion(f"arn:aws:config:{REGION}:{ACCOUNT}:configuration-recorders", REGION, ACCOUNT, ())

CASES: list[Case] = [
    # CloudTrail.2 / CIS 3.5
    Case("kms key", "cloudtrail_kms_encryption_enabled", trail(kms_key_id="arn:aws:kms:k"), PASS),
    Case("sse-s3 only", "cloudtrail_kms_encryption_enabled", trail(), FAIL, says="SSE-S3"),
    # CloudTrail.4 / CIS 3.2
    Case("validation on", "cloudtrail_log_file_validation_enabled", trail(log_file_validation=True), PASS),
    Case("validation off", "cloudtrail_log_file_validation_enabled", trail(), FAIL),
    # CloudTrail.5
    Case("to log group", "cloudtrail_cloudwatch_logs_integration", trail(log_group_arn=LOG_GROUP), PASS),
    Case("s3 only", "cloudtrail_cloudwatch_logs_integration", trail(), FAIL),
    # CIS 3.4
    Case(
        "bucket logged",
        "cloudtrail_bucket_access_logging_enabled",
        trail(s3_bucket="logs", bucket_logging=True),
        PASS,
    ),
    Case(
        "bucket not logged",
        "cloudtrail_bucket_access_logging_enabled",
        trail(s3_bucket="logs", bucket_logging=False),
        FAIL,
        says="logs",
    ),
    # CIS 3.8 / 3.9
    Case(
        "all data events",
        "cloudtrail_s3_object_write_events_logged",
        trails(trail(s3_data_events="All")),
        PASS,
    ),
    Case(
        "write-only data events",
        "cloudtrail_s3_object_write_events_logged",
        trails(trail(s3_data_events="WriteOnly")),
        PASS,
    ),
    Case("no data events", "cloudtrail_s3_object_write_events_logged", trails(trail()), FAIL),
    Case(
        "single-region trail with data events",
        "cloudtrail_s3_object_write_events_logged",
        trails(trail(multi_region=False, s3_data_events="All")),
        FAIL,
    ),
    Case(
        "read data events",
        "cloudtrail_s3_object_read_events_logged",
        trails(trail(s3_data_events="ReadOnly")),
        PASS,
    ),
    Case(
        "write-only is not read",
        "cloudtrail_s3_object_read_events_logged",
        trails(trail(s3_data_events="WriteOnly")),
        FAIL,
    ),
    # Config.1
    Case("slr recorder", "config_recorder_enabled_service_linked_role", recorder(), PASS),
    Case(
        "pending first delivery",
        "config_recorder_enabled_service_linked_role",
        recorder(last_status="PENDING"),
        PASS,
    ),
    Case("no recorder", "config_recorder_enabled_service_linked_role", NO_RECORDER, FAIL, says="not enabled"),
    Case(
        "custom role",
        "config_recorder_enabled_service_linked_role",
        recorder(role_arn=f"arn:aws:iam::{ACCOUNT}:role/config"),
        FAIL,
        says="service-linked",
    ),
    Case(
        "stopped",
        "config_recorder_enabled_service_linked_role",
        recorder(recording=False),
        FAIL,
        says="not recording",
    ),
    # CIS 3.3
    Case("all + global", "config_recorder_all_resources_in_region", recorder(), PASS),
    Case(
        "no global types",
        "config_recorder_all_resources_in_region",
        recorder(include_global_resource_types=False),
        FAIL,
    ),
    Case(
        "some types",
        "config_recorder_all_resources_in_region",
        recorder(all_supported=False, resource_types=("AWS::S3::Bucket",)),
        FAIL,
    ),
    Case(
        "failed delivery",
        "config_recorder_all_resources_in_region",
        recorder(last_status="FAILURE"),
        FAIL,
    ),
    Case("none", "config_recorder_all_resources_in_region", NO_RECORDER, FAIL),
]

CASES += _monitoring_cases()
ROOT = "cloudwatch_alarm_root_usage"
IAM = "cloudwatch_alarm_iam_policy_changes"
CASES += [
    Case(
        "broader root pattern",
        ROOT,
        FED,
        PASS,
        monitoring('{ $.userIdentity.type = "Root" }'),
    ),
    Case(
        "single-region trail",
        ROOT,
        trails(trail(multi_region=False, log_group_arn=LOG_GROUP)),
        FAIL,
        monitoring(cis_pattern(ROOT)),
    ),
    Case(
        "IAM pattern missing DetachGroupPolicy",
        IAM,
        FED,
        FAIL,
        monitoring(cis_pattern(IAM).replace("||($.eventName=DetachGroupPolicy)", "")),
    ),
    Case(
        "IAM pattern rewritten with a wildcard",
        IAM,
        FED,
        PASS,
        monitoring(
            "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = Put*Policy)"
            " || ($.eventName = Delete*Policy*) || ($.eventName = Attach*Policy)"
            " || ($.eventName = Detach*Policy) || ($.eventName = Create*Policy*)) }"
        ),
    ),
    Case("plain-text pattern", IAM, FED, FAIL, monitoring("PutUserPolicy")),
]


def cert(days: int, algorithm: str = "RSA_2048", status: str = "ISSUED") -> AcmCertificate:
    arn = f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/c1"
    return AcmCertificate(
        arn, REGION, "example.com", "IMPORTED", status, algorithm, NOW + timedelta(days=days), True
    )


def inspector(**scans: str) -> InspectorRegion:
    return InspectorRegion(f"arn:aws:inspector2:{REGION}:{ACCOUNT}:account-status", REGION, ACCOUNT, scans)


def macie(status: str | None) -> MacieRegion:
    return MacieRegion(f"arn:aws:macie2:{REGION}:{ACCOUNT}:session", REGION, ACCOUNT, status)


def contact(email: str | None) -> SecurityContact:
    arn = f"arn:aws:account::{ACCOUNT}:alternate-contact/security"
    return SecurityContact(arn, REGION, ACCOUNT, email, "Security" if email else None)


CASES += [
    Case("valid 200 days", "acm_certificate_expiration_check", cert(200), PASS),
    Case("expires in 10 days", "acm_certificate_expiration_check", cert(10), FAIL, says="re-import"),
    Case("expired", "acm_certificate_expiration_check", cert(-3, status="EXPIRED"), FAIL, says="expired"),
    Case("rsa 2048", "acm_certificate_rsa_key_length", cert(200), PASS),
    Case("rsa 4096", "acm_certificate_rsa_key_length", cert(200, "RSA_4096"), PASS),
    Case("rsa 1024", "acm_certificate_rsa_key_length", cert(200, "RSA_1024"), FAIL, says="1024-bit"),
    Case("ec2 scan on", "inspector_ec2_scanning_enabled", inspector(ec2="ENABLED"), PASS),
    Case("never enabled", "inspector_ec2_scanning_enabled", inspector(), FAIL, says="never"),
    Case("ecr on", "inspector_ecr_scanning_enabled", inspector(ecr="ENABLED"), PASS),
    Case("ecr off", "inspector_ecr_scanning_enabled", inspector(ec2="ENABLED", ecr="DISABLED"), FAIL),
    Case("lambda code on", "inspector_lambda_code_scanning_enabled", inspector(lambdaCode="ENABLED"), PASS),
    Case(
        "lambda code off", "inspector_lambda_code_scanning_enabled", inspector(**{"lambda": "ENABLED"}), FAIL
    ),
    Case("lambda on", "inspector_lambda_standard_scanning_enabled", inspector(**{"lambda": "ENABLED"}), PASS),
    Case(
        "lambda suspended",
        "inspector_lambda_standard_scanning_enabled",
        inspector(**{"lambda": "SUSPENDED"}),
        FAIL,
    ),
    Case("macie on", "macie_enabled", macie("ENABLED"), PASS),
    Case("macie paused", "macie_enabled", macie("PAUSED"), FAIL, says="PAUSED"),
    Case("macie never", "macie_enabled", macie(None), FAIL),
    Case("contact set", "account_security_contact_registered", contact("soc@example.com"), PASS),
    Case("no contact", "account_security_contact_registered", contact(None), FAIL),
]


def detector(*features: tuple[str, str], status: str = "ENABLED") -> GuardDutyRegion:
    arn = f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector"
    return GuardDutyRegion(arn, REGION, ACCOUNT, (GuardDutyDetector("d1", status, features),))


for _check_id, _feature in (
    ("guardduty_eks_audit_log_monitoring_enabled", "EKS_AUDIT_LOGS"),
    ("guardduty_ec2_malware_protection_enabled", "EBS_MALWARE_PROTECTION"),
    ("guardduty_lambda_protection_enabled", "LAMBDA_NETWORK_LOGS"),
    ("guardduty_rds_protection_enabled", "RDS_LOGIN_EVENTS"),
    ("guardduty_s3_protection_enabled", "S3_DATA_EVENTS"),
    ("guardduty_runtime_monitoring_enabled", "RUNTIME_MONITORING"),
):
    CASES += [
        Case("plan on", _check_id, detector((_feature, "ENABLED")), PASS),
        Case("plan off", _check_id, detector((_feature, "DISABLED")), FAIL, says="DISABLED"),
        Case("plan not listed", _check_id, detector(("OTHER", "ENABLED")), FAIL, says="not listed"),
    ]

RUNTIME = "guardduty_eks_runtime_monitoring_enabled"
CASES += [
    Case(
        "runtime with add-on management",
        RUNTIME,
        detector(("RUNTIME_MONITORING", "ENABLED"), ("RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT", "ENABLED")),
        PASS,
    ),
    Case(
        "legacy EKS runtime with add-on management",
        RUNTIME,
        detector(
            ("EKS_RUNTIME_MONITORING", "ENABLED"), ("EKS_RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT", "ENABLED")
        ),
        PASS,
    ),
    Case(
        "runtime, agent managed by hand",
        RUNTIME,
        detector(("RUNTIME_MONITORING", "ENABLED"), ("RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT", "DISABLED")),
        FAIL,
    ),
    Case("runtime off", RUNTIME, detector(("RUNTIME_MONITORING", "DISABLED")), FAIL),
]

ORG = "organizations_account_part_of_organization"
MEMBERSHIP = f"arn:aws:organizations::{ACCOUNT}:membership"
CASES += [
    Case(
        "member", ORG, OrganizationMembership(MEMBERSHIP, REGION, ACCOUNT, "o-1", "111111111111", "ALL"), PASS
    ),
    Case("standalone", ORG, OrganizationMembership(MEMBERSHIP, REGION, ACCOUNT, None, None, None), FAIL),
    Case(
        "billing only",
        ORG,
        OrganizationMembership(MEMBERSHIP, REGION, ACCOUNT, "o-1", "111111111111", "CONSOLIDATED_BILLING"),
        FAIL,
        says="consolidated billing",
    ),
]

# Checks that deliberately judge only part of their resources (no verdict for the rest).
SILENT_CASES: list[tuple[str, Any]] = [
    ("acm_certificate_expiration_check", cert(200, status="PENDING_VALIDATION")),
    ("acm_certificate_rsa_key_length", cert(200, "EC_prime256v1")),
    ("guardduty_s3_protection_enabled", detector(("S3_DATA_EVENTS", "ENABLED"), status="DISABLED")),
    (
        "guardduty_rds_protection_enabled",
        GuardDutyRegion(f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector", REGION, ACCOUNT, ()),
    ),
]
