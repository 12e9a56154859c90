"""lookup://: CloudTrail LookupEvents pages → the trail normalisation, per hour, incrementally."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import duckdb
import pytest
from botocore.stub import Stubber

from soryoku.core.errors import InputError
from soryoku.detect.database import DetectContext
from soryoku.detect.engine import detect
from soryoku.detect.rules import RULES
from soryoku.detect.sources import IngestState, LogStore, ingest
from soryoku.detect.sources.lookup import list_lookup, parse_lookup_url, render_records, window

NOW = datetime(2023, 9, 8, 0, 20, tzinfo=UTC)


def _record(event_id: str, name: str, source: str, at: str, **extra: Any) -> str:
    """A CloudTrailEvent string shaped like the example of AWS's LookupEvents documentation."""
    record = {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAJ45Q7YFFAREXAMPLE",
            "arn": "arn:aws:iam::123456789012:user/Alice",
            "accountId": "123456789012",
            "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "userName": "Alice",
        },
        "eventTime": at,
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.1",
        "userAgent": "aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exe/x86_64.amzn.2",
        "requestParameters": extra.pop("params", None),
        "responseElements": None,
        "requestID": "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222",
        "eventID": event_id,
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.2", "clientProvidedHostHeader": f"{source}"},
    }
    # AWS's own serialisation has no spaces; keep it byte-for-byte to check `raw`.
    return json.dumps(record, separators=(",", ":"))


def _event(text: str, resources: list[dict[str, str]] | None = None) -> dict[str, Any]:
    record = json.loads(text)
    return {
        "EventId": record["eventID"],
        "EventName": record["eventName"],
        "ReadOnly": "false",
        "AccessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "EventTime": datetime.fromisoformat(record["eventTime"].replace("Z", "+00:00")),
        "EventSource": record["eventSource"],
        "Username": "Alice",
        "Resources": resources or [],
        "CloudTrailEvent": text,
    }


CREATE_USER = _record(
    "d4c7e8f2-1a3b-4c5d-9e8f-EXAMPLE11111", "CreateUser", "iam.amazonaws.com", "2023-09-07T20:11:46Z",
    params={"userName": "Bob"},
)  # fmt: skip
STOP_LOGGING = _record(
    "d4c7e8f2-1a3b-4c5d-9e8f-EXAMPLE22222", "StopLogging", "cloudtrail.amazonaws.com", "2023-09-07T20:40:00Z",
    params={"name": "management-events"},
)  # fmt: skip
EARLY = _record(
    "d4c7e8f2-1a3b-4c5d-9e8f-EXAMPLE33333", "ListUsers", "iam.amazonaws.com", "2023-09-07T09:05:10Z"
)
ON_THE_EDGE = _record(
    "d4c7e8f2-1a3b-4c5d-9e8f-EXAMPLE44444", "ListRoles", "iam.amazonaws.com", "2023-09-08T00:00:00Z"
)


def _stubbed_client() -> tuple[Any, Stubber]:
    client = boto3.client(
        "cloudtrail",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        endpoint_url="https://cloudtrail.us-east-1.amazonaws.com",
    )
    stubber = Stubber(client)
    stubber.add_response("lookup_events", {"Events": [_event(STOP_LOGGING)]})  # the probe
    # LookupEvents answers newest first, 50 per page; EndTime is inclusive.
    bob = [{"ResourceType": "AWS::IAM::User", "ResourceName": "Bob"}]
    first = [_event(ON_THE_EDGE), _event(STOP_LOGGING), _event(CREATE_USER, bob)]
    stubber.add_response("lookup_events", {"Events": first, "NextToken": "page-2"})
    stubber.add_response("lookup_events", {"Events": [_event(EARLY)]})
    stubber.activate()
    return client, stubber


def test_parse_lookup_url() -> None:
    assert parse_lookup_url("lookup://") == ()
    assert parse_lookup_url("lookup://eu-west-1, us-east-1") == ("eu-west-1", "us-east-1")
    with pytest.raises(InputError, match="region"):
        parse_lookup_url("lookup://europe")
    assert render_records(['{"a":1}', '{"b":2}']) == b'{"Records":[{"a":1},{"b":2}]}'


