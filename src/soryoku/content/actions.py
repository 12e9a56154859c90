"""Post-scan actions on S3 objects: the status tags, quarantine, and a notification.

Tags follow the shape GuardDuty Malware Protection for S3 uses: one status tag with a fixed set
of values, so bucket policies can deny reads of anything not ``NO_THREATS_FOUND``. Quarantine
copies (with metadata and tags), verifies the copy, and only then deletes the original.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from soryoku.content.verdict import ObjectResult, Verdict

STATUS_TAG = "soryoku-scan-status"
DATE_TAG = "soryoku-scan-date"
ENGINE_TAG = "soryoku-scan-engine"
MAX_TAGS = 10
_TAG_VALUE = re.compile(r"[^\w .:/=+\-@]")


class ScanStatus(StrEnum):
    """The value of the status tag."""

    NO_THREATS_FOUND = "NO_THREATS_FOUND"
    THREATS_FOUND = "THREATS_FOUND"
    INCOMPLETE = "INCOMPLETE"
    ACCESS_DENIED = "ACCESS_DENIED"
    FAILED = "FAILED"


def status_for(result: ObjectResult) -> ScanStatus:
    """The status tag value of a verdict; only ``clean`` becomes NO_THREATS_FOUND."""
    if result.access_denied:
        return ScanStatus.ACCESS_DENIED
    return {
        Verdict.CLEAN: ScanStatus.NO_THREATS_FOUND,
        Verdict.MALICIOUS: ScanStatus.THREATS_FOUND,
        Verdict.UNSCANNABLE: ScanStatus.INCOMPLETE,
        Verdict.ERROR: ScanStatus.FAILED,
    }[result.verdict]


def tag_value(text: str) -> str:
    """``text`` as a valid S3 tag value (allowed characters, at most 256)."""
    return _TAG_VALUE.sub("_", text)[:256]


@dataclass(frozen=True, slots=True)
class S3Object:
    """One S3 object version to scan."""

    bucket: str
    key: str
    version_id: str | None = None
    size: int | None = None
    etag: str | None = None

    @property
    def uri(self) -> str:
        """``s3://bucket/key``."""
        return f"s3://{self.bucket}/{self.key}"

    def version_args(self) -> dict[str, str]:
        """``VersionId=…`` for calls on this exact version, when known."""
        return {"VersionId": self.version_id} if self.version_id else {}


