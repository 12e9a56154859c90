"""The Lambda handler with real S3 → SQS notification shapes from moto."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import boto3
import pytest

from soryoku.detect.handler import handler, s3_objects
from soryoku.detect.simulate.dataset import Logs, deploy_bot
from soryoku.detect.simulate.events import ct

T = datetime(2024, 5, 10, 10, 0)


def test_event_shapes() -> None:
    obj = {"key": "AWSLogs/a+b%3D.json.gz", "size": 3, "eTag": "e"}
    s3 = {"bucket": {"name": "b"}, "object": obj}
    direct = {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put", "s3": s3}]}
    assert list(s3_objects(direct)) == [("b", "AWSLogs/a b=.json.gz", 3, "e")]
    bridge = {
        "detail-type": "Object Created",
        "detail": {"bucket": {"name": "b"}, "object": {"key": "k", "size": 1}},
    }
    assert list(s3_objects(bridge)) == [("b", "k", 1, "")]
    test_event = {"Records": [{"eventSource": "aws:sqs", "body": json.dumps({"Event": "s3:TestEvent"})}]}
    assert list(s3_objects(test_event)) == []


@pytest.mark.moto
def test_new_trail_file_via_s3_to_sqs_notification(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORYOKU_DETECT_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("SORYOKU_DB", str(tmp_path / "hub.db"))
    s3, sqs = boto3.client("s3"), boto3.client("sqs")
    queue = sqs.create_queue(QueueName="trail-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.create_bucket(Bucket="org-trail")
    s3.put_bucket_notification_configuration(
        Bucket="org-trail",
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    record = ct(deploy_bot, "cloudtrail", "StopLogging", T, params={"name": "org-trail"})
    for key, data in Logs(cloudtrail=[record]).render().items():
        s3.put_object(Bucket="org-trail", Key=key, Body=data)
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    event = {"Records": [{"eventSource": "aws:sqs", "body": m["Body"]} for m in messages]}
    answer = handler(event, None)
    assert "cloudtrail_logging_stopped" in answer["rules"]
    assert not any("cloudtrail_logging_stopped" in gap for gap in answer["gaps"])
    again = handler(event, None)  # a redelivered notification reads nothing twice
    assert again["findings"] == answer["findings"]
    assert (tmp_path / "hub.db").exists()
