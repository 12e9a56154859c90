"""CloudTrail: the account's trails (with status, event selectors, encryption, log file validation, the
CloudWatch Logs group they feed, and their S3 bucket's access logging)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code, failure_reason
from soryoku.inventory.base import CollectContext, collector

S3_OBJECT = "AWS::S3::Object"


@dataclass(frozen=True, slots=True)
class Trail:
    """A trail: where it lives, whether it spans regions and logs, which management events it records.

    ``management_events`` and ``s3_data_events`` (object-level events of every bucket) are ``All``,
    ``ReadOnly``, ``WriteOnly`` or ``None`` (none recorded). ``bucket_logging`` is None when the
    trail's bucket could not be read (another account's bucket, access denied): ``bucket_logging_note``
    says why.
    """

    name: str
    arn: str
    region: str
    multi_region: bool
    is_logging: bool
    management_events: str | None
    log_file_validation: bool = False
    kms_key_id: str | None = None
    s3_bucket: str | None = None
    log_group_arn: str | None = None
    s3_data_events: str | None = None
    bucket_logging: bool | None = None
    bucket_logging_note: str = ""


@dataclass(frozen=True, slots=True)
class CloudTrailAccount:
    """All trails of one account: account-level CloudTrail checks evaluate this once."""

    arn: str
    region: str
    account_id: str
    trails: tuple[Trail, ...]

    @property
    def name(self) -> str:
        """The account id."""
        return self.account_id


# -- transforms (pure) --


def management_events_from(selectors: Mapping[str, Any]) -> str | None:
    """Which management events GetEventSelectors says are recorded (classic or advanced selectors).

    A trail with no selector of either kind records all management events (CloudTrail's default for
    a new trail; moto answers two empty lists for it).
    """
    if not selectors.get("EventSelectors") and not selectors.get("AdvancedEventSelectors"):
        return "All"
    kinds: set[str] = set()
    for selector in selectors.get("EventSelectors") or []:
        if selector.get("IncludeManagementEvents", True):
            kinds.add(str(selector.get("ReadWriteType", "All")))
    for advanced in selectors.get("AdvancedEventSelectors") or []:
        fields = {str(f.get("Field")): f for f in advanced.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {})
        if "Management" not in category.get("Equals", []):
            continue
        read_only = fields.get("readOnly")
        if read_only is None:
            kinds.add("All")
        else:
            kinds.add("ReadOnly" if "true" in read_only.get("Equals", []) else "WriteOnly")
    return _read_write(kinds)


def _read_write(kinds: set[str]) -> str | None:
    if "All" in kinds or {"ReadOnly", "WriteOnly"} <= kinds:
        return "All"
    return next(iter(sorted(kinds)), None)


def _all_buckets(values: Any) -> bool:
    """True when an S3 data resource list covers every bucket (``arn:aws:s3`` or ``arn:aws:s3:::``)."""
    return any(re.fullmatch(r"arn:[a-z-]+:s3(:::)?", str(v)) for v in values or [])


def s3_data_events_from(selectors: Mapping[str, Any]) -> str | None:
    """Which object-level S3 events of ALL buckets the selectors record (classic or advanced).

    A selector naming only some buckets does not count: CIS 3.8/3.9 ask for every bucket.
    """
    kinds: set[str] = set()
    for selector in selectors.get("EventSelectors") or []:
        for resource in selector.get("DataResources") or []:
            if resource.get("Type") == S3_OBJECT and _all_buckets(resource.get("Values")):
                kinds.add(str(selector.get("ReadWriteType", "All")))
    for advanced in selectors.get("AdvancedEventSelectors") or []:
        fields = {str(f.get("Field")): f for f in advanced.get("FieldSelectors", [])}
        if "Data" not in fields.get("eventCategory", {}).get("Equals", []):
            continue
        if S3_OBJECT not in fields.get("resources.type", {}).get("Equals", []):
            continue
        arn = fields.get("resources.ARN")
        if arn is not None and not (
            set(arn) <= {"Field", "StartsWith"} and _all_buckets(arn.get("StartsWith"))
        ):
            continue
        if set(fields) - {"eventCategory", "resources.type", "resources.ARN", "readOnly"}:
            continue  # narrowed by eventName, userIdentity…: not every object event
        read_only = fields.get("readOnly")
        if read_only is None:
            kinds.add("All")
        else:
            kinds.add("ReadOnly" if "true" in read_only.get("Equals", []) else "WriteOnly")
    return _read_write(kinds)


def trail_from(
    item: Mapping[str, Any],
    status: Mapping[str, Any],
    selectors: Mapping[str, Any],
    bucket_logging: bool | None = None,
    bucket_logging_note: str = "",
) -> Trail:
    """One DescribeTrails entry plus its status and selectors (and bucket logging) as a Trail."""
    return Trail(
        name=str(item["Name"]),
        arn=str(item["TrailARN"]),
        region=str(item.get("HomeRegion", "")),
        multi_region=bool(item.get("IsMultiRegionTrail", False)),
        is_logging=bool(status.get("IsLogging", False)),
        management_events=management_events_from(selectors),
        log_file_validation=bool(item.get("LogFileValidationEnabled", False)),
        kms_key_id=str(item["KmsKeyId"]) if item.get("KmsKeyId") else None,
        s3_bucket=str(item["S3BucketName"]) if item.get("S3BucketName") else None,
        log_group_arn=str(item["CloudWatchLogsLogGroupArn"])
        if item.get("CloudWatchLogsLogGroupArn")
        else None,
        s3_data_events=s3_data_events_from(selectors),
        bucket_logging=bucket_logging,
        bucket_logging_note=bucket_logging_note,
    )


def account_from_trails(
    trails: Iterable[Trail], account_id: str, partition: str, region: str
) -> CloudTrailAccount:
    """The account-level view over its trails."""
    return CloudTrailAccount(
        arn=f"arn:{partition}:cloudtrail::{account_id}:trails",
        region=region,
        account_id=account_id,
        trails=tuple(sorted(trails, key=lambda t: t.arn)),
    )


# -- get (I/O) --


def trails_with_shadows(ctx: CollectContext) -> list[dict[str, Any]]:
    """DescribeTrails with shadow trails: one call per region and scan, shared by the collectors."""
    return ctx.once(
        "cloudtrail:DescribeTrails(includeShadowTrails)",
        lambda: list(ctx.client("cloudtrail").describe_trails(includeShadowTrails=True).get("trailList", [])),
    )


@collector(
    "cloudtrail.trails",
    service="cloudtrail",
    scope="global",
    actions=("cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"),
    description="all trails of the account with logging status and management-event selectors",
)
def collect_trails(ctx: CollectContext) -> tuple[CloudTrailAccount, ...]:
    """Trails visible from the home region (multi-region ones appear everywhere), each asked at home."""
    listed = trails_with_shadows(ctx)
    unique = {str(item["TrailARN"]): item for item in listed}
    trails = []
    for arn, item in unique.items():
        home = ctx.client("cloudtrail", str(item.get("HomeRegion") or ctx.region))
        status = home.get_trail_status(Name=arn)
        selectors = home.get_event_selectors(TrailName=arn)
        trails.append(trail_from(item, status, selectors))
    return (account_from_trails(trails, ctx.account_id, ctx.partition, ctx.region),)


# What GetBucketLogging answers when the trail's bucket is not readable from this account: the
# setting is then unknown (NOT_EVALUATED), never assumed.
_UNREADABLE_BUCKET = {"AccessDenied", "NoSuchBucket", "AllAccessDisabled", "PermanentRedirect"}


def _bucket_logging(ctx: CollectContext, bucket: str | None) -> tuple[bool | None, str]:
    if not bucket:
        return None, "the trail names no S3 bucket"
    try:
        answer = ctx.client("s3").get_bucket_logging(Bucket=bucket)
    except ClientError as exc:
        if error_code(exc) not in _UNREADABLE_BUCKET:
            raise
        return None, f"bucket {bucket} not readable from this account: {failure_reason(exc)}"
    return bool(answer.get("LoggingEnabled", {}).get("TargetBucket")), ""


@collector(
    "cloudtrail.home_trails",
    service="cloudtrail",
    scope="regional",
    actions=(
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
        "s3:GetBucketLogging",
    ),
    description="trails whose home is the region, with encryption, validation, log group, bucket logging",
)
def collect_home_trails(ctx: CollectContext) -> tuple[Trail, ...]:
    """Each trail once, in its home region (no shadow copies), with its bucket's access logging."""
    client = ctx.client("cloudtrail")
    listed = client.describe_trails(includeShadowTrails=False).get("trailList", [])

    def detail(item: Mapping[str, Any]) -> Trail:
        arn = str(item["TrailARN"])
        logging_on, note = _bucket_logging(ctx, item.get("S3BucketName"))
        return trail_from(
            item,
            client.get_trail_status(Name=arn),
            client.get_event_selectors(TrailName=arn),
            logging_on,
            note,
        )

    home = [item for item in listed if str(item.get("HomeRegion") or ctx.region) == ctx.region]
    return tuple(sorted(ctx.map(detail, home), key=lambda t: t.arn))


__all__ = [
    "CloudTrailAccount",
    "Trail",
    "account_from_trails",
    "collect_home_trails",
    "collect_trails",
    "management_events_from",
    "s3_data_events_from",
    "trail_from",
    "trails_with_shadows",
]
