"""Scanning S3 objects: one exact version (events) or a whole prefix in bulk (CLI).

Bulk scans run with bounded concurrency, append each finished object to a checkpoint file (so an
interrupted scan resumes where it stopped) and skip objects already tagged by the same engine and
rules version.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from soryoku.content.actions import (
    ENGINE_TAG,
    STATUS_TAG,
    ActionOutcome,
    ActionSettings,
    S3Object,
    ScanStatus,
    apply_actions,
    is_denied,
    is_missing,
    tag_value,
)
from soryoku.content.scanner import Scanner
from soryoku.content.verdict import ObjectResult, Verdict, decide
from soryoku.core.errors import ConfigError, InputError

FINAL_STATUSES = frozenset({ScanStatus.NO_THREATS_FOUND.value, ScanStatus.THREATS_FOUND.value})


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/prefix`` → (bucket, prefix); InputError otherwise."""
    if not uri.startswith("s3://") or not uri[5:].split("/", 1)[0]:
        raise InputError(f"target {uri!r}: expected s3://bucket[/prefix]")
    bucket, _, prefix = uri[5:].partition("/")
    return bucket, prefix


def s3_clients(concurrency: int = 8) -> tuple[Any, Any]:
    """An S3 and an SNS client (adaptive retries; AWS_ENDPOINT_URL is honoured by boto3)."""
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"mode": "adaptive", "max_attempts": 5}, max_pool_connections=max(10, concurrency * 2)
    )
    return boto3.client("s3", config=config), boto3.client("sns", config=config)


def bucket_region(client: Any, uri: str) -> str | None:
    """The region of the bucket of ``uri`` (None when it cannot be read)."""
    bucket, _ = parse_s3_uri(uri)
    try:
        location = client.get_bucket_location(Bucket=bucket).get("LocationConstraint")
    except (ClientError, BotoCoreError):
        return None
    return str(location) if location else "us-east-1"


def scan_object(scanner: Scanner, client: Any, obj: S3Object) -> ObjectResult:
    """Stream one object version through the scanner; missing/denied/too big become honest verdicts."""
    result = ObjectResult(uri=obj.uri, version=obj.version_id, size=obj.size)
    limit = scanner.limits.max_object_bytes
    if obj.size is not None and obj.size > limit:
        result.reasons.append(f"object of {obj.size} bytes is over the limit of {limit}")
        result.verdict = Verdict.UNSCANNABLE
        return result
    try:
        response = client.get_object(Bucket=obj.bucket, Key=obj.key, **obj.version_args())
    except ClientError as exc:
        if is_missing(exc):
            result.missing = True
            result.reasons.append("object no longer exists (deleted before the scan)")
        elif is_denied(exc):
            result.access_denied = True
            result.reasons.append("access denied reading the object")
        else:
            result.reasons.append(f"cannot read the object: {exc}")
        result.verdict = decide([], [], result.reasons)
        return result
    except BotoCoreError as exc:
        result.reasons.append(f"cannot read the object: {exc}")
        result.verdict = Verdict.ERROR
        return result
    body = response["Body"]
    version = response.get("VersionId") or obj.version_id
    if version == "null":
        version = None
    try:
        return scanner.scan_stream(
            body,
            name=obj.key,
            uri=obj.uri,
            version=version,
            size=int(response.get("ContentLength", 0)) if "ContentLength" in response else obj.size,
        )
    finally:
        body.close()


def already_scanned(client: Any, obj: S3Object, engine_tag: str) -> bool:
    """True when the object carries a final status tag from the same engine and rules version."""
    try:
        tags = client.get_object_tagging(Bucket=obj.bucket, Key=obj.key, **obj.version_args()).get(
            "TagSet", []
        )
    except (ClientError, BotoCoreError):
        return False
    values = {t["Key"]: t["Value"] for t in tags}
    return values.get(ENGINE_TAG) == tag_value(engine_tag) and values.get(STATUS_TAG) in FINAL_STATUSES