def test_pages_become_hourly_trail_files_normalised_with_raw_and_event_id(tmp_path: Path) -> None:
    client, stubber = _stubbed_client()
    objects = list(list_lookup("lookup://us-east-1", clients=lambda region: client, now=NOW, days=1))
    assert len(objects) == 24, "one object per complete hour of the window"
    assert objects[0].key == "CloudTrail/us-east-1/2023/09/07/lookup-events-00.json"
    assert {o.kind for o in objects} == {"cloudtrail"}
    state = IngestState(tmp_path / "state.json")
    report = ingest(objects, LogStore(tmp_path / "store"), state, "lookup://us-east-1")
    stubber.assert_no_pending_responses()
    assert report.problems == [] and report.records == {"cloudtrail": 3}
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT event_id, event_name, raw, file, principal_arn, source_ip FROM read_parquet("
        f"'{tmp_path / 'store' / 'cloudtrail'}/**/*.parquet') ORDER BY time"
    ).fetchall()
    con.close()
    assert [(r[0], r[1]) for r in rows] == [
        ("d4c7e8f2-1a3b-4c5d-9e8f-EXAMPLE33333", "ListUsers"),
        ("d4c7e8f2-1a3b-4c5d-9e8f-EXAMPLE11111", "CreateUser"),
        ("d4c7e8f2-1a3b-4c5d-9e8f-EXAMPLE22222", "StopLogging"),
    ], "the event on the window's end belongs to the next run"
    assert [r[2] for r in rows] == [EARLY, CREATE_USER, STOP_LOGGING], "raw is the CloudTrailEvent verbatim"
    assert rows[1][3] == "CloudTrail/us-east-1/2023/09/07/lookup-events-20.json"
    assert rows[1][4] == "arn:aws:iam::123456789012:user/Alice" and rows[1][5] == "198.51.100.1"
    # A re-run an hour later asks only for the new hour (one probe, one sweep page).
    again = Stubber(client)
    stubber.deactivate()
    again.add_response("lookup_events", {"Events": []})
    again.add_response("lookup_events", {"Events": [_event(ON_THE_EDGE)]})
    again.activate()
    later = list_lookup("lookup://us-east-1", clients=lambda region: client, now=NOW.replace(hour=1), days=1)
    second = ingest(later, LogStore(tmp_path / "store"), state, "lookup://us-east-1")
    again.assert_no_pending_responses()
    assert second.records == {"cloudtrail": 1} and second.files_read == 1


def test_lookup_events_feed_the_rules(tmp_path: Path) -> None:
    client, _ = _stubbed_client()
    from soryoku.detect.sources import lookup

    objects = list(lookup.list_lookup("lookup://us-east-1", clients=lambda region: client, now=NOW, days=1))
    root = tmp_path / "logs"
    for obj in objects:
        path = root / obj.key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(obj.read())
    result, _ = detect(
        str(root),
        LogStore(tmp_path / "store"),
        DetectContext(),
        rules=[RULES.get("cloudtrail_logging_stopped")],
    )
    assert [f.check_id for f in result.findings] == ["cloudtrail_logging_stopped"]
    evidence = result.findings[0].evidences or []
    assert evidence and (evidence[0].data or {}).get("event_id") == "d4c7e8f2-1a3b-4c5d-9e8f-EXAMPLE22222"


@pytest.mark.moto
def test_against_moto_the_missing_api_is_a_gap_with_the_reason(aws: str, tmp_path: Path) -> None:
    result, report = detect(
        "lookup://us-east-1",
        LogStore(tmp_path / "store"),
        DetectContext(),
        rules=[RULES.get("iam_user_created")],
    )
    assert report.records == {} and result.findings == []
    assert [gap.scope for gap in result.gaps] == ["CloudTrail/us-east-1/lookup-events"]
    assert "LookupEvents cannot be read in us-east-1" in result.gaps[0].reason
    assert "<" not in result.gaps[0].reason, "an HTML error page is reduced to its text"


