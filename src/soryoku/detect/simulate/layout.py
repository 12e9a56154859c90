"""Write generated records the way AWS delivers them: trail, flow-log and Resolver-log layouts.

``render`` returns ``{key: gzip bytes}``; ``save`` writes them under a folder (S3 uploads take the
same mapping).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from soryoku.detect.simulate.events import Flow

FLOW_FIELDS = (
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
)
CUSTOM_FLOW_FIELDS = ("version", "account-id", "region", "instance-id", *FLOW_FIELDS[2:])


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%MZ")


def _day(moment: datetime) -> str:
    return moment.strftime("%Y/%m/%d")


def _slot(hour: str, hours: int) -> str:
    """``YYYY-MM-DDTHH`` rounded down to a multiple of ``hours``."""
    return f"{hour[:11]}{int(hour[11:13]) // hours * hours:02d}"


def _suffix(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:16]


def _gzip(payload: bytes) -> bytes:
    return gzip.compress(payload, compresslevel=1, mtime=0)


def render_cloudtrail(records: Iterable[dict[str, Any]], *, hours: int = 1) -> dict[str, bytes]:
    """One file per account, region and ``hours`` hours (a trail delivers every few minutes)."""
    files: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        hour = _slot(record["eventTime"][:13], hours)
        files[(record["recipientAccountId"], record["awsRegion"], hour)].append(record)
    out: dict[str, bytes] = {}
    for (account, region, hour), items in sorted(files.items()):
        moment = datetime.strptime(hour, "%Y-%m-%dT%H")
        payload = json.dumps({"Records": items}, separators=(",", ":")).encode()
        key = (
            f"AWSLogs/{account}/CloudTrail/{region}/{_day(moment)}/"
            f"{account}_CloudTrail_{region}_{_stamp(moment)}_{_suffix(payload)}.json.gz"
        )
        out[key] = _gzip(payload)
    return out


def render_flows(
    flows: Iterable[Flow], *, custom: bool = False, where: dict[int, str] | None = None, hours: int = 1
) -> dict[str, bytes]:
    """One file per account, region and hour, header line first; ``where[id(flow)]`` = ``key#line``."""
    fields = CUSTOM_FLOW_FIELDS if custom else FLOW_FIELDS
    files: dict[tuple[str, str, str], list[Flow]] = defaultdict(list)
    for flow in flows:
        files[(flow.account, flow.region, _slot(flow.at.strftime("%Y-%m-%dT%H"), hours))].append(flow)
    out: dict[str, bytes] = {}
    for (account, region, hour), items in sorted(files.items()):
        moment = datetime.strptime(hour, "%Y-%m-%dT%H")
        ordered = sorted(items, key=lambda f: f.at)
        lines = [" ".join(fields)] + [" ".join(flow.fields()[f] for f in fields) for flow in ordered]
        payload = ("\n".join(lines) + "\n").encode()
        key = (
            f"AWSLogs/{account}/vpcflowlogs/{region}/{_day(moment)}/"
            f"{account}_vpcflowlogs_{region}_fl-0a1b2c3d4e5f6_{_stamp(moment)}_{_suffix(payload)}.log.gz"
        )
        out[key] = _gzip(payload)
        if where is not None:
            for line, flow in enumerate(ordered, start=2):
                where[id(flow)] = f"{key}#{line}"
    return out


def render_dns(
    queries: Iterable[dict[str, Any]], *, where: dict[int, str] | None = None, hours: int = 1
) -> dict[str, bytes]:
    """One file per account, VPC and hour, JSON lines; ``where[id(query)]`` = ``key#line``."""
    files: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for query in queries:
        files[(query["account_id"], query["vpc_id"], _slot(query["query_timestamp"][:13], hours))].append(
            query
        )
    out: dict[str, bytes] = {}
    for (account, vpc, hour), items in sorted(files.items()):
        moment = datetime.strptime(hour, "%Y-%m-%dT%H")
        payload = "".join(json.dumps(q, separators=(",", ":")) + "\n" for q in items).encode()
        key = (
            f"AWSLogs/{account}/vpcdnsquerylogs/{vpc}/{_day(moment)}/"
            f"{account}_vpcdnsquerylogs_{vpc}_{_stamp(moment)}_{_suffix(payload)}.log.gz"
        )
        out[key] = _gzip(payload)
        if where is not None:
            for line, query in enumerate(items, start=1):
                where[id(query)] = f"{key}#{line}"
    return out


def save(files: dict[str, bytes], root: Path) -> list[Path]:
    """Write rendered files under ``root``."""
    written = []
    for key, data in files.items():
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def ip_ranges_document(prefixes: Iterable[str]) -> dict[str, Any]:
    """A minimal ``ip-ranges.json`` with the given IPv4 prefixes."""
    return {
        "syncToken": "1700000000",
        "createDate": "2024-01-01-00-00-00",
        "prefixes": [
            {"ip_prefix": p, "region": "us-east-1", "service": "AMAZON", "network_border_group": "us-east-1"}
            for p in prefixes
        ],
        "ipv6_prefixes": [],
    }
