"""S3 scanning against the moto server over HTTP: bulk, tags, quarantine, notify, and the failures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from soryoku.content.actions import (
    DATE_TAG,
    ENGINE_TAG,
    STATUS_TAG,
    ActionSettings,
    S3Object,
    apply_actions,
    merge_tags,
    tag_value,
)
from soryoku.content.s3 import Checkpoint, s3_clients, scan_object, scan_prefix
from soryoku.content.samples import EICAR, encrypted_zip, nested_eicar_zip
from soryoku.content.setup import ScannerSettings, build_scanner
from soryoku.content.verdict import Limits, Verdict
from soryoku.core.errors import ConfigError

pytestmark = pytest.mark.moto


def _scanner(limits: Limits | None = None) -> Any:
    return build_scanner(ScannerSettings(limits=limits or Limits())).scanner


def _tags(s3: Any, bucket: str, key: str, **version: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=key, **version)["TagSet"]}


@pytest.fixture
def upload(aws: str) -> Any:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="uploads")
    s3.create_bucket(Bucket="quarantine")
    s3.put_object(
        Bucket="uploads", Key="in/eicar.com", Body=EICAR, Metadata={"uploader": "alice"}, Tagging="team=web"
    )
    s3.put_object(Bucket="uploads", Key="in/deep/bundle.zip", Body=nested_eicar_zip())
    s3.put_object(Bucket="uploads", Key="in/locked.zip", Body=encrypted_zip({"a.txt": b"x"}))
    s3.put_object(Bucket="uploads", Key="in/report 2024 (final).txt", Body=b"quarterly numbers\n")
    s3.put_object(Bucket="uploads", Key="other/eicar.com", Body=EICAR)
    return s3


def test_bulk_scan_tags_and_quarantines(upload: Any) -> None:
    scanner = _scanner()
    s3, sns = s3_clients()
    actions = ActionSettings(quarantine_bucket="quarantine", quarantine_prefix="q/")
    bulk = scan_prefix(scanner, s3, sns, "s3://uploads/in/", actions=actions, concurrency=3)
    verdicts = {r.uri: r.verdict.value for r, _ in bulk.scanned}
    assert verdicts == {
        "s3://uploads/in/eicar.com": "malicious",
        "s3://uploads/in/deep/bundle.zip": "malicious",
        "s3://uploads/in/locked.zip": "unscannable",
        "s3://uploads/in/report 2024 (final).txt": "clean",
    }
    left = sorted(o["Key"] for o in upload.list_objects_v2(Bucket="uploads")["Contents"])
    assert left == ["in/locked.zip", "in/report 2024 (final).txt", "other/eicar.com"]
    moved = upload.head_object(Bucket="quarantine", Key="q/uploads/in/eicar.com")
    assert moved["Metadata"] == {"uploader": "alice"}
    tags = _tags(upload, "quarantine", "q/uploads/in/eicar.com")
    assert tags["team"] == "web"
    assert tags[STATUS_TAG] == "THREATS_FOUND"
    assert tags[ENGINE_TAG] == tag_value(scanner.version)
    assert _tags(upload, "quarantine", "q/uploads/in/deep/bundle.zip")[STATUS_TAG] == "THREATS_FOUND"
    assert _tags(upload, "uploads", "in/locked.zip")[STATUS_TAG] == "INCOMPLETE"
    clean = _tags(upload, "uploads", "in/report 2024 (final).txt")
    assert clean[STATUS_TAG] == "NO_THREATS_FOUND"
    assert clean[DATE_TAG].endswith("Z")
    assert "soryoku-scan-status" not in _tags(upload, "uploads", "other/eicar.com")


def test_second_run_skips_objects_tagged_by_the_same_rules(upload: Any) -> None:
    scanner = _scanner()
    s3, sns = s3_clients()
    first = scan_prefix(scanner, s3, sns, "s3://uploads/in/", actions=ActionSettings())
    assert len(first.scanned) == 4
    second = scan_prefix(scanner, s3, sns, "s3://uploads/in/", actions=ActionSettings())
    # final verdicts are skipped; the INCOMPLETE one is scanned again
    assert (second.skipped_tagged, [r.uri for r, _ in second.scanned]) == (3, ["s3://uploads/in/locked.zip"])
    again = scan_prefix(scanner, s3, sns, "s3://uploads/in/", actions=ActionSettings(), rescan=True)
    assert len(again.scanned) == 4


def test_checkpoint_resumes_and_guards_its_scope(upload: Any, tmp_path: Path) -> None:
    scanner = _scanner()
    s3, sns = s3_clients()
    path = tmp_path / "ckpt.jsonl"
    etag = upload.head_object(Bucket="uploads", Key="in/eicar.com")["ETag"]
    path.write_text(
        json.dumps({"scope": "s3://uploads/in/", "engine": scanner.version})
        + "\n"
        + json.dumps({"key": "in/eicar.com", "etag": etag, "verdict": "malicious"})
        + '\n{"key": "in/deep/bun'  # a line cut by a crash
    )
    no_tags = ActionSettings(tag=False)
    bulk = scan_prefix(scanner, s3, sns, "s3://uploads/in/", actions=no_tags, checkpoint=path)
    assert bulk.skipped_checkpoint == 1
    assert sorted(r.uri for r, _ in bulk.scanned) == [
        "s3://uploads/in/deep/bundle.zip",
        "s3://uploads/in/locked.zip",
        "s3://uploads/in/report 2024 (final).txt",
    ]
    rerun = scan_prefix(scanner, s3, sns, "s3://uploads/in/", actions=no_tags, checkpoint=path)
    assert (rerun.skipped_checkpoint, len(rerun.scanned)) == (4, 0)
    upload.put_object(Bucket="uploads", Key="in/eicar.com", Body=b"replaced with something clean")
    changed = scan_prefix(scanner, s3, sns, "s3://uploads/in/", actions=no_tags, checkpoint=path)
    assert [r.uri for r, _ in changed.scanned] == ["s3://uploads/in/eicar.com"]
    with pytest.raises(ConfigError, match="belongs to a scan of"):
        Checkpoint(path, "s3://uploads/other/", scanner.version).open()


def test_merge_tags_keeps_the_objects_own_tags() -> None:
    ours = {STATUS_TAG: "NO_THREATS_FOUND", DATE_TAG: "d", ENGINE_TAG: "e"}
    eight = [{"Key": f"k{i}", "Value": "v"} for i in range(8)]
    merged, dropped = merge_tags(eight, ours)
    assert (len(merged), dropped) == (10, [ENGINE_TAG])
    merged, dropped = merge_tags([*eight, {"Key": STATUS_TAG, "Value": "FAILED"}], ours)
    assert {t["Key"]: t["Value"] for t in merged}[STATUS_TAG] == "NO_THREATS_FOUND"
    assert dropped == [ENGINE_TAG]
    ten = [{"Key": f"k{i}", "Value": "v"} for i in range(10)]
    assert merge_tags(ten, ours) == (ten, [STATUS_TAG, DATE_TAG, ENGINE_TAG])


def test_tag_limit_is_reported_not_forced(aws: str) -> None:
    s3, sns = s3_clients()
    s3.create_bucket(Bucket="full")
    s3.put_object(Bucket="full", Key="f.txt", Body=b"ok", Tagging="&".join(f"k{i}=v" for i in range(10)))
    obj = S3Object("full", "f.txt")
    result = scan_object(_scanner(), s3, obj)
    [outcome] = apply_actions(s3, sns, obj, result, ActionSettings(), "engine")
    assert (outcome.ok, outcome.detail) == (
        False,
        f"the object already has 10 tags: no room for {STATUS_TAG}",
    )
    assert len(_tags(s3, "full", "f.txt")) == 10


def test_access_denied_on_tagging_and_on_reading(aws: str) -> None:
    s3, sns = s3_clients()
    s3.create_bucket(Bucket="locked")
    s3.put_object(Bucket="locked", Key="a.txt", Body=b"fine")
    # moto enforces bucket-policy Deny on writes; it checks PutObjectTagging as s3:PutObject
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:PutObject"],
        "Resource": "arn:aws:s3:::locked/*",
    }
    s3.put_bucket_policy(Bucket="locked", Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny]}))
    obj = S3Object("locked", "a.txt")
    result = scan_object(_scanner(), s3, obj)
    assert result.verdict is Verdict.CLEAN
    [outcome] = apply_actions(s3, sns, obj, result, ActionSettings(), "engine")
    assert (outcome.ok, outcome.detail) == (False, "tagging NO_THREATS_FOUND failed: access denied")
    s3.create_bucket(Bucket="noread")
    s3.put_object(Bucket="noread", Key="b.txt", Body=b"x")
    deny_read = {**deny, "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::noread/*"}
    s3.put_bucket_policy(
        Bucket="noread", Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny_read]})
    )
    denied = scan_object(_scanner(), s3, S3Object("noread", "b.txt"))
    assert (denied.verdict, denied.access_denied, denied.reasons) == (
        Verdict.ERROR,
        True,
        ["access denied reading the object"],
    )
    # moto's Deny on GetObject also denies GetObjectTagging: the tags cannot be merged, so none are
    # written (overwriting would drop the object's own tags) and the failure is reported
    [tagged] = apply_actions(s3, sns, S3Object("noread", "b.txt"), denied, ActionSettings(), "engine")
    assert (tagged.ok, tagged.detail) == (False, "tagging ACCESS_DENIED failed: access denied")


def test_missing_quarantine_bucket_deletes_nothing(upload: Any) -> None:
    s3, sns = s3_clients()
    obj = S3Object("uploads", "in/eicar.com")
    result = scan_object(_scanner(), s3, obj)
    outcomes = apply_actions(s3, sns, obj, result, ActionSettings(quarantine_bucket="no-such-bucket"), "e")
    assert [(o.action, o.ok) for o in outcomes] == [("tag", True), ("quarantine", False)]
    assert "original kept" in outcomes[1].detail
    assert upload.get_object(Bucket="uploads", Key="in/eicar.com")["Body"].read() == EICAR


def test_object_deleted_before_the_scan(upload: Any) -> None:
    s3, sns = s3_clients()
    upload.delete_object(Bucket="uploads", Key="in/eicar.com")
    obj = S3Object("uploads", "in/eicar.com")
    result = scan_object(_scanner(), s3, obj)
    assert (result.verdict, result.missing) == (Verdict.ERROR, True)
    assert result.reasons == ["object no longer exists (deleted before the scan)"]
    outcomes = apply_actions(s3, sns, obj, result, ActionSettings(quarantine_bucket="quarantine"), "e")
    assert [(o.action, o.ok) for o in outcomes] == [("tag", False)]


def test_object_over_the_size_limit_is_incomplete_without_download(upload: Any) -> None:
    s3, sns = s3_clients()
    upload.put_object(Bucket="uploads", Key="in/big.bin", Body=b"\x01" * 5000)
    small = _scanner(Limits(max_object_bytes=1000))
    listed = S3Object("uploads", "in/big.bin", size=5000)
    result = scan_object(small, s3, listed)
    assert (result.verdict, result.bytes_scanned) == (Verdict.UNSCANNABLE, 0)
    unsized = scan_object(small, s3, S3Object("uploads", "in/big.bin"))
    assert unsized.verdict is Verdict.UNSCANNABLE
    apply_actions(s3, sns, listed, result, ActionSettings(), "e")
    assert _tags(upload, "uploads", "in/big.bin")[STATUS_TAG] == "INCOMPLETE"


def test_versioned_bucket_scans_tags_and_quarantines_the_exact_version(aws: str) -> None:
    s3, sns = s3_clients()
    s3.create_bucket(Bucket="versions")
    s3.create_bucket(Bucket="quarantine")
    s3.put_bucket_versioning(Bucket="versions", VersioningConfiguration={"Status": "Enabled"})
    bad = s3.put_object(Bucket="versions", Key="f.com", Body=EICAR)["VersionId"]
    good = s3.put_object(Bucket="versions", Key="f.com", Body=b"clean now")["VersionId"]
    obj = S3Object("versions", "f.com", version_id=bad)
    result = scan_object(_scanner(), s3, obj)
    assert (result.verdict, result.version) == (Verdict.MALICIOUS, bad)
    outcomes = apply_actions(s3, sns, obj, result, ActionSettings(quarantine_bucket="quarantine"), "e")
    assert all(o.ok for o in outcomes), outcomes
    versions = [v["VersionId"] for v in s3.list_object_versions(Bucket="versions")["Versions"]]
    assert versions == [good]
    assert STATUS_TAG not in _tags(s3, "versions", "f.com", VersionId=good)


def test_notification_reaches_an_sns_subscriber(upload: Any) -> None:
    s3, sns = s3_clients()
    sqs = boto3.client("sqs")
    topic = sns.create_topic(Name="verdicts")["TopicArn"]
    queue = sqs.create_queue(QueueName="verdicts")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    obj = S3Object("uploads", "in/deep/bundle.zip")
    result = scan_object(_scanner(), s3, obj)
    outcomes = apply_actions(s3, sns, obj, result, ActionSettings(sns_topic_arn=topic), "e")
    assert [(o.action, o.ok) for o in outcomes] == [("tag", True), ("notify", True)]
    [message] = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"]
    body = json.loads(message["Body"])
    assert (body["status"], body["verdict"], body["key"]) == (
        "THREATS_FOUND",
        "malicious",
        "in/deep/bundle.zip",
    )
    assert body["matches"][0]["path"] == "level1.tar.gz!level1.tar!level2.zip!eicar.com"


def test_promote_copies_clean_objects_only(upload: Any) -> None:
    s3, sns = s3_clients()
    upload.create_bucket(Bucket="production")
    settings = ActionSettings(promote_bucket="production")
    bulk = scan_prefix(_scanner(), s3, sns, "s3://uploads/in/", actions=settings)
    promoted = [o.detail for _, done in bulk.scanned for o in done if o.action == "promote"]
    assert promoted == ["copied to s3://production/in/report 2024 (final).txt"]
    keys = [o["Key"] for o in upload.list_objects_v2(Bucket="production")["Contents"]]
    assert keys == ["in/report 2024 (final).txt"]
    assert _tags(upload, "production", keys[0])[STATUS_TAG] == "NO_THREATS_FOUND"


def test_sse_kms_objects_are_scanned(aws: str) -> None:
    s3, _ = s3_clients()
    key_id = boto3.client("kms").create_key()["KeyMetadata"]["KeyId"]
    s3.create_bucket(Bucket="secret")
    s3.put_object(
        Bucket="secret", Key="e.com", Body=EICAR, ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id
    )
    result = scan_object(_scanner(), s3, S3Object("secret", "e.com"))
    assert result.verdict is Verdict.MALICIOUS


def test_verdict_event_reaches_an_eventbridge_rule(upload: Any) -> None:
    s3, sns = s3_clients()
    events = boto3.client("events")
    sqs = boto3.client("sqs")
    events.create_event_bus(Name="security")
    queue = sqs.create_queue(QueueName="security-verdicts")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"source": ["soryoku.content"], "detail": {"status": ["THREATS_FOUND"]}}
    events.put_rule(Name="threats", EventBusName="security", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="threats", EventBusName="security", Targets=[{"Id": "q", "Arn": arn}])
    settings = ActionSettings(tag=False, event_bus="security")
    for key in ("in/eicar.com", "in/locked.zip"):
        obj = S3Object("uploads", key)
        outcomes = apply_actions(s3, sns, obj, scan_object(_scanner(), s3, obj), settings, "e")
        assert [(o.action, o.ok) for o in outcomes] == [("event", True)]
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    details = [json.loads(m["Body"])["detail"] for m in messages]
    assert [(d["key"], d["verdict"]) for d in details] == [("in/eicar.com", "malicious")]


def test_large_objects_are_copied_multipart_with_metadata_and_tags(upload: Any) -> None:
    from soryoku.content.actions import quarantine
    from soryoku.content.verdict import ObjectResult

    s3, _ = s3_clients()
    body = bytes(range(256)) * (48 * 1024)  # 12 MiB
    upload.put_object(
        Bucket="uploads",
        Key="big/video.bin",
        Body=body,
        Metadata={"owner": "bob"},
        ContentType="video/mp4",
        Tagging="project=x",
    )
    obj = S3Object("uploads", "big/video.bin")
    result = ObjectResult(uri=obj.uri, verdict=Verdict.MALICIOUS)
    outcome = quarantine(s3, obj, result, "quarantine", copy_threshold=5 * 1024 * 1024)
    assert (outcome.ok, outcome.detail) == (True, "moved to s3://quarantine/uploads/big/video.bin")
    copy = upload.get_object(Bucket="quarantine", Key="uploads/big/video.bin")
    assert "-" in copy["ETag"]  # really a multipart copy
    assert (copy["Metadata"], copy["ContentType"]) == ({"owner": "bob"}, "video/mp4")
    assert copy["Body"].read() == body
    assert _tags(upload, "quarantine", "uploads/big/video.bin") == {"project": "x"}
    assert "Contents" not in upload.list_objects_v2(Bucket="uploads", Prefix="big/")


def test_all_versions_finds_malware_in_older_versions(aws: str, tmp_path: Path) -> None:
    s3, sns = s3_clients()
    s3.create_bucket(Bucket="history")
    s3.put_bucket_versioning(Bucket="history", VersioningConfiguration={"Status": "Enabled"})
    old = s3.put_object(Bucket="history", Key="doc.txt", Body=EICAR)["VersionId"]
    new = s3.put_object(Bucket="history", Key="doc.txt", Body=b"harmless now")["VersionId"]
    scanner = _scanner()
    current = scan_prefix(scanner, s3, sns, "s3://history/", actions=ActionSettings(tag=False))
    assert [(r.version, r.verdict.value) for r, _ in current.scanned] == [(new, "clean")]
    path = tmp_path / "ckpt.jsonl"
    every = scan_prefix(
        scanner,
        s3,
        sns,
        "s3://history/",
        actions=ActionSettings(tag=False),
        all_versions=True,
        checkpoint=path,
    )
    assert sorted((r.version, r.verdict.value) for r, _ in every.scanned) == sorted(
        [(new, "clean"), (old, "malicious")]
    )
    assert next(r for r, _ in every.scanned if r.version == old).uri == "s3://history/doc.txt"
    again = scan_prefix(
        scanner,
        s3,
        sns,
        "s3://history/",
        actions=ActionSettings(tag=False),
        all_versions=True,
        checkpoint=path,
    )
    assert (again.skipped_checkpoint, again.scanned) == (2, [])
