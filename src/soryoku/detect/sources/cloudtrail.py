"""CloudTrail log files → one Arrow table of typed columns plus each record's original bytes.

A trail delivers gzip JSON ``{"Records": [...]}``. msgspec decodes the fields the rules need into
typed structs in one pass (several times faster than building dicts) and keeps every record's
bytes untouched as ``msgspec.Raw``. The structs are not tracked by the garbage collector (they hold
only strings, booleans and other such structs, so they cannot form cycles): tracking millions of
them made the collector run over and over, doubling the decoding time. A file that fails typed
decoding is split into records so one bad record costs one record, not the file.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import msgspec
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from soryoku.detect.sources.problems import Problem
from soryoku.detect.sources.timestamps import parse_times, valid_times

_NULL = msgspec.Raw(b"null")


class SessionAttributes(msgspec.Struct, rename="camel", gc=False, frozen=True):
    """``userIdentity.sessionContext.attributes``."""

    mfa_authenticated: str | None = None


class SessionIssuer(msgspec.Struct, gc=False, frozen=True):
    """``userIdentity.sessionContext.sessionIssuer``."""

    arn: str | None = None
    type: str | None = None


class SessionContext(msgspec.Struct, rename="camel", gc=False, frozen=True):
    """``userIdentity.sessionContext``."""

    attributes: SessionAttributes | None = None
    session_issuer: SessionIssuer | None = None


class UserIdentity(msgspec.Struct, rename="camel", gc=False, frozen=True):
    """``userIdentity``: who made the call."""

    type: str | None = None
    arn: str | None = None
    account_id: str | None = None
    access_key_id: str | None = None
    principal_id: str | None = None
    user_name: str | None = None
    invoked_by: str | None = None
    session_context: SessionContext | None = None


class CloudTrailRecord(msgspec.Struct, rename="camel", gc=False):
    """The fields of one CloudTrail record the rules read (everything else stays in ``raw``)."""

    event_time: str
    event_source: str
    event_name: str
    aws_region: str | None = None
    source_ip_address: str | None = msgspec.field(default=None, name="sourceIPAddress")
    user_agent: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    event_id: str | None = msgspec.field(default=None, name="eventID")
    event_type: str | None = None
    read_only: bool | None = None
    recipient_account_id: str | None = None
    user_identity: UserIdentity | None = None
    request_parameters: msgspec.Raw = _NULL
    response_elements: msgspec.Raw = _NULL
    additional_event_data: msgspec.Raw = _NULL
    resources: msgspec.Raw = _NULL


class _TypedFile(msgspec.Struct):
    records: list[CloudTrailRecord] = msgspec.field(name="Records")


class _RawFile(msgspec.Struct):
    records: list[msgspec.Raw] = msgspec.field(name="Records")


_TYPED = msgspec.json.Decoder(_TypedFile)
_RAW = msgspec.json.Decoder(_RawFile)
_RECORD = msgspec.json.Decoder(CloudTrailRecord)

CLOUDTRAIL_SCHEMA = pa.schema(
    [
        ("time", pa.timestamp("ms")),
        ("account", pa.string()),
        ("region", pa.string()),
        ("principal_arn", pa.string()),
        ("principal_type", pa.string()),
        ("principal_id", pa.string()),
        ("principal_account", pa.string()),
        ("user_name", pa.string()),
        ("session_issuer_arn", pa.string()),
        ("mfa_authenticated", pa.string()),
        ("access_key_id", pa.string()),
        ("invoked_by", pa.string()),
        ("source_ip", pa.string()),
        ("user_agent", pa.string()),
        ("event_source", pa.string()),
        ("event_name", pa.string()),
        ("event_type", pa.string()),
        ("read_only", pa.bool_()),
        ("error_code", pa.string()),
        ("error_message", pa.string()),
        ("event_id", pa.string()),
        ("request_parameters", pa.large_string()),
        ("response_elements", pa.large_string()),
        ("additional_event_data", pa.large_string()),
        ("resources", pa.large_string()),
        ("raw", pa.large_string()),
        ("file", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """One file's records as an Arrow table, and what could not be read."""

    table: pa.Table | None
    problems: list[Problem]

    @property
    def rows(self) -> int:
        """Records decoded."""
        return 0 if self.table is None else self.table.num_rows


def decode_cloudtrail(data: bytes, key: str) -> Decoded:
    """Decode one (already decompressed) CloudTrail file; ``key`` names it in problems."""
    problems: list[Problem] = []
    try:
        records = _TYPED.decode(data).records
        raws = _RAW.decode(data).records
    except (msgspec.ValidationError, msgspec.DecodeError) as typed_error:
        try:
            raws = _RAW.decode(data).records
        except (msgspec.ValidationError, msgspec.DecodeError) as error:
            return Decoded(None, [Problem(key, f"not a CloudTrail log file: {error}")])
        del typed_error
        records, kept = [], []
        for index, raw in enumerate(raws):
            try:
                records.append(_RECORD.decode(raw))
                kept.append(raw)
            except (msgspec.ValidationError, msgspec.DecodeError) as error:
                problems.append(Problem(f"{key}#{index}", f"malformed CloudTrail record: {error}"))
        raws = kept
    if not records:
        return Decoded(None, problems)
    table = _to_table(records, raws, key)
    table, bad = _parse_times(table, key)
    return Decoded(table, problems + bad)


