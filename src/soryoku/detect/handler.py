"""The serverless form of the engine: a Lambda handler for new log objects in S3.

It accepts the event shapes AWS delivers — S3 event notifications (direct), the same wrapped in SQS
messages, and EventBridge "Object Created" events — normalises the new objects into the store and
runs the rules. Configuration comes from the environment:

* ``SORYOKU_DETECT_STORE``: the Parquet store (default ``/tmp/soryoku-detect``; mount EFS there so
  history and baselines survive between invocations);
* ``SORYOKU_DETECT_INTEL`` (comma-separated paths), ``SORYOKU_DETECT_IP_RANGES``,
  ``SORYOKU_DETECT_ENVIRONMENT``: the same context files as the CLI options;
* ``SORYOKU_DB``: when set, the result is recorded in that findings store (the hub).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from soryoku.core.result import ScanResult
from soryoku.detect.database import DetectContext
from soryoku.detect.engine import evaluate, ingest_gaps
from soryoku.detect.environment import Environment, load_environment
from soryoku.detect.findings import ENGINE, build_finding
from soryoku.detect.intel import load_intel, load_ip_ranges
from soryoku.detect.sources import IngestState, LogObject, LogStore, ingest


def s3_objects(event: dict[str, Any]) -> Iterator[tuple[str, str, int, str]]:
    """(bucket, key, size, etag) of every object an S3, SQS-wrapped or EventBridge event names."""
    if event.get("detail-type") == "Object Created":
        detail = event.get("detail", {})
        obj = detail.get("object", {})
        yield detail["bucket"]["name"], obj["key"], int(obj.get("size", 0)), str(obj.get("etag", ""))
        return
    for record in event.get("Records", []):
        if record.get("eventSource") == "aws:sqs":
            body = json.loads(record.get("body") or "{}")
            yield from s3_objects(body)
        elif record.get("eventSource") == "aws:s3" and str(record.get("eventName", "")).startswith(
            "ObjectCreated"
        ):
            s3 = record["s3"]
            obj = s3["object"]
            # Keys arrive URL-encoded (spaces as '+').
            yield s3["bucket"]["name"], unquote_plus(obj["key"]), int(obj.get("size", 0)), obj.get("eTag", "")


def _context() -> DetectContext:
    intel = [Path(p) for p in os.environ.get("SORYOKU_DETECT_INTEL", "").split(",") if p.strip()]
    ranges = os.environ.get("SORYOKU_DETECT_IP_RANGES")
    environment = os.environ.get("SORYOKU_DETECT_ENVIRONMENT")
    return DetectContext(
        intel=load_intel(intel),
        ip_ranges=load_ip_ranges(Path(ranges)) if ranges else None,
        environment=load_environment(Path(environment)) if environment else Environment(),
    )


def handle(event: dict[str, Any], s3: Any) -> ScanResult:
    """Normalise the event's objects and run the rules; ``s3`` is a boto3 S3 client."""
    store_dir = Path(os.environ.get("SORYOKU_DETECT_STORE", "/tmp/soryoku-detect"))
    store = LogStore(store_dir)
    objects: list[LogObject] = []
    buckets: set[str] = set()
    for bucket, key, size, etag in s3_objects(event):
        buckets.add(bucket)

        def fetch(bucket: str = bucket, key: str = key) -> bytes:
            body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            return body

        objects.append(LogObject(key, size, etag, fetch))
    scope = ", ".join(f"s3://{b}" for b in sorted(buckets)) or "s3"
    state = IngestState.load(store_dir / "state.json")
    report = ingest(objects, store, state, scope)
    ctx = _context()
    result = ScanResult(engine=ENGINE, scope=scope)
    result.gaps.extend(ingest_gaps(report))
    for outcome in evaluate(store, ctx):
        if outcome.gap is not None:
            result.gaps.append(outcome.gap)
        result.findings.extend(build_finding(outcome.rule, group) for group in outcome.groups)
    return result


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """AWS Lambda entry point."""
    import boto3

    result = handle(event, boto3.client("s3"))
    if os.environ.get("SORYOKU_DB"):
        from soryoku.hub.store import open_store

        with open_store(os.environ["SORYOKU_DB"]) as hub:
            hub.record(result)
    return {
        "findings": len(result.findings),
        "gaps": [f"{gap.scope}: {gap.reason}" for gap in result.gaps],
        "rules": sorted({f.check_id for f in result.findings}),
    }
