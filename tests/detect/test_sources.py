"""Sources: decoding, malformed input reported with its location, incremental state, S3."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from soryoku.core.errors import ConfigError, InputError
from soryoku.detect.simulate.dataset import Logs, alice
from soryoku.detect.simulate.events import Flow, ct, dns_query
from soryoku.detect.simulate.layout import save
from soryoku.detect.sources import IngestState, LogStore, ingest, list_local, list_source
from soryoku.detect.sources.cloudtrail import decode_cloudtrail
from soryoku.detect.sources.flowlogs import DEFAULT_FIELDS, decode_flow_log
from soryoku.detect.sources.resolver import decode_resolver_log

T = datetime(2024, 5, 10, 10, 0)
TRAIL = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/10/f.json.gz"


def _trail(records: list[object]) -> bytes:
    return json.dumps({"Records": records}).encode()


def test_cloudtrail_record_keeps_typed_columns_and_the_raw_bytes() -> None:
    record = ct(alice, "iam", "ListUsers", T, params={"maxItems": 5}, error="AccessDenied")
    decoded = decode_cloudtrail(_trail([record]), TRAIL)
    assert decoded.problems == []
    row = decoded.table.to_pylist()[0]
    assert row["event_id"] == record["eventID"]
    assert row["principal_arn"] == alice.arn and row["principal_type"] == "IAMUser"
    assert row["access_key_id"] == alice.access_key and row["error_code"] == "AccessDenied"
    assert json.loads(row["request_parameters"]) == {"maxItems": 5}
    assert json.loads(row["raw"]) == record
    assert row["time"] == T


def test_malformed_records_are_reported_by_index_and_the_rest_kept() -> None:
    good = ct(alice, "iam", "ListUsers", T)
    no_name = {k: v for k, v in good.items() if k != "eventName"}
    bad_time = good | {"eventTime": "yesterday", "eventID": "x"}
    decoded = decode_cloudtrail(_trail([good, no_name, good | {"eventID": "y"}]), TRAIL)
    assert decoded.rows == 2
    assert [p.location for p in decoded.problems] == [f"{TRAIL}#1"]
    timed = decode_cloudtrail(_trail([good, bad_time]), TRAIL)
    assert timed.rows == 1 and timed.problems[0].location == f"{TRAIL}#1"
    assert "yesterday" in timed.problems[0].reason


def test_a_file_that_is_not_cloudtrail_is_one_problem() -> None:
    decoded = decode_cloudtrail(b"<html>", TRAIL)
    assert decoded.table is None and decoded.problems[0].location == TRAIL


def test_flow_logs_default_and_custom_formats() -> None:
    default = " ".join(DEFAULT_FIELDS) + "\n"
    default += (
        "2 111122223333 eni-1 10.0.0.5 45.9.148.21 40000 3333 6 10 840 1715335200 1715335260 ACCEPT OK\n"
    )
    default += "2 111122223333 eni-1 - - - - - - - 1715335200 1715335260 - NODATA\n"
    default += "2 111122223333 eni-1 10.0.0.5 1.2.3.4 x 22 6 1 1 1715335200 1715335260 ACCEPT OK\n"
    decoded = decode_flow_log(default, "flow.log", "eu-west-1")
    rows = decoded.table.to_pylist()
    assert [r["dst_port"] for r in rows] == [3333, None]
    assert rows[0]["region"] == "eu-west-1" and rows[0]["key"] == "flow.log#2"
    assert [p.location for p in decoded.problems] == ["flow.log#4"]
    custom = "version instance-id srcaddr dstaddr srcport dstport protocol start end action region\n"
    custom += "5 i-0abc 10.0.0.5 45.9.148.21 40000 3333 6 1715335200 1715335260 ACCEPT us-west-2\n"
    row = decode_flow_log(custom, "c.log").table.to_pylist()[0]
    assert row["instance_id"] == "i-0abc" and row["region"] == "us-west-2" and row["interface_id"] is None


def test_resolver_query_lines() -> None:
    text = json.dumps(dns_query(T, "Pool.SupportXMR.com", answers=("1.2.3.4",))) + "\nnot json\n"
    decoded = decode_resolver_log(text.encode(), "q.log")
    row = decoded.table.to_pylist()[0]
    assert (
        row["query_name"] == "pool.supportxmr.com" and row["answers"] == "1.2.3.4" and row["key"] == "q.log#1"
    )
    assert [p.location for p in decoded.problems] == ["q.log#2"]


def test_ingest_partitions_reports_problems_and_rereads_only_new_files(tmp_path: Path) -> None:
    logs = Logs(
        cloudtrail=[ct(alice, "iam", "ListUsers", T), ct(alice, "iam", "ListUsers", T, region="eu-west-1")],
        flows=[Flow(T, "10.0.1.5", "1.2.3.4", 1, 443)],
        dns=[dns_query(T, "example.com")],
    )
    root = tmp_path / "logs"
    save(logs.render(), root)
    corrupt = root / "AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/10/broken.json.gz"
    corrupt.write_bytes(b"\x1f\x8b\x08\x00garbage")
    (root / "README.txt").write_text("not a log")
    digest = root / "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/10/d.json.gz"
    digest.parent.mkdir(parents=True)
    digest.write_bytes(gzip.compress(b"{}"))
    store = LogStore(tmp_path / "store")
    state = IngestState(tmp_path / "state.json")
    report = ingest(list_local(root), store, state, str(root))
    assert report.records == {"cloudtrail": 2, "flow": 1, "dns": 1}
    assert sorted(p.location for p in report.problems) == [
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/10/broken.json.gz",
        "README.txt",
    ]
    partitions = sorted(p.parent.relative_to(store.root).as_posix() for p in store.root.rglob("*.parquet"))
    assert "cloudtrail/account=111122223333/region=eu-west-1/day=2024-05-10" in partitions
    again = ingest(list_local(root), store, IngestState.load(tmp_path / "state.json"), str(root))
    assert again.total_records == 0 and again.files_read == 0 and again.problems == []
    save(Logs(cloudtrail=[ct(alice, "s3", "ListBuckets", T.replace(hour=11))]).render(), root)
    third = ingest(list_local(root), store, IngestState.load(tmp_path / "state.json"), str(root))
    assert third.records == {"cloudtrail": 1}
    count = (
        duckdb.connect()
        .execute(f"SELECT count(*) FROM read_parquet('{store.glob('cloudtrail')}')")
        .fetchone()
    )
    assert count == (3,)


def test_bad_inputs_fail_with_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        list(list_local(tmp_path / "missing"))
    (tmp_path / "state.json").write_text("{}")
    with pytest.raises(ConfigError, match="state file"):
        IngestState.load(tmp_path / "state.json")


@pytest.mark.moto
def test_s3_prefix_is_read_like_a_folder(aws: str, tmp_path: Path) -> None:
    import boto3

    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="trail-bucket")
    files = Logs(
        cloudtrail=[ct(alice, "iam", "ListUsers", T)], flows=[Flow(T, "10.0.1.5", "1.2.3.4", 1, 443)]
    ).render()
    for key, data in files.items():
        s3.put_object(Bucket="trail-bucket", Key=f"org/{key}", Body=data)
    objects = list(list_source("s3://trail-bucket/org"))
    assert sorted(o.key for o in objects) == sorted(files)
    report = ingest(objects, LogStore(tmp_path / "store"), None, "s3://trail-bucket/org")
    assert report.records == {"cloudtrail": 1, "flow": 1}
    with pytest.raises(InputError, match="cannot list"):
        list(list_source("s3://no-such-bucket/x"))


@pytest.mark.moto
def test_an_s3_object_that_could_not_be_fetched_is_tried_again_next_run(aws: str, tmp_path: Path) -> None:
    import boto3

    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="flaky-bucket")
    [(key, data)] = Logs(cloudtrail=[ct(alice, "iam", "ListUsers", T)]).render().items()
    s3.put_object(Bucket="flaky-bucket", Key=key, Body=data)
    state = IngestState(tmp_path / "state.json")
    store = LogStore(tmp_path / "store")
    listed = list(list_source("s3://flaky-bucket"))
    s3.delete_object(Bucket="flaky-bucket", Key=key)  # listed, then gone when fetched: NoSuchKey
    first = ingest(listed, store, state, "s3://flaky-bucket")
    assert first.records == {} and "NoSuchKey" in first.problems[0].reason
    s3.put_object(Bucket="flaky-bucket", Key=key, Body=data)  # same bytes, same ETag
    again = ingest(list_source("s3://flaky-bucket"), store, state, "s3://flaky-bucket")
    assert again.records == {"cloudtrail": 1} and again.problems == [], "not recorded as read the first time"
