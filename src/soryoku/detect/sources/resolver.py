"""Route 53 Resolver query logs (JSON lines, as delivered to S3 or exported from CloudWatch Logs).

Each row keeps its key ``<file>#<line>``; query names are lower-cased without the final dot so
rules compare them with plain string functions.
"""

from __future__ import annotations

import msgspec
import pyarrow as pa  # type: ignore[import-untyped]

from soryoku.detect.sources.cloudtrail import Decoded
from soryoku.detect.sources.problems import Problem
from soryoku.detect.sources.timestamps import parse_times


class _SrcIds(msgspec.Struct):
    instance: str | None = None
    resolver_endpoint: str | None = None


class _Answer(msgspec.Struct):
    Rdata: str | None = None
    Type: str | None = None


class ResolverQuery(msgspec.Struct):
    """The fields of one Resolver query log record the rules read."""

    query_timestamp: str
    query_name: str
    account_id: str | None = None
    region: str | None = None
    vpc_id: str | None = None
    query_type: str | None = None
    rcode: str | None = None
    srcaddr: str | None = None
    srcids: _SrcIds | None = None
    answers: list[_Answer] | None = None


_DECODER = msgspec.json.Decoder(ResolverQuery)

DNS_SCHEMA = pa.schema(
    [
        ("time", pa.timestamp("ms")),
        ("account", pa.string()),
        ("region", pa.string()),
        ("vpc_id", pa.string()),
        ("query_name", pa.string()),
        ("query_type", pa.string()),
        ("rcode", pa.string()),
        ("src_addr", pa.string()),
        ("instance_id", pa.string()),
        ("answers", pa.string()),
        ("key", pa.string()),
        ("file", pa.string()),
    ]
)


def decode_resolver_log(data: bytes, key: str) -> Decoded:
    """Parse one file of Resolver query log lines."""
    problems: list[Problem] = []
    records: list[ResolverQuery] = []
    numbers: list[int] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(_DECODER.decode(line))
            numbers.append(number)
        except (msgspec.ValidationError, msgspec.DecodeError) as error:
            problems.append(Problem(f"{key}#{number}", f"malformed Resolver query record: {error}"))
    if not records:
        return Decoded(None, problems)
    string = pa.string()
    times = pa.array([r.query_timestamp for r in records], string)
    try:
        parsed = parse_times(times)
    except pa.ArrowInvalid as error:
        return Decoded(None, [*problems, Problem(key, f"malformed query_timestamp: {error}")])
    table = pa.table(
        {
            "time": parsed,
            "account": pa.array([r.account_id for r in records], string),
            "region": pa.array([r.region for r in records], string),
            "vpc_id": pa.array([r.vpc_id for r in records], string),
            "query_name": pa.array([r.query_name.rstrip(".").lower() for r in records], string),
            "query_type": pa.array([r.query_type for r in records], string),
            "rcode": pa.array([r.rcode for r in records], string),
            "src_addr": pa.array([r.srcaddr for r in records], string),
            "instance_id": pa.array([r.srcids.instance if r.srcids else None for r in records], string),
            "answers": pa.array(
                [",".join(a.Rdata or "" for a in r.answers) if r.answers else None for r in records], string
            ),
            "key": pa.array([f"{key}#{n}" for n in numbers], string),
            "file": pa.array([key] * len(records), string),
        },
        schema=DNS_SCHEMA,
    )
    return Decoded(table, problems)
