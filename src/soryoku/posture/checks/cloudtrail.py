"""CloudTrail checks: a multi-region trail logging management (and S3 object) events, and each trail's
encryption, integrity validation, CloudWatch Logs delivery and bucket access logging."""

from __future__ import annotations

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.cloudtrail import CloudTrailAccount, Trail
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "cloudtrail_multi_region_trail_logging",
    service="cloudtrail",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=("cloudtrail.trails",),
)
def multi_region_trail(account: CloudTrailAccount, ctx: CheckContext) -> CheckResult:
    """PASS when at least one multi-region trail is logging and records all management events."""
    good = [
        t.name for t in account.trails if t.multi_region and t.is_logging and t.management_events == "All"
    ]
    if good:
        return passed(f"Account {account.account_id} has a logging multi-region trail: {', '.join(good)}.")
    if not account.trails:
        return failed(f"Account {account.account_id} has no CloudTrail trail.")
    why = [
        f"{t.name}: "
        + ", ".join(
            reason
            for reason, bad in (
                ("single-region", not t.multi_region),
                ("not logging", not t.is_logging),
                (f"management events {t.management_events or 'none'}", t.management_events != "All"),
            )
            if bad
        )
        for t in account.trails
    ]
    return failed(
        f"Account {account.account_id} has no logging multi-region trail with read and write management "
        f"events ({'; '.join(why)}).",
        trails=why,
    )


def _trail_label(trail: Trail) -> str:
    return f"Trail {trail.name} ({trail.region})"


@check(
    "cloudtrail_kms_encryption_enabled",
    service="cloudtrail",
    resource_type="AwsCloudTrailTrail",
    severity=Severity.MEDIUM,
    collectors=("cloudtrail.home_trails",),
)
def kms_encryption(trail: Trail, ctx: CheckContext) -> CheckResult:
    """PASS when the trail encrypts its log files with a KMS key (SSE-KMS)."""
    if trail.kms_key_id:
        return passed(f"{_trail_label(trail)} encrypts its log files with KMS key {trail.kms_key_id}.")
    return failed(f"{_trail_label(trail)} does not encrypt its log files with a KMS key (SSE-S3 only).")


@check(
    "cloudtrail_log_file_validation_enabled",
    service="cloudtrail",
    resource_type="AwsCloudTrailTrail",
    severity=Severity.LOW,
    collectors=("cloudtrail.home_trails",),
)
def log_file_validation(trail: Trail, ctx: CheckContext) -> CheckResult:
    """PASS when the trail writes signed digest files (log file integrity validation)."""
    if trail.log_file_validation:
        return passed(f"{_trail_label(trail)} has log file validation enabled.")
    return failed(f"{_trail_label(trail)} has log file validation disabled.")


@check(
    "cloudtrail_cloudwatch_logs_integration",
    service="cloudtrail",
    resource_type="AwsCloudTrailTrail",
    severity=Severity.LOW,
    collectors=("cloudtrail.home_trails",),
)
def cloudwatch_logs_integration(trail: Trail, ctx: CheckContext) -> CheckResult:
    """PASS when the trail delivers its events to a CloudWatch Logs log group."""
    if trail.log_group_arn:
        return passed(f"{_trail_label(trail)} sends its events to CloudWatch Logs ({trail.log_group_arn}).")
    return failed(f"{_trail_label(trail)} does not send its events to CloudWatch Logs.")


@check(
    "cloudtrail_bucket_access_logging_enabled",
    service="cloudtrail",
    resource_type="AwsCloudTrailTrail",
    severity=Severity.LOW,
    collectors=("cloudtrail.home_trails",),
)
def bucket_access_logging(trail: Trail, ctx: CheckContext) -> CheckResult:
    """PASS when the trail's S3 bucket has server access logging on; unknown when it cannot be read."""
    if trail.bucket_logging is None:
        return CheckResult(
            ResultStatus.NOT_EVALUATED,
            f"not evaluated: {_trail_label(trail)}: {trail.bucket_logging_note}",
            {"bucket": trail.s3_bucket},
        )
    if trail.bucket_logging:
        return passed(f"{_trail_label(trail)} logs to bucket {trail.s3_bucket}, which has access logging on.")
    return failed(
        f"{_trail_label(trail)} logs to bucket {trail.s3_bucket}, which has server access logging off.",
        bucket=trail.s3_bucket,
    )


def _s3_data_events(account: CloudTrailAccount, kind: str, covering: set[str]) -> CheckResult:
    good = [
        t.name for t in account.trails if t.multi_region and t.is_logging and t.s3_data_events in covering
    ]
    if good:
        return passed(
            f"Account {account.account_id} logs S3 object-level {kind} events of all buckets "
            f"through multi-region trail(s): {', '.join(good)}."
        )
    seen = [f"{t.name}: {t.s3_data_events or 'no S3 data events'}" for t in account.trails]
    return failed(
        f"Account {account.account_id} has no logging multi-region trail recording S3 object-level {kind} "
        f"events of all buckets ({'; '.join(seen) or 'no trail'}).",
        trails=seen,
    )


@check(
    "cloudtrail_s3_object_write_events_logged",
    service="cloudtrail",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=("cloudtrail.trails",),
)
def s3_write_events(account: CloudTrailAccount, ctx: CheckContext) -> CheckResult:
    """PASS when a logging multi-region trail records write data events of every S3 bucket."""
    return _s3_data_events(account, "write", {"All", "WriteOnly"})


@check(
    "cloudtrail_s3_object_read_events_logged",
    service="cloudtrail",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=("cloudtrail.trails",),
)
def s3_read_events(account: CloudTrailAccount, ctx: CheckContext) -> CheckResult:
    """PASS when a logging multi-region trail records read data events of every S3 bucket."""
    return _s3_data_events(account, "read", {"All", "ReadOnly"})
