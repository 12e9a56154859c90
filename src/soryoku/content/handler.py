"""The Lambda handler: S3 event notifications direct, through SQS (batch) or through EventBridge.

Configuration comes from the environment (see docs/content.md): rules shipped in the package plus
optional paths or an S3 rules location, hash lists, clamd, limits, and the post-scan actions. The
scanner is built once per container (cold start) and reused while the container lives.

S3 notification keys arrive URL-encoded (``+`` for spaces) and are decoded with ``unquote_plus``;
EventBridge gives the key as is. The exact ``versionId`` of the event is scanned and tagged.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from soryoku.content.actions import ActionOutcome, ActionSettings, S3Object, status_for
from soryoku.content.verdict import Limits, ObjectResult, Verdict

LOG = logging.getLogger("soryoku.content")
_MB = 1024 * 1024


class ScanFailedError(Exception):
    """Raised after a direct or EventBridge invocation in which an object could not be scanned.

    Lambda then retries the event and finally sends it to the function's dead-letter target, so a
    failed scan is never lost silently.
    """


@dataclass(frozen=True, slots=True)
class EventObject:
    """An object named by an event, and the alternative key to try when the raw one is missing."""

    obj: S3Object
    fallback_key: str | None = None


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_list(name: str) -> tuple[str, ...]:
    return tuple(v for v in os.environ.get(name, "").replace(",", ":").split(":") if v.strip())


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


def settings_from_env() -> tuple[Any, ActionSettings]:
    """(ScannerSettings, ActionSettings) from SORYOKU_* variables."""
    from soryoku.content.setup import ScannerSettings

    defaults = Limits()
    limits = Limits(
        max_object_bytes=_env_int("SORYOKU_MAX_OBJECT_MB", defaults.max_object_bytes // _MB) * _MB,
        max_expanded_bytes=_env_int("SORYOKU_MAX_EXPANDED_MB", defaults.max_expanded_bytes // _MB) * _MB,
        max_depth=_env_int("SORYOKU_MAX_DEPTH", defaults.max_depth),
        max_members=_env_int("SORYOKU_MAX_MEMBERS", defaults.max_members),
        max_ratio=float(_env_int("SORYOKU_MAX_RATIO", int(defaults.max_ratio))),
    )
    rules = [Path(p) for p in _env_list("SORYOKU_RULES")]
    rules_s3 = os.environ.get("SORYOKU_RULES_S3_URI", "").strip()
    if rules_s3:
        rules.append(download_rules(rules_s3))
    scanner = ScannerSettings(
        rules=tuple(rules),
        include_default_rules=_env_bool("SORYOKU_DEFAULT_RULES", True),
        yara_engine=os.environ.get("SORYOKU_ENGINE", "yara"),
        hash_lists=tuple(Path(p) for p in _env_list("SORYOKU_HASH_LISTS")),
        clamd=os.environ.get("SORYOKU_CLAMD") or None,
        limits=limits,
    )
    actions = ActionSettings(
        tag=_env_bool("SORYOKU_TAG", True),
        quarantine_bucket=os.environ.get("SORYOKU_QUARANTINE_BUCKET") or None,
        quarantine_prefix=os.environ.get("SORYOKU_QUARANTINE_PREFIX", ""),
        quarantine_verdicts=frozenset(
            {Verdict.MALICIOUS, Verdict.UNSCANNABLE}
            if _env_bool("SORYOKU_QUARANTINE_INCOMPLETE", False)
            else {Verdict.MALICIOUS}
        ),
        sns_topic_arn=os.environ.get("SORYOKU_SNS_TOPIC_ARN") or None,
        promote_bucket=os.environ.get("SORYOKU_PROMOTE_BUCKET") or None,
        event_bus=os.environ.get("SORYOKU_EVENT_BUS") or None,
    )
    return scanner, actions


def download_rules(uri: str) -> Path:
    """Copy the ``.yar``/``.yara`` files under an S3 location to local disk (once per container)."""
    from soryoku.content.s3 import parse_s3_uri, s3_clients

    bucket, prefix = parse_s3_uri(uri)
    target = Path(os.environ.get("SORYOKU_RULES_DIR", "/tmp/soryoku-rules"))
    client, _ = s3_clients()
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            key = item["Key"]
            if not key.lower().endswith((".yar", ".yara")):
                continue
            local = target / key[len(prefix) :].lstrip("/")
            local.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, key, str(local))
    return target


class _State:
    """The scanner and clients of this container, built on first use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.built: Any = None
        self.actions: ActionSettings | None = None
        self.s3: Any = None
        self.sns: Any = None

    def get(self) -> tuple[Any, ActionSettings, Any, Any]:
        with self.lock:
            if self.built is None:
                from soryoku.content.s3 import s3_clients
                from soryoku.content.setup import build_scanner

                # Lambda's root logger shows WARNING and above: the per-object audit lines are INFO
                LOG.setLevel(os.environ.get("SORYOKU_LOG_LEVEL", "INFO").upper())
                scanner_settings, self.actions = settings_from_env()
                self.built = build_scanner(scanner_settings)
                for failure in self.built.failures:
                    LOG.warning("rule file did not compile: %s: %s", failure.path, failure.error)
                self.s3, self.sns = s3_clients()
            assert self.actions is not None
            return self.built, self.actions, self.s3, self.sns

    def reset(self) -> None:
        """Forget the scanner (tests change the environment between events)."""
        with self.lock:
            self.built = None


