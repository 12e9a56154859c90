"""The Lambda handler in-process, with real event shapes, against moto S3 (moto cannot invoke Lambdas)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from soryoku.content.actions import STATUS_TAG
from soryoku.content.handler import STATE, ScanFailedError, handler, objects_from_message
from soryoku.content.samples import EICAR, nested_eicar_zip

pytestmark = pytest.mark.moto


@pytest.fixture
def lambda_env(aws: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An upload bucket, a quarantine bucket and the handler's environment, as the template sets it."""
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="uploads")
    s3.create_bucket(Bucket="quarantine")
    monkeypatch.setenv("SORYOKU_QUARANTINE_BUCKET", "quarantine")
    STATE.reset()
    yield s3
    STATE.reset()


def _status(s3: Any, bucket: str, key: str) -> str | None:
    tags = {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}
    return tags.get(STATUS_TAG)


def s3_event(bucket: str, key: str, size: int, version: str | None = None) -> dict[str, Any]:
    """An S3 event notification as AWS sends it (key URL-encoded with quote_plus)."""
    from urllib.parse import quote_plus

    item: dict[str, Any] = {
        "key": quote_plus(key),
        "size": size,
        "eTag": "0123",
        "sequencer": "0A1B2C3D4E5F678901",
    }
    if version:
        item["versionId"] = version
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": "2026-11-29T12:00:00.000Z",
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
                "requestParameters": {"sourceIPAddress": "203.0.113.7"},
                "responseElements": {
                    "x-amz-request-id": "C3D13FE58DE4C810",
                    "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
                },
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "soryoku-scan",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": item,
                },
            }
        ]
    }


def sqs_event(*bodies: str) -> dict[str, Any]:
    """An SQS batch as Lambda's event source mapping delivers it."""
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1764417600000"},
                "messageAttributes": {},
                "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:soryoku-scan",
                "awsRegion": "us-east-1",
            }
            for body in bodies
        ]
    }


def test_direct_s3_event_with_encoded_key(lambda_env: Any, caplog: pytest.LogCaptureFixture) -> None:
    key = "incoming/my photo (1)+final.com"
    lambda_env.put_object(Bucket="uploads", Key=key, Body=EICAR)
    lambda_env.put_object(Bucket="uploads", Key="incoming/ok.txt", Body=b"fine")
    answer = handler(s3_event("uploads", key, len(EICAR)), None)
    [result] = answer["results"]
    assert (result["uri"], result["verdict"]) == (f"s3://uploads/{key}", "malicious")
    assert "Contents" not in lambda_env.list_objects_v2(Bucket="uploads", Prefix=key)
    assert _status(lambda_env, "quarantine", f"uploads/{key}") == "THREATS_FOUND"
    handler(s3_event("uploads", "incoming/ok.txt", 4), None)
    assert _status(lambda_env, "uploads", "incoming/ok.txt") == "NO_THREATS_FOUND"
    audit = [json.loads(r.getMessage()) for r in caplog.records if r.name == "soryoku.content"]
    assert [(a["uri"], a["status"]) for a in audit] == [
        (f"s3://uploads/{key}", "THREATS_FOUND"),
        ("s3://uploads/incoming/ok.txt", "NO_THREATS_FOUND"),
    ]


def test_sqs_batch_reports_only_the_failed_message(lambda_env: Any) -> None:
    lambda_env.put_object(Bucket="uploads", Key="a.zip", Body=nested_eicar_zip())
    event = sqs_event(
        json.dumps(s3_event("uploads", "a.zip", 10)),
        json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "uploads"}),
        json.dumps(s3_event("uploads", "gone-already.txt", 3)),
        "{not json",
    )
    answer = handler(event, None)
    assert answer["batchItemFailures"] == [{"itemIdentifier": event["Records"][3]["messageId"]}]
    verdicts = [(r["uri"], r["verdict"], r["missing"]) for r in answer["results"]]
    assert verdicts == [
        ("s3://uploads/a.zip", "malicious", False),
        ("s3://uploads/gone-already.txt", "error", True),
    ]