@dataclass(frozen=True, slots=True)
class ActionSettings:
    """Which actions to take after a scan."""

    tag: bool = True
    quarantine_bucket: str | None = None
    quarantine_prefix: str = ""
    quarantine_verdicts: frozenset[Verdict] = frozenset({Verdict.MALICIOUS})
    sns_topic_arn: str | None = None
    promote_bucket: str | None = None
    event_bus: str | None = None
    copy_threshold: int = 5 * 1024**3
    notify_verdicts: frozenset[Verdict] = frozenset({Verdict.MALICIOUS, Verdict.UNSCANNABLE, Verdict.ERROR})


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """What one action did (``ok`` False with the reason when it could not)."""

    action: str
    ok: bool
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the audit log."""
        return {"action": self.action, "ok": self.ok, "detail": self.detail}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "")) or str(
        error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
    )


def is_denied(error: ClientError) -> bool:
    """True for AccessDenied-like errors (moto answers a bare 403)."""
    return _code(error) in {"AccessDenied", "403", "Forbidden", "AllAccessDisabled"}


def is_missing(error: ClientError) -> bool:
    """True when the object, version or bucket does not exist (any more)."""
    return _code(error) in {"NoSuchKey", "NoSuchVersion", "404", "NotFound", "NoSuchBucket"}


def merge_tags(
    existing: list[dict[str, str]], ours: dict[str, str]
) -> tuple[list[dict[str, str]], list[str]]:
    """Existing tags with ours set (ours replace same keys); ours that do not fit in 10 are returned.

    The object's own tags are never dropped: ours go in by priority (status first) while room remains.
    """
    kept = [t for t in existing if t["Key"] not in ours]
    merged = list(kept)
    dropped: list[str] = []
    for key, value in ours.items():
        if len(merged) < MAX_TAGS:
            merged.append({"Key": key, "Value": value})
        else:
            dropped.append(key)
    return merged, dropped


def apply_tags(
    client: Any, obj: S3Object, result: ObjectResult, engine_tag: str, now: datetime | None = None
) -> ActionOutcome:
    """Set the status, date and engine tags on the exact version scanned, merged with its tags."""
    status = status_for(result)
    ours = {
        STATUS_TAG: status.value,
        DATE_TAG: (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        ENGINE_TAG: tag_value(engine_tag),
    }
    version = {"VersionId": result.version} if result.version else obj.version_args()
    try:
        existing = client.get_object_tagging(Bucket=obj.bucket, Key=obj.key, **version).get("TagSet", [])
        merged, dropped = merge_tags(existing, ours)
        if STATUS_TAG in dropped:
            return ActionOutcome(
                "tag", False, f"the object already has {MAX_TAGS} tags: no room for {STATUS_TAG}"
            )
        client.put_object_tagging(Bucket=obj.bucket, Key=obj.key, Tagging={"TagSet": merged}, **version)
    except ClientError as exc:
        reason = "access denied" if is_denied(exc) else f"{_code(exc)}: {exc}"
        return ActionOutcome("tag", False, f"tagging {status.value} failed: {reason}")
    except BotoCoreError as exc:
        return ActionOutcome("tag", False, f"tagging {status.value} failed: {exc}")
    detail = status.value + (f" (no room for {', '.join(dropped)})" if dropped else "")
    return ActionOutcome("tag", True, detail)


COPY_LIMIT = 5 * 1024**3  # one CopyObject request copies at most 5 GB
_KEPT_HEADERS = ("CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage", "ContentType")


def copy_with_tags(
    client: Any,
    source: dict[str, str],
    head: dict[str, Any],
    tags: list[dict[str, str]],
    bucket: str,
    key: str,
    copy_threshold: int = COPY_LIMIT,
) -> None:
    """Copy an object with its metadata and tags: one request up to ``copy_threshold``, multipart above."""
    if int(head.get("ContentLength", 0)) <= copy_threshold:
        client.copy_object(
            Bucket=bucket, Key=key, CopySource=source, MetadataDirective="COPY", TaggingDirective="COPY"
        )
        return
    from boto3.s3.transfer import TransferConfig

    extra: dict[str, Any] = {"Metadata": head.get("Metadata", {})}
    extra.update({name: head[name] for name in _KEPT_HEADERS if head.get(name)})
    chunk = max(8 * 1024 * 1024, -(-int(head["ContentLength"]) // 9_000))  # under S3's 10,000 parts
    config = TransferConfig(multipart_threshold=copy_threshold, multipart_chunksize=chunk)
    client.copy(CopySource=source, Bucket=bucket, Key=key, ExtraArgs=extra, Config=config)
    if tags:  # a multipart copy does not carry the tags: set them on the copy
        client.put_object_tagging(Bucket=bucket, Key=key, Tagging={"TagSet": tags})


def quarantine(
    client: Any,
    obj: S3Object,
    result: ObjectResult,
    bucket: str,
    prefix: str = "",
    copy_threshold: int = COPY_LIMIT,
) -> ActionOutcome:
    """Copy the object (metadata and tags) to ``bucket``, verify the copy, then delete the original.

    The original is deleted only after the copy is confirmed (same size, same ETag for single-part
    copies, tags present); a missing quarantine bucket or a failed check leaves the original untouched.
    """
    target_key = f"{prefix}{obj.bucket}/{obj.key}"
    version = result.version or obj.version_id
    version_args = {"VersionId": version} if version else {}
    source: dict[str, str] = {"Bucket": obj.bucket, "Key": obj.key, **version_args}
    try:
        head = client.head_object(Bucket=obj.bucket, Key=obj.key, **version_args)
        tags = client.get_object_tagging(Bucket=obj.bucket, Key=obj.key, **version_args).get("TagSet", [])
        copy_with_tags(client, source, head, tags, bucket, target_key, copy_threshold)
        copied = client.head_object(Bucket=bucket, Key=target_key)
        copied_tags = client.get_object_tagging(Bucket=bucket, Key=target_key).get("TagSet", [])
    except ClientError as exc:
        return ActionOutcome(
            "quarantine", False, f"copy to s3://{bucket}/{target_key} failed ({_code(exc)}); original kept"
        )
    except BotoCoreError as exc:
        return ActionOutcome(
            "quarantine", False, f"copy to s3://{bucket}/{target_key} failed ({exc}); original kept"
        )
    same_size = copied.get("ContentLength") == head.get("ContentLength")
    etag, copied_etag = str(head.get("ETag", "")), str(copied.get("ETag", ""))
    same_etag = "-" in etag or "-" in copied_etag or copied_etag == etag  # multipart ETags differ by design
    same_tags = {(t["Key"], t["Value"]) for t in tags} <= {(t["Key"], t["Value"]) for t in copied_tags}
    same_meta = copied.get("Metadata", {}) == head.get("Metadata", {})
    if not (same_size and same_etag and same_tags and same_meta):
        return ActionOutcome(
            "quarantine", False, f"copy s3://{bucket}/{target_key} did not verify; original kept"
        )
    try:
        client.delete_object(Bucket=obj.bucket, Key=obj.key, **version_args)
    except (ClientError, BotoCoreError) as exc:
        return ActionOutcome(
            "quarantine", False, f"copied to s3://{bucket}/{target_key} but delete failed: {exc}"
        )
    return ActionOutcome("quarantine", True, f"moved to s3://{bucket}/{target_key}")


def promote(
    client: Any, obj: S3Object, result: ObjectResult, bucket: str, copy_threshold: int = COPY_LIMIT
) -> ActionOutcome:
    """Copy a clean object (metadata and tags) to the production ``bucket`` under the same key."""
    version = result.version or obj.version_id
    version_args = {"VersionId": version} if version else {}
    source: dict[str, str] = {"Bucket": obj.bucket, "Key": obj.key, **version_args}
    try:
        head = client.head_object(Bucket=obj.bucket, Key=obj.key, **version_args)
        tags = client.get_object_tagging(Bucket=obj.bucket, Key=obj.key, **version_args).get("TagSet", [])
        copy_with_tags(client, source, head, tags, bucket, obj.key, copy_threshold)
    except (ClientError, BotoCoreError) as exc:
        return ActionOutcome("promote", False, f"copy to s3://{bucket}/{obj.key} failed: {exc}")
    return ActionOutcome("promote", True, f"copied to s3://{bucket}/{obj.key}")


def notify(
    sns: Any, topic_arn: str, obj: S3Object, result: ObjectResult, outcomes: list[ActionOutcome]
) -> ActionOutcome:
    """Publish the verdict JSON to an SNS topic."""
    payload = verdict_payload(obj, result, outcomes)
    try:
        sns.publish(
            TopicArn=topic_arn,
            Subject=f"soryoku content scan: {status_for(result).value}",
            Message=json.dumps(payload, default=str),
            MessageAttributes={"verdict": {"DataType": "String", "StringValue": result.verdict.value}},
        )
    except (ClientError, BotoCoreError) as exc:
        return ActionOutcome("notify", False, f"publish to {topic_arn} failed: {exc}")
    return ActionOutcome("notify", True, topic_arn)


def verdict_payload(obj: S3Object, result: ObjectResult, outcomes: list[ActionOutcome]) -> dict[str, Any]:
    """The verdict JSON that notifications carry."""
    return {
        "bucket": obj.bucket,
        "key": obj.key,
        "status": status_for(result).value,
        **result.to_audit(),
        "actions": [o.to_dict() for o in outcomes],
    }


def put_event(
    events: Any, bus: str, obj: S3Object, result: ObjectResult, outcomes: list[ActionOutcome]
) -> ActionOutcome:
    """Send the verdict JSON to an EventBridge bus (source ``soryoku.content``)."""
    try:
        answer = events.put_events(
            Entries=[
                {
                    "Source": "soryoku.content",
                    "DetailType": "Soryoku Content Scan Verdict",
                    "Detail": json.dumps(verdict_payload(obj, result, outcomes), default=str),
                    "EventBusName": bus,
                    "Resources": [f"arn:aws:s3:::{obj.bucket}/{obj.key}"],
                }
            ]
        )
    except (ClientError, BotoCoreError) as exc:
        return ActionOutcome("event", False, f"put_events to {bus} failed: {exc}")
    if answer.get("FailedEntryCount"):
        return ActionOutcome("event", False, f"put_events to {bus} failed: {answer.get('Entries')}")
    return ActionOutcome("event", True, bus)


def apply_actions(
    s3: Any, sns: Any, obj: S3Object, result: ObjectResult, settings: ActionSettings, engine_tag: str
) -> list[ActionOutcome]:
    """Tag, then quarantine or promote, then notify, as configured; an object already gone gets none."""
    outcomes: list[ActionOutcome] = []
    if result.missing:
        outcomes.append(ActionOutcome("tag", False, "object no longer exists"))
    elif settings.tag:
        outcomes.append(apply_tags(s3, obj, result, engine_tag))
    if settings.quarantine_bucket and result.verdict in settings.quarantine_verdicts and not result.missing:
        outcomes.append(
            quarantine(
                s3,
                obj,
                result,
                settings.quarantine_bucket,
                settings.quarantine_prefix,
                settings.copy_threshold,
            )
        )
    if settings.promote_bucket and result.verdict is Verdict.CLEAN and not result.missing:
        outcomes.append(promote(s3, obj, result, settings.promote_bucket, settings.copy_threshold))
    if settings.sns_topic_arn and sns is not None and result.verdict in settings.notify_verdicts:
        outcomes.append(notify(sns, settings.sns_topic_arn, obj, result, outcomes))
    if settings.event_bus and result.verdict in settings.notify_verdicts:
        outcomes.append(put_event(events_client(), settings.event_bus, obj, result, outcomes))
    return outcomes


def events_client() -> Any:
    """An EventBridge client (AWS_ENDPOINT_URL is honoured by boto3)."""
    import boto3

    return boto3.client("events")


__all__ = [
    "COPY_LIMIT",
    "DATE_TAG",
    "ENGINE_TAG",
    "MAX_TAGS",
    "STATUS_TAG",
    "ActionOutcome",
    "ActionSettings",
    "S3Object",
    "ScanStatus",
    "apply_actions",
    "apply_tags",
    "copy_with_tags",
    "events_client",
    "is_denied",
    "is_missing",
    "merge_tags",
    "notify",
    "promote",
    "put_event",
    "quarantine",
    "status_for",
    "tag_value",
    "verdict_payload",
]
