"""The CloudTrail decoder converts distinct identities/calls once, yet every record keeps its own values."""

from __future__ import annotations

import json
import random
from typing import Any

from soryoku.detect.sources.cloudtrail import decode_cloudtrail

_IDENTITIES: list[dict[str, Any] | None] = [
    None,
    {"type": "Root", "accountId": "111122223333", "arn": "arn:aws:iam::111122223333:root"},
    {
        "type": "IAMUser",
        "arn": "arn:aws:iam::111122223333:user/ana",
        "userName": "ana",
        "accessKeyId": "AKIA1",
    },
    {
        "type": "IAMUser",
        "arn": "arn:aws:iam::111122223333:user/ana",
        "userName": "ana",
        "accessKeyId": "AKIA2",
    },
    {
        "type": "AssumedRole",
        "arn": "arn:aws:sts::111122223333:assumed-role/app/i-0abc",
        "accountId": "111122223333",
        "sessionContext": {
            "attributes": {"mfaAuthenticated": "false"},
            "sessionIssuer": {"arn": "arn:aws:iam::111122223333:role/app", "type": "Role"},
        },
    },
    {
        "type": "AssumedRole",
        "arn": "arn:aws:sts::111122223333:assumed-role/app/i-0abc",
        "accountId": "111122223333",
        "sessionContext": {"attributes": {"mfaAuthenticated": "true"}},
    },
    {"type": "AWSService", "invokedBy": "cloudtrail.amazonaws.com"},
    {"type": "IAMUser", "userName": "zoë", "accountId": "444455556666", "principalId": "AIDA9"},
]
_CALLS = [
    ("ec2.amazonaws.com", "DescribeInstances", True),
    ("iam.amazonaws.com", "CreateAccessKey", False),
    ("s3.amazonaws.com", "GetObject", None),
]


def _record(rng: random.Random, n: int) -> dict[str, Any]:
    source, name, read_only = _CALLS[rng.randrange(len(_CALLS))]
    record: dict[str, Any] = {
        "eventTime": f"2024-05-01T12:{n // 60 % 60:02d}:{n % 60:02d}Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": rng.choice(["us-east-1", "eu-west-1", None]),
        "sourceIPAddress": f"198.51.100.{n % 250}",
        "eventID": f"id-{n}",
        "requestParameters": {"n": n, "name": "café"} if n % 3 else None,
    }
    identity = _IDENTITIES[rng.randrange(len(_IDENTITIES))]
    if identity is not None:
        record["userIdentity"] = identity
    if read_only is not None:
        record["readOnly"] = read_only
    recipient = rng.choice(["111122223333", "", None])
    if recipient is not None:
        record["recipientAccountId"] = recipient
    if rng.random() < 0.3:
        record["errorCode"] = "AccessDenied"
    return record


def _expected(record: dict[str, Any]) -> dict[str, Any]:
    user = record.get("userIdentity") or {}
    context = user.get("sessionContext") or {}
    return {
        "account": record.get("recipientAccountId") or user.get("accountId"),
        "region": record.get("awsRegion"),
        "principal_arn": user.get("arn"),
        "principal_type": user.get("type"),
        "principal_id": user.get("principalId"),
        "principal_account": user.get("accountId"),
        "user_name": user.get("userName"),
        "session_issuer_arn": (context.get("sessionIssuer") or {}).get("arn"),
        "mfa_authenticated": (context.get("attributes") or {}).get("mfaAuthenticated"),
        "access_key_id": user.get("accessKeyId"),
        "invoked_by": user.get("invokedBy"),
        "event_source": record["eventSource"],
        "event_name": record["eventName"],
        "read_only": record.get("readOnly"),
        "error_code": record.get("errorCode"),
        "event_id": record["eventID"],
    }


def test_every_record_keeps_its_own_identity_and_call_columns() -> None:
    rng = random.Random(11)
    records = [_record(rng, n) for n in range(400)]
    data = json.dumps({"Records": records}, ensure_ascii=False).encode()
    decoded = decode_cloudtrail(data, "f.json")
    assert decoded.problems == []
    assert decoded.table is not None
    rows = decoded.table.to_pylist()
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        expected = _expected(record)
        assert {name: row[name] for name in expected} == expected
        assert json.loads(row["raw"]) == record
        assert json.loads(row["request_parameters"]) == record["requestParameters"]
        assert row["file"] == "f.json"


def test_invalid_utf8_inside_a_kept_value_is_replaced_not_fatal() -> None:
    data = (
        b'{"Records": [{"eventTime": "2024-05-01T00:00:00Z", "eventSource": "s3.amazonaws.com", '
        b'"eventName": "GetObject", "requestParameters": {"key": "a\xffb"}}]}'
    )
    decoded = decode_cloudtrail(data, "bad.json")
    assert decoded.table is not None
    assert decoded.table.column("request_parameters")[0].as_py() == '{"key": "a\ufffdb"}'