def test_real_s3_to_sqs_delivery(lambda_env: Any) -> None:
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="scan")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    lambda_env.put_bucket_notification_configuration(
        Bucket="uploads",
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    lambda_env.put_object(Bucket="uploads", Key="drop/new file.txt", Body=b"hello")
    lambda_env.put_object(Bucket="uploads", Key="drop/eicar.com", Body=EICAR)
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    event = sqs_event(*[m["Body"] for m in messages])
    answer = handler(event, None)
    assert answer["batchItemFailures"] == []
    assert sorted((r["uri"], r["verdict"]) for r in answer["results"]) == [
        ("s3://uploads/drop/eicar.com", "malicious"),
        ("s3://uploads/drop/new file.txt", "clean"),
    ]
    assert _status(lambda_env, "uploads", "drop/new file.txt") == "NO_THREATS_FOUND"


def test_eventbridge_direct_and_through_sqs(lambda_env: Any) -> None:
    events = boto3.client("events")
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName="bridge")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(
        Name="uploads", EventPattern=json.dumps({"source": ["aws.s3"], "detail-type": ["Object Created"]})
    )
    events.put_targets(Rule="uploads", Targets=[{"Id": "q", "Arn": arn}])
    lambda_env.put_bucket_versioning(Bucket="uploads", VersioningConfiguration={"Status": "Enabled"})
    lambda_env.put_bucket_notification_configuration(
        Bucket="uploads", NotificationConfiguration={"EventBridgeConfiguration": {}}
    )
    first = lambda_env.put_object(Bucket="uploads", Key="docs/a b.txt", Body=b"v1 clean")["VersionId"]
    lambda_env.put_object(Bucket="uploads", Key="docs/a b.txt", Body=EICAR)
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    bodies = [json.loads(m["Body"]) for m in messages]
    assert [b["detail-type"] for b in bodies] == ["Object Created", "Object Created"]
    v1_event = next(b for b in bodies if b["detail"]["object"]["version-id"] == first)
    answer = handler(v1_event, None)  # EventBridge → Lambda
    [result] = answer["results"]
    assert (result["verdict"], result["version"]) == ("clean", first)
    tags = lambda_env.get_object_tagging(Bucket="uploads", Key="docs/a b.txt", VersionId=first)["TagSet"]
    assert {t["Key"]: t["Value"] for t in tags}[STATUS_TAG] == "NO_THREATS_FOUND"
    v2_event = next(b for b in bodies if b["detail"]["object"]["version-id"] != first)
    batch = handler(sqs_event(json.dumps(v2_event)), None)  # EventBridge → SQS → Lambda
    assert [(r["verdict"], r["version"]) for r in batch["results"]] == [
        ("malicious", v2_event["detail"]["object"]["version-id"])
    ]
    remaining = [v["VersionId"] for v in lambda_env.list_object_versions(Bucket="uploads")["Versions"]]
    assert remaining == [first]


def test_direct_event_raises_so_lambda_retries_a_failed_scan(
    lambda_env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    lambda_env.put_object(Bucket="uploads", Key="x.txt", Body=b"x")
    monkeypatch.setenv("SORYOKU_QUARANTINE_BUCKET", "")
    from soryoku.content import handler as module

    def broken_scan(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    STATE.reset()
    built, _, _, _ = STATE.get()
    monkeypatch.setattr(built.scanner, "_scan_blob", broken_scan)
    with pytest.raises(ScanFailedError, match=r"s3://uploads/x\.txt"):
        module.handler(s3_event("uploads", "x.txt", 1), None)
    assert _status(lambda_env, "uploads", "x.txt") == "FAILED"


def test_sns_envelope_and_unrelated_messages() -> None:
    inner = json.dumps(s3_event("b", "k/x y.txt", 1))  # encoded as k%2Fx+y.txt
    envelope = json.dumps({"Type": "Notification", "Message": inner})
    [item] = objects_from_message(envelope)
    assert (item.obj.bucket, item.obj.key) == ("b", "k/x y.txt")
    assert objects_from_message(json.dumps([1, 2])) == []
    assert objects_from_message(json.dumps({"source": "aws.ec2", "detail-type": "x", "detail": {}})) == []


def test_rules_pulled_from_an_s3_rules_bucket(
    lambda_env: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    lambda_env.create_bucket(Bucket="rules")
    rule = 'rule house_marker { meta: author = "secops" strings: $a = "HOUSE-MARKER-77" condition: $a }'
    lambda_env.put_object(Bucket="rules", Key="yara/house.yar", Body=rule.encode())
    lambda_env.put_object(Bucket="rules", Key="yara/README.md", Body=b"not a rule")
    monkeypatch.setenv("SORYOKU_RULES_S3_URI", "s3://rules/yara/")
    monkeypatch.setenv("SORYOKU_RULES_DIR", str(tmp_path / "rules"))
    monkeypatch.setenv("SORYOKU_QUARANTINE_BUCKET", "")
    STATE.reset()
    lambda_env.put_object(Bucket="uploads", Key="note.txt", Body=b"hello HOUSE-MARKER-77")
    [result] = handler(s3_event("uploads", "note.txt", 21), None)["results"]
    assert [(m["rule"], m["meta"]["author"]) for m in result["matches"]] == [("house_marker", "secops")]
    assert sorted(p.name for p in (tmp_path / "rules").rglob("*")) == ["house.yar"]