STATE = _State()


def objects_from_s3_event(event: dict[str, Any]) -> list[EventObject]:
    """The created objects of an S3 notification (``Records`` with ``eventSource`` aws:s3)."""
    found = []
    for record in event.get("Records", []):
        if record.get("eventSource") != "aws:s3" or not str(record.get("eventName", "")).startswith(
            "ObjectCreated"
        ):
            continue
        s3 = record["s3"]
        item = s3["object"]
        found.append(
            EventObject(
                S3Object(
                    bucket=s3["bucket"]["name"],
                    key=unquote_plus(item["key"]),
                    version_id=item.get("versionId") or None,
                    size=item.get("size"),
                    etag=item.get("eTag"),
                )
            )
        )
    return found


def objects_from_eventbridge(event: dict[str, Any]) -> list[EventObject]:
    """The object of an EventBridge ``Object Created`` event (key as given; decoded as a fallback)."""
    if event.get("source") != "aws.s3" or event.get("detail-type") != "Object Created":
        return []
    detail = event["detail"]
    item = detail["object"]
    key = str(item["key"])
    decoded = unquote_plus(key)
    return [
        EventObject(
            S3Object(
                bucket=detail["bucket"]["name"],
                key=key,
                version_id=item.get("version-id") or None,
                size=item.get("size"),
                etag=item.get("etag") or item.get("eTag"),
            ),
            fallback_key=decoded if decoded != key else None,
        )
    ]


def objects_from_message(body: str) -> list[EventObject]:
    """The objects in an SQS message body: an S3 notification, an EventBridge event or an SNS envelope."""
    message = json.loads(body)
    if not isinstance(message, dict):
        return []
    if message.get("Type") == "Notification" and isinstance(message.get("Message"), str):
        return objects_from_message(message["Message"])
    if message.get("Event") == "s3:TestEvent":
        return []
    if "detail-type" in message:
        return objects_from_eventbridge(message)
    return objects_from_s3_event(message)


def process(item: EventObject) -> tuple[ObjectResult, list[ActionOutcome]]:
    """Scan one object and apply the configured actions."""
    from soryoku.content.actions import apply_actions
    from soryoku.content.s3 import scan_object

    built, actions, s3, sns = STATE.get()
    obj = item.obj
    result = scan_object(built.scanner, s3, obj)
    if result.missing and item.fallback_key:
        obj = S3Object(obj.bucket, item.fallback_key, obj.version_id, obj.size, obj.etag)
        result = scan_object(built.scanner, s3, obj)
    outcomes = apply_actions(s3, sns, obj, result, actions, built.scanner.version)
    LOG.info(
        json.dumps(
            {
                **result.to_audit(),
                "status": status_for(result).value,
                "actions": [o.to_dict() for o in outcomes],
            },
            default=str,
        )
    )
    return result, outcomes


def _failed(result: ObjectResult) -> bool:
    """An error worth retrying: not an object that is gone, not a permission that retrying cannot fix."""
    return result.verdict is Verdict.ERROR and not result.missing and not result.access_denied


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Entry point: SQS batches answer ``batchItemFailures``; other events raise ScanFailedError."""
    records = event.get("Records", [])
    if records and records[0].get("eventSource") == "aws:sqs":
        failures: list[dict[str, str]] = []
        results: list[dict[str, Any]] = []
        for record in records:
            try:
                items = objects_from_message(record.get("body", ""))
                outcome = [process(item) for item in items]
            except Exception as exc:  # the per-message boundary: the message is retried, then dead-lettered
                LOG.exception("message %s failed: %s", record.get("messageId"), exc)
                failures.append({"itemIdentifier": record["messageId"]})
                continue
            results.extend(r.to_audit() for r, _ in outcome)
            if any(_failed(r) for r, _ in outcome):
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures, "results": results}
    items = objects_from_eventbridge(event) if "detail-type" in event else objects_from_s3_event(event)
    outcome = [process(item) for item in items]
    failed = [r.key for r, _ in outcome if _failed(r)]
    if failed:
        raise ScanFailedError(f"could not scan {', '.join(failed)}")
    return {"results": [r.to_audit() for r, _ in outcome]}


__all__ = [
    "STATE",
    "EventObject",
    "ScanFailedError",
    "handler",
    "objects_from_eventbridge",
    "objects_from_message",
    "objects_from_s3_event",
    "process",
    "settings_from_env",
]
