"""PASS/FAIL cases of the logging-security group: CloudTrail, Config, CloudWatch alarms, GuardDuty
protection plans, Inspector, Macie, Access Analyzer, ACM and the account's security contact."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from soryoku.inventory.cloudtrail import CloudTrailAccount, Trail
from soryoku.inventory.config import ConfigRecorder, ConfigRegion

from .cases import ACCOUNT, FAIL, PASS, REGION, Case

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

# Checks that deliberately judge only part of their resources (no verdict for the rest).
SILENT_CASES: list[tuple[str, Any]] = []