def _text(raws: list[msgspec.Raw]) -> pa.Array:
    """JSON texts as one Arrow string array, built from a single buffer (no per-record objects)."""
    joined = b"".join(raws)
    if not joined.isascii():  # the usual case is ASCII: nothing to check
        try:
            joined.decode("utf-8")
        except (
            UnicodeDecodeError
        ):  # invalid UTF-8 inside a skipped value: keep it, with replacement characters
            return pa.array([bytes(r).decode("utf-8", errors="replace") for r in raws], pa.large_string())
    offsets = pa.array(list(itertools.accumulate(map(len, raws), initial=0)), pa.int64())
    return pa.LargeStringArray.from_buffers(len(raws), offsets.buffers()[1], pa.py_buffer(joined))


def _strings(values: list[str | None]) -> pa.Array:
    return pa.array(values, pa.string())


def _identities(records: list[CloudTrailRecord]) -> pa.Table:
    """The ``userIdentity`` columns. A file holds few distinct identities (each repeated hundreds of
    times): each distinct one is converted once and the rows are gathered by index, which costs
    far less than converting nine Python strings per record."""
    index: dict[UserIdentity | None, int] = {}
    rows = pa.array([index.setdefault(r.user_identity, len(index)) for r in records], pa.int32())
    users = [u or _NO_USER for u in index]
    contexts = [u.session_context or _NO_CONTEXT for u in users]
    distinct = pa.table(
        {
            "principal_arn": _strings([u.arn for u in users]),
            "principal_type": _strings([u.type for u in users]),
            "principal_id": _strings([u.principal_id for u in users]),
            "principal_account": _strings([u.account_id for u in users]),
            "user_name": _strings([u.user_name for u in users]),
            "session_issuer_arn": _strings(
                [c.session_issuer.arn if c.session_issuer else None for c in contexts]
            ),
            "mfa_authenticated": _strings(
                [c.attributes.mfa_authenticated if c.attributes else None for c in contexts]
            ),
            "access_key_id": _strings([u.access_key_id for u in users]),
            "invoked_by": _strings([u.invoked_by for u in users]),
        }
    )
    return distinct.take(rows)


def _calls(records: list[CloudTrailRecord]) -> pa.Table:
    """The low-cardinality call columns, converted once per distinct combination (as identities)."""
    index: dict[tuple[str | bool | None, ...], int] = {}
    keys = [
        (
            r.recipient_account_id,
            r.aws_region,
            r.event_source,
            r.event_name,
            r.event_type,
            r.read_only,
            r.error_code,
        )
        for r in records
    ]
    rows = pa.array([index.setdefault(k, len(index)) for k in keys], pa.int32())
    columns = list(zip(*index, strict=True))
    distinct = pa.table(
        {
            name: pa.array(values, pa.bool_() if name == "read_only" else pa.string())
            for name, values in zip(_CALL_COLUMNS, columns, strict=True)
        }
    )
    return distinct.take(rows)


_CALL_COLUMNS = ("recipient", "region", "event_source", "event_name", "event_type", "read_only", "error_code")
_NO_USER = UserIdentity()
_NO_CONTEXT = SessionContext()


def _to_table(records: list[CloudTrailRecord], raws: list[msgspec.Raw], key: str) -> pa.Table:
    users = _identities(records)
    calls = _calls(records)
    recipient = calls.column("recipient")
    # `recipientAccountId or userIdentity.accountId`: an empty recipient counts as missing.
    missing = pc.or_kleene(pc.is_null(recipient), pc.equal(recipient, ""))
    account = pc.if_else(missing, users.column("principal_account"), recipient)
    columns = {
        "time": _strings([r.event_time for r in records]),
        "account": account,
        "region": calls.column("region"),
        **{name: users.column(name) for name in users.column_names},
        "source_ip": _strings([r.source_ip_address for r in records]),
        "user_agent": _strings([r.user_agent for r in records]),
        "event_source": calls.column("event_source"),
        "event_name": calls.column("event_name"),
        "event_type": calls.column("event_type"),
        "read_only": calls.column("read_only"),
        "error_code": calls.column("error_code"),
        "error_message": _strings([r.error_message for r in records]),
        "event_id": _strings([r.event_id for r in records]),
        "request_parameters": _text([r.request_parameters for r in records]),
        "response_elements": _text([r.response_elements for r in records]),
        "additional_event_data": _text([r.additional_event_data for r in records]),
        "resources": _text([r.resources for r in records]),
        "raw": _text(raws),
        "file": pa.repeat(pa.scalar(key, pa.string()), len(records)),
    }
    return pa.table([columns[name] for name in CLOUDTRAIL_SCHEMA.names], names=list(CLOUDTRAIL_SCHEMA.names))


def _parse_times(table: pa.Table, key: str) -> tuple[pa.Table | None, list[Problem]]:
    """Cast ``time`` to a timestamp; records whose time does not parse become problems."""
    times = table.column("time")
    try:
        return table.set_column(0, "time", parse_times(times)), []
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    values = times.to_pylist()
    good = valid_times(values)
    problems = [
        Problem(f"{key}#{index}", f"malformed CloudTrail record: eventTime {values[index]!r}")
        for index, ok in enumerate(good)
        if not ok
    ]
    kept = table.filter(pa.array(good))
    if kept.num_rows == 0:
        return None, problems
    return kept.set_column(0, "time", parse_times(kept.column("time"))), problems