class Checkpoint:
    """An append-only JSONL file: a header naming the scope and engine, then one line per finished object."""

    def __init__(self, path: Path | None, scope: str, engine_tag: str) -> None:
        self.path = path
        self.scope = scope
        self.engine_tag = engine_tag
        self.done: dict[str, str] = {}
        self._lock = threading.Lock()
        self._stream: Any = None

    def open(self) -> Checkpoint:
        """Read what an earlier run finished (same scope and engine), then append to the file."""
        if self.path is None:
            return self
        fresh = True
        if self.path.is_file():
            lines = self.path.read_text(encoding="utf-8").splitlines()
            header = _json_line(lines[0]) if lines else None
            if header is not None and header.get("scope") != self.scope:
                raise ConfigError(
                    f"--checkpoint {str(self.path)!r}: belongs to a scan of {header.get('scope')!r}, "
                    f"not {self.scope!r}"
                )
            if header is not None and header.get("engine") == self.engine_tag:
                fresh = False
                for line in lines[1:]:
                    entry = _json_line(line)  # a line cut by a crash is ignored
                    if entry is not None and "key" in entry:
                        self.done[str(entry["key"])] = str(entry.get("etag", ""))
        try:
            self._stream = self.path.open("w" if fresh else "a", encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"--checkpoint {str(self.path)!r}: cannot write ({exc.strerror})") from exc
        if fresh:
            self._write({"scope": self.scope, "engine": self.engine_tag})
        elif not self.path.read_bytes().endswith(b"\n"):
            self._stream.write("\n")  # end a line cut by a crash, so the next entry stands alone
        return self

    def is_done(self, obj: S3Object) -> bool:
        """True when an earlier run finished this key with the same ETag."""
        key = _progress_key(obj)
        return key in self.done and self.done[key] == (obj.etag or "")

    def record(self, obj: S3Object, result: ObjectResult) -> None:
        """Mark ``obj`` finished (objects whose verdict is error are left to be retried)."""
        if self._stream is None or result.verdict is Verdict.ERROR:
            return
        self._write({"key": _progress_key(obj), "etag": obj.etag or "", "verdict": result.verdict.value})

    def _write(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._stream.write(json.dumps(entry, separators=(",", ":")) + "\n")
            self._stream.flush()

    def close(self) -> None:
        """Close the file."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def _json_line(line: str) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


@dataclass(slots=True)
class BulkOutcome:
    """What a bulk scan did: each scanned object's result and actions, and what it skipped."""

    scanned: list[tuple[ObjectResult, list[ActionOutcome]]] = field(default_factory=list)
    skipped_checkpoint: int = 0
    skipped_tagged: int = 0
    listing_error: str | None = None


def list_objects(client: Any, bucket: str, prefix: str, all_versions: bool = False) -> Iterator[S3Object]:
    """Every object under ``prefix`` (folder markers left out): current ones, or every version."""
    if all_versions:
        pages = client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix)
        items = (item for page in pages for item in page.get("Versions", []))
    else:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        items = (item for page in pages for item in page.get("Contents", []))
    for item in items:
        if item["Key"].endswith("/") and item.get("Size", 0) == 0:
            continue
        version = item.get("VersionId")
        yield S3Object(
            bucket=bucket,
            key=item["Key"],
            version_id=version if version and version != "null" else None,
            size=int(item.get("Size", 0)),
            etag=item.get("ETag"),
        )


def _progress_key(obj: S3Object) -> str:
    return f"{obj.key}?versionId={obj.version_id}" if obj.version_id else obj.key


def scan_prefix(
    scanner: Scanner,
    s3: Any,
    sns: Any,
    uri: str,
    *,
    actions: ActionSettings,
    concurrency: int = 4,
    checkpoint: Path | None = None,
    rescan: bool = False,
    all_versions: bool = False,
    on_result: Callable[[ObjectResult, list[ActionOutcome]], None] | None = None,
) -> BulkOutcome:
    """Scan every object (or every version) under ``uri`` with at most ``concurrency`` in flight."""
    bucket, prefix = parse_s3_uri(uri)
    engine_tag = scanner.version
    outcome = BulkOutcome()
    lock = threading.Lock()
    progress = Checkpoint(checkpoint, uri, engine_tag).open()

    def work(obj: S3Object) -> None:
        if actions.tag and not rescan and already_scanned(s3, obj, engine_tag):
            with lock:
                outcome.skipped_tagged += 1
            return
        result = scan_object(scanner, s3, obj)
        done = apply_actions(s3, sns, obj, result, actions, engine_tag)
        progress.record(obj, result)
        with lock:
            outcome.scanned.append((result, done))
        if on_result is not None:
            on_result(result, done)

    try:
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            pending: set[Future[None]] = set()
            try:
                for obj in list_objects(s3, bucket, prefix, all_versions):
                    if not rescan and progress.is_done(obj):
                        outcome.skipped_checkpoint += 1
                        continue
                    if len(pending) >= concurrency * 2:
                        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for future in finished:
                            future.result()
                    pending.add(pool.submit(work, obj))
            except ClientError as exc:
                outcome.listing_error = f"listing {uri} failed: {exc}"
            for future in pending:
                future.result()
    finally:
        progress.close()
    return outcome


__all__ = [
    "BulkOutcome",
    "Checkpoint",
    "already_scanned",
    "bucket_region",
    "list_objects",
    "parse_s3_uri",
    "s3_clients",
    "scan_object",
    "scan_prefix",
]