def _calls(client: Any) -> list[dict[str, Any]]:
    """The parameters of every LookupEvents call the client makes, in order."""
    seen: list[dict[str, Any]] = []
    client.meta.events.register(
        "provide-client-params.cloudtrail.LookupEvents", lambda params, **_: seen.append(dict(params))
    )
    return seen


def test_since_and_until_narrow_what_lookup_events_is_asked_for() -> None:
    client, stubber = _stubbed_client()
    calls = _calls(client)
    since, until = datetime(2023, 9, 7, 18, 30), datetime(2023, 9, 7, 22, 10)  # naive: UTC
    objects = list(
        list_lookup("lookup://us-east-1", clients=lambda r: client, now=NOW, since=since, until=until)
    )
    assert [o.key[-7:-5] for o in objects] == ["18", "19", "20", "21", "22"], "whole hours holding the window"
    objects[0].read()
    sweep = calls[1]
    assert (sweep["StartTime"], sweep["EndTime"]) == (
        datetime(2023, 9, 7, 18, tzinfo=UTC),
        datetime(2023, 9, 7, 23, tzinfo=UTC),
    ), "one sweep of the window, not of the 90-day retention"
    assert list(list_lookup("lookup://us-east-1", clients=lambda r: client, now=NOW, since=NOW)) == []
    stubber.deactivate()


def test_a_day_whose_sweep_fails_part_way_is_read_again_next_run(tmp_path: Path) -> None:
    client = boto3.client(
        "cloudtrail", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    key = "CloudTrail/us-east-1/2023/09/07/lookup-events-20.json"
    state = IngestState(tmp_path / "state.json")
    store = LogStore(tmp_path / "store")
    failing = Stubber(client)
    failing.add_response("lookup_events", {"Events": []})  # the probe
    failing.add_response("lookup_events", {"Events": [_event(STOP_LOGGING)], "NextToken": "page-2"})
    failing.add_client_error("lookup_events", "ThrottlingException", "Rate exceeded", 400)
    with failing:
        objects = list_lookup("lookup://us-east-1", clients=lambda r: client, now=NOW, days=1)
        report = ingest(objects, store, state, "lookup://us-east-1")
        failing.assert_no_pending_responses()
    assert report.records == {} and len(report.problems) == 24, "the day's events were not half kept"
    assert "ThrottlingException" in report.problems[0].reason
    assert state.is_new("lookup://us-east-1", key, "complete"), "a failed hour is not recorded as read"
    working = Stubber(client)
    working.add_response("lookup_events", {"Events": []})
    working.add_response("lookup_events", {"Events": [_event(STOP_LOGGING), _event(CREATE_USER)]})
    with working:
        objects = list_lookup("lookup://us-east-1", clients=lambda r: client, now=NOW, days=1)
        again = ingest(objects, store, state, "lookup://us-east-1")
        working.assert_no_pending_responses()
    assert again.problems == [] and again.records == {"cloudtrail": 2} and again.files_read == 24
    assert not state.is_new("lookup://us-east-1", key, "complete")


def test_the_engine_passes_since_to_lookup_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from soryoku.detect.sources import lookup

    client = boto3.client(
        "cloudtrail", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    calls = _calls(client)
    monkeypatch.setattr(lookup, "_default_client", lambda region: client)
    since = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=3)

    def hours_read() -> int:  # 2 or 3 whole hours, by where in the hour the delivery lag puts "now"
        start, end = window(datetime.now(UTC), 90, since)
        return int((end - start) / timedelta(hours=1))

    expected = {hours_read()}
    with Stubber(client) as stubber:
        stubber.add_response("lookup_events", {"Events": []})
        stubber.add_response("lookup_events", {"Events": [_event(STOP_LOGGING)]})
        result, report = detect(
            "lookup://us-east-1", LogStore(tmp_path / "store"), DetectContext(since=since), rules=[]
        )
        stubber.assert_no_pending_responses()
    expected.add(hours_read())  # the hour may have turned during the run
    assert result.gaps == [] and report.files_read in expected
    assert calls[1]["StartTime"] == since.replace(minute=0, second=0, microsecond=0, tzinfo=UTC)
