"""Normalise new log objects into the store, batch by batch, reporting what could not be read.

Memory stays bounded: decoded records are buffered per source only up to ``batch_rows`` before
they are written out as Parquet.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import pyarrow as pa  # type: ignore[import-untyped]

from soryoku.detect.rules.model import RULES, Rule
from soryoku.detect.sources.cloudtrail import Decoded, decode_cloudtrail
from soryoku.detect.sources.flowlogs import decode_flow_log
from soryoku.detect.sources.locations import FetchError, LogObject
from soryoku.detect.sources.problems import Problem
from soryoku.detect.sources.resolver import decode_resolver_log
from soryoku.detect.sources.store import IngestState, LogStore
from soryoku.detect.summaries import Summariser

_MAX_LISTED = 5
_READ_AHEAD = 2


@dataclass(slots=True)
class IngestReport:
    """Counts of one ingest, and the files/records that could not be read (grouped per file)."""

    files_read: int = 0
    files_skipped: int = 0
    records: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def total_records(self) -> int:
        """Records normalised, all sources together."""
        return sum(self.records.values())


def sniff_kind(data: bytes) -> str | None:
    """The log kind of a file whose path does not say it."""
    head = data[:4096].lstrip()
    if head.startswith(b"{") and b'"Records"' in head[:64]:
        return "cloudtrail"
    if head.startswith(b"{") and b"query_name" in head:
        return "dns"
    first = head.split(b"\n", 1)[0]
    if first.startswith(b"version ") or (first[:1].isdigit() and first.count(b" ") >= 10):
        return "flow"
    return None


def decode(obj: LogObject, data: bytes, kind: str) -> Decoded:
    """Decode one file of a known kind."""
    if kind == "cloudtrail":
        return decode_cloudtrail(data, obj.key)
    if kind == "flow":
        return decode_flow_log(data.decode("utf-8", errors="replace"), obj.key, obj.region_hint)
    return decode_resolver_log(data, obj.key)


def _summarise(key: str, problems: list[Problem]) -> Problem:
    """One problem per file: how many records, which (the first few), the first reason."""
    if len(problems) == 1:
        return problems[0]
    listed = ", ".join(p.location.rsplit("#", 1)[-1] for p in problems[:_MAX_LISTED])
    more = "" if len(problems) <= _MAX_LISTED else f" and {len(problems) - _MAX_LISTED} more"
    return Problem(key, f"{len(problems)} malformed records (#{listed}{more}); first: {problems[0].reason}")


def _prefetch(
    objects: Iterable[LogObject], pool: ThreadPoolExecutor
) -> Iterator[tuple[LogObject, Future[bytes]]]:
    """Read (and gunzip) the next files in the background while the current one is decoded."""
    window: deque[tuple[LogObject, Future[bytes]]] = deque()
    for obj in objects:
        window.append((obj, pool.submit(obj.read)))
        if len(window) > _READ_AHEAD:
            yield window.popleft()
    yield from window


def ingest(
    objects: Iterable[LogObject],
    store: LogStore,
    state: IngestState | None,
    location: str,
    *,
    batch_rows: int = 50_000,
    rules: Iterable[Rule] | None = None,
) -> IngestReport:
    """Normalise every new object into ``store``; the state (when given) is saved after each batch.

    CloudTrail batches also update the store's summaries (``soryoku.detect.summaries``) for
    ``rules`` (every registered rule by default), so that re-runs need not rescan the history.

    Reading, decoding and writing overlap: files are fetched a few ahead on a thread, and each
    batch's Parquet write runs on another while the next batch is decoded (at most one batch waits,
    so memory stays bounded).
    """
    report = IngestReport()
    buffers: dict[str, list[pa.Table]] = {}
    pending: list[LogObject] = []
    buffered = 0
    writing: tuple[Future[None], list[LogObject]] | None = None

    def settle() -> None:
        nonlocal writing
        if writing is None:
            return
        future, done = writing
        writing = None
        future.result()
        if state is not None:
            for obj in done:
                state.mark(location, obj.key, obj.version)
            state.save()

    def write(tables: dict[str, list[pa.Table]]) -> None:
        for source, parts in tables.items():
            table = pa.concat_tables(parts)
            if source == "cloudtrail":  # first: its first batch checks whether the store had records
                summariser.add(table)
            store.write(source, table)

    def flush() -> None:
        nonlocal writing, buffered, buffers
        settle()
        writing = (writer.submit(write, buffers), list(pending))
        buffers, buffered = {}, 0
        pending.clear()

    fresh = (o for o in objects if state is None or state.is_new(location, o.key, o.version) or _skip(report))
    with (
        Summariser(store, RULES if rules is None else rules) as summariser,
        ThreadPoolExecutor(1, "soryoku-read") as reader,
        ThreadPoolExecutor(1, "soryoku-write") as writer,
    ):
        for obj, content in _prefetch(fresh, reader):
            pending.append(obj)
            if obj.kind == "digest":
                report.files_skipped += 1
                continue
            try:
                data = content.result()
            except (OSError, EOFError) as error:
                report.problems.append(Problem(obj.key, f"unreadable: {error}"))
                if isinstance(error, FetchError):
                    pending.pop()  # never read: the state leaves it new, so the next run tries again
                continue
            kind = obj.kind or sniff_kind(data)
            if kind is None:
                report.problems.append(Problem(obj.key, "not a CloudTrail, VPC flow or Resolver query log"))
                continue
            decoded = decode(obj, data, kind)
            report.files_read += 1
            if decoded.problems:
                report.problems.append(_summarise(obj.key, decoded.problems))
            if decoded.table is None:
                continue
            buffers.setdefault(kind, []).append(decoded.table)
            buffered += decoded.rows
            report.records[kind] = report.records.get(kind, 0) + decoded.rows
            if buffered >= batch_rows:
                flush()
        flush()
        settle()
        summariser.finish()
    return report


def _skip(report: IngestReport) -> bool:
    """Count an object the state says was normalised already (always False: it is filtered out)."""
    report.files_skipped += 1
    return False
