"""VPC Flow Logs (text, as delivered to S3) → an Arrow table, one row per flow record.

The header line names the fields, so the default version-2 format and custom formats read the
same way; a file without a header is taken to be in the default format. ``-`` means "no value".
Each row keeps its key ``<file>#<line>`` so a finding can point to the exact line.
"""

from __future__ import annotations

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from soryoku.detect.sources.cloudtrail import Decoded
from soryoku.detect.sources.problems import Problem

DEFAULT_FIELDS = (
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

# flow-log field name → (column, Arrow type)
_COLUMNS: dict[str, tuple[str, pa.DataType]] = {
    "account-id": ("account", pa.string()),
    "region": ("region", pa.string()),
    "interface-id": ("interface_id", pa.string()),
    "instance-id": ("instance_id", pa.string()),
    "vpc-id": ("vpc_id", pa.string()),
    "subnet-id": ("subnet_id", pa.string()),
    "srcaddr": ("src_addr", pa.string()),
    "dstaddr": ("dst_addr", pa.string()),
    "pkt-srcaddr": ("pkt_src_addr", pa.string()),
    "pkt-dstaddr": ("pkt_dst_addr", pa.string()),
    "srcport": ("src_port", pa.int32()),
    "dstport": ("dst_port", pa.int32()),
    "protocol": ("protocol", pa.int32()),
    "packets": ("packets", pa.int64()),
    "bytes": ("bytes", pa.int64()),
    "start": ("start_epoch", pa.int64()),
    "end": ("end_epoch", pa.int64()),
    "action": ("action", pa.string()),
    "log-status": ("log_status", pa.string()),
    "flow-direction": ("flow_direction", pa.string()),
    "tcp-flags": ("tcp_flags", pa.int32()),
}

FLOW_SCHEMA = pa.schema(
    [("time", pa.timestamp("ms"))]
    + [(column, kind) for column, kind in _COLUMNS.values()]
    + [("key", pa.string()), ("file", pa.string())]
)


def decode_flow_log(text: str, key: str, region_hint: str | None = None) -> Decoded:
    """Parse one flow-log file; ``region_hint`` (from the S3 layout) fills a missing region."""
    lines = text.splitlines()
    start = 0
    fields = list(DEFAULT_FIELDS)
    if lines and not lines[0][:1].isdigit():
        fields = lines[0].split()
        start = 1
    if "srcaddr" not in fields or "dstaddr" not in fields or "start" not in fields:
        return Decoded(None, [Problem(key, "not a VPC flow log: the header names no srcaddr/dstaddr/start")])
    width = len(fields)
    numeric = [i for i, f in enumerate(fields) if f in _COLUMNS and _COLUMNS[f][1] != pa.string()]
    problems: list[Problem] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number in range(start, len(lines)):
        parts = lines[number].split()
        if not parts:
            continue
        if len(parts) != width:
            problems.append(
                Problem(
                    f"{key}#{number + 1}", f"malformed flow record: {len(parts)} fields, expected {width}"
                )
            )
            continue
        bad = next((i for i in numeric if not (parts[i].isdigit() or parts[i] == "-")), None)
        if bad is not None:
            problems.append(
                Problem(f"{key}#{number + 1}", f"malformed flow record: {fields[bad]} {parts[bad]!r}")
            )
            continue
        rows.append(parts)
        numbers.append(number + 1)
    if not rows:
        return Decoded(None, problems)
    columns = list(zip(*rows, strict=True))
    data: dict[str, pa.Array] = {}
    for index, name in enumerate(fields):
        if name not in _COLUMNS:
            continue
        column, kind = _COLUMNS[name]
        values = [None if v == "-" else v for v in columns[index]]
        array = pa.array(values, pa.string())
        data[column] = array if kind == pa.string() else pc.cast(array, kind)
    count = len(rows)
    for column, kind in _COLUMNS.values():
        if column not in data:
            data[column] = pa.nulls(count, kind)
    if region_hint is not None:
        data["region"] = pc.fill_null(data["region"], region_hint)
    data["time"] = pc.cast(pc.multiply(data["start_epoch"], 1000), pa.timestamp("ms"))
    data["key"] = pa.array([f"{key}#{n}" for n in numbers], pa.string())
    data["file"] = pa.array([key] * count, pa.string())
    return Decoded(pa.table({name: data[name] for name in FLOW_SCHEMA.names}, schema=FLOW_SCHEMA), problems)
