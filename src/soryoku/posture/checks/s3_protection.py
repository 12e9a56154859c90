"""S3 data-protection checks: logging, versioning, MFA delete, lifecycle, events, object lock, KMS."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.s3 import S3BucketSettings
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

SETTINGS = "s3.bucket_settings"
KMS_ALGORITHMS = {"aws:kms", "aws:kms:dsse"}


@check(
    "s3_bucket_server_access_logging_enabled",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.MEDIUM,
    collectors=(SETTINGS,),
)
def s3_bucket_server_access_logging_enabled(bucket: S3BucketSettings, ctx: CheckContext) -> CheckResult:
    """FAIL unless server access logging delivers the bucket's access logs to a target bucket."""
    if bucket.logging_target:
        return passed(f"Bucket {bucket.name} logs server access to {bucket.logging_target}.")
    return failed(f"Bucket {bucket.name} has server access logging disabled.")


@check(
    "s3_bucket_versioning_enabled",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.LOW,
    collectors=(SETTINGS,),
)
def s3_bucket_versioning_enabled(bucket: S3BucketSettings, ctx: CheckContext) -> CheckResult:
    """FAIL unless versioning is Enabled (Suspended and never-enabled both fail)."""
    if bucket.versioning == "Enabled":
        return passed(f"Bucket {bucket.name} has versioning enabled.")
    state = "suspended" if bucket.versioning == "Suspended" else "never enabled"
    return failed(f"Bucket {bucket.name} has versioning {state}.")


@check(
    "s3_bucket_mfa_delete_enabled",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.LOW,
    collectors=(SETTINGS,),
)
def s3_bucket_mfa_delete_enabled(bucket: S3BucketSettings, ctx: CheckContext) -> CheckResult:
    """FAIL unless MFA delete is enabled in the bucket's versioning configuration."""
    if bucket.mfa_delete:
        return passed(f"Bucket {bucket.name} requires MFA to delete object versions.")
    return failed(f"Bucket {bucket.name} does not have MFA delete enabled.")


@check(
    "s3_bucket_lifecycle_configured",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.LOW,
    collectors=(SETTINGS,),
)
def s3_bucket_lifecycle_configured(bucket: S3BucketSettings, ctx: CheckContext) -> CheckResult:
    """FAIL unless the bucket has at least one enabled lifecycle rule."""
    if bucket.lifecycle_rules_enabled:
        return passed(f"Bucket {bucket.name} has {bucket.lifecycle_rules_enabled} enabled lifecycle rule(s).")
    return failed(f"Bucket {bucket.name} has no enabled lifecycle rule.")


@check(
    "s3_bucket_versioned_lifecycle_configured",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.MEDIUM,
    collectors=(SETTINGS,),
)
def s3_bucket_versioned_lifecycle_configured(
    bucket: S3BucketSettings, ctx: CheckContext
) -> list[CheckResult]:
    """FAIL when a versioning-enabled bucket has no enabled lifecycle rule (other buckets: no verdict)."""
    if bucket.versioning != "Enabled":
        return []
    if bucket.lifecycle_rules_enabled:
        return [
            passed(f"Versioned bucket {bucket.name} has {bucket.lifecycle_rules_enabled} lifecycle rule(s).")
        ]
    return [failed(f"Versioned bucket {bucket.name} keeps every version forever: no enabled lifecycle rule.")]


@check(
    "s3_bucket_event_notifications_enabled",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.MEDIUM,
    collectors=(SETTINGS,),
)
def s3_bucket_event_notifications_enabled(bucket: S3BucketSettings, ctx: CheckContext) -> CheckResult:
    """FAIL unless the bucket sends event notifications (SQS, SNS, Lambda or EventBridge)."""
    if bucket.notification_destinations:
        targets = ", ".join(bucket.notification_destinations)
        return passed(f"Bucket {bucket.name} sends event notifications to {targets}.")
    return failed(f"Bucket {bucket.name} has no event notifications configured.")


@check(
    "s3_bucket_object_lock_enabled",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.MEDIUM,
    collectors=(SETTINGS,),
)
def s3_bucket_object_lock_enabled(bucket: S3BucketSettings, ctx: CheckContext) -> CheckResult:
    """FAIL unless S3 Object Lock is enabled on the bucket."""
    if bucket.object_lock:
        return passed(f"Bucket {bucket.name} has Object Lock enabled.")
    return failed(f"Bucket {bucket.name} does not have Object Lock enabled.")


@check(
    "s3_bucket_default_encryption_kms",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.MEDIUM,
    collectors=(SETTINGS,),
)
def s3_bucket_default_encryption_kms(bucket: S3BucketSettings, ctx: CheckContext) -> CheckResult:
    """FAIL unless the bucket's default encryption uses AWS KMS keys (SSE-KMS or DSSE-KMS)."""
    if any(a in KMS_ALGORITHMS for a in bucket.encryption_algorithms):
        return passed(f"Bucket {bucket.name} encrypts new objects with AWS KMS by default.")
    if bucket.encryption_algorithms:
        used = ", ".join(bucket.encryption_algorithms)
        return failed(f"Bucket {bucket.name} encrypts by default with {used}, not with an AWS KMS key.")
    return failed(f"Bucket {bucket.name} has no default encryption configuration with an AWS KMS key.")
