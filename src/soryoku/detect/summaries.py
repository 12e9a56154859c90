"""Small tables kept up to date at ingest so that re-running the rules does not rescan all history.

Each ingest batch of CloudTrail records adds, next to its Parquet partitions:

* ``candidates``: the batch's records that a rule with declared event names or a ``prefilter``
  can match (typically a fraction of a percent of the records);
* ``actor_since``, ``first_seen``, ``account_regions``, ``user_days``: per principal, region and
  user the first (and last) times and the first record of each value — what the history-wide
  rules (first-seen region, user agent and API, dormant users, unused regions) ask of the whole
  history. (First-seen country and ASN, which need ``--asn-db``, still read the records: a
  summary per principal and address cost more at ingest than all the others together.)
* ``bursts``: per burst rule, key and time bucket, the number of hits (per distinct value): the
  buckets where no burst can be are never read back.

Every summary is written per batch and reduced when read (``min``/``max``/``sum``), so two
ingests give the same answer as one. Reading a summary twice (a compaction interrupted by a
crash) cannot change a finding: ``min``/``max`` are unaffected, and ``bursts`` only chooses which
raw records the exact sliding-window count reads. ``manifest.json`` records which rules the
summaries serve; a store without one (written by an older version) is read the old way.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from soryoku.detect.rules.model import Rule, quoted

if TYPE_CHECKING:  # the store's package imports this module
    from soryoku.detect.sources.store import LogStore

MANIFEST_VERSION = 1

ACTOR = (
    "coalesce(principal_arn, "
    "CASE WHEN principal_type = 'Root' THEN 'arn:aws:iam::' || account || ':root' END, "
    "invoked_by, principal_id, 'unknown')"
)

# kind → (value, condition): what "first seen" is tracked for, per account and actor.
FIRST_SEEN = {
    "region": ("region", "TRUE"),
    "user_agent": (
        "lower(split_part(split_part(coalesce(user_agent, ''), ' ', 1), '/', 1))",
        "user_agent IS NOT NULL AND user_agent NOT LIKE '%.amazonaws.com'",
    ),
    "write_api": (
        "event_source || ':' || event_name",
        "read_only = false AND error_code IS NULL AND event_source <> 'sts.amazonaws.com'",
    ),
}
# The first record of a value: ordered by time, then event id (deterministic on ties).
_FIRST = (
    "({'time': time, 'event_id': event_id, 'region': region, 'source_ip': source_ip, "
    "'principal_arn': principal_arn, 'principal_type': principal_type, 'invoked_by': invoked_by})"
)


@dataclass(frozen=True, slots=True)
class Summary:
    """One summary: how a batch (``{src}``) is aggregated, and how the parts (``{parts}``) reduce."""

    name: str
    partial: str
    reduce: str

    def of(self, src: str) -> str:
        """The aggregation of the relation ``src`` (records with an ``actor`` column)."""
        return self.partial.replace("{src}", src)


SUMMARIES = (
    Summary(
        "actor_since",
        "SELECT account, actor, min(time) AS since, count(*) AS records FROM {src} GROUP BY account, actor",
        "SELECT account, actor, min(since) AS since, sum(records) AS records FROM {parts} "
        "GROUP BY account, actor",
    ),
    Summary(
        "first_seen",
        # The struct is built once per record (MATERIALIZED), not once per kind.
        "WITH _records AS MATERIALIZED (SELECT account, actor, "
        + ", ".join(
            f"{value} AS _{kind}, {where} AS _{kind}_counts" for kind, (value, where) in FIRST_SEEN.items()
        )
        + f", {_FIRST} AS first FROM {{src}}) "
        + " UNION ALL ".join(
            f"SELECT '{kind}' AS kind, account, actor, _{kind} AS seen, min(first) AS first "
            f"FROM _records WHERE _{kind}_counts GROUP BY account, actor, seen"
            for kind in FIRST_SEEN
        ),
        "SELECT kind, account, actor, seen, min(first) AS first FROM {parts} "
        "GROUP BY kind, account, actor, seen",
    ),
    Summary(
        "account_regions",
        "SELECT account, region, min(time) AS first_time FROM {src} GROUP BY account, region",
        "SELECT account, region, min(first_time) AS first_time FROM {parts} GROUP BY account, region",
    ),
    Summary(
        "user_days",
        "SELECT account, user_name, CAST(time AS DATE) AS day, min(time) AS first_time, "
        "max(time) AS last_time "
        "FROM {src} WHERE user_name IS NOT NULL GROUP BY account, user_name, day",
        "SELECT account, user_name, day, min(first_time) AS first_time, max(last_time) AS last_time "
        "FROM {parts} GROUP BY account, user_name, day",
    ),
)
BURST_KEYS = 3  # key columns of a summarised burst, at most
BURSTS_REDUCE = (
    "SELECT rule, _k1, _k2, _k3, _bucket, _value, sum(_n) AS _n FROM {parts} "
    "GROUP BY rule, _k1, _k2, _k3, _bucket, _value"
)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which rules the summaries serve: candidate event names and prefilters, burst signatures."""

    names: frozenset[str]
    prefilters: frozenset[str]
    bursts: frozenset[str]

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> Coverage:
        """What ingest keeps for these (CloudTrail) rules."""
        chosen = [r for r in rules if r.source == "cloudtrail" and not r.full_records]
        return cls(
            frozenset(n for r in chosen if r.burst is None for n in r.event_names),
            frozenset(r.prefilter for r in chosen if r.prefilter),
            frozenset(burst_key(r) for r in chosen if r.burst is not None),
        )

    def __le__(self, other: Coverage) -> bool:
        return (
            self.names <= other.names and self.prefilters <= other.prefilters and self.bursts <= other.bursts
        )

    def serves(self, rule: Rule) -> str | None:
        """How a rule reads the summaries: ``burst``, ``candidates`` or None (the raw records)."""
        if rule.source != "cloudtrail" or rule.full_records:
            return None
        if rule.burst is not None:
            return "burst" if burst_key(rule) in self.bursts else None
        if rule.event_names and set(rule.event_names) <= self.names:
            return "candidates"
        if rule.prefilter and rule.prefilter in self.prefilters:
            return "candidates"
        return None

    def candidates_filter(self) -> str:
        """SQL condition selecting the candidate records."""
        parts = [f"event_name IN ({quoted(sorted(self.names))})"] if self.names else []
        parts += [f"({p})" for p in sorted(self.prefilters)]
        return " OR ".join(parts) or "FALSE"

    def to_json(self) -> dict[str, list[str]]:
        """The manifest form."""
        return {
            "names": sorted(self.names),
            "prefilters": sorted(self.prefilters),
            "bursts": sorted(self.bursts),
        }


def burst_key(rule: Rule) -> str:
    """A burst rule's identity in the summaries: its id and what its summary depends on."""
    assert rule.burst is not None
    return f"{rule.id}\x1e{rule.burst.signature}"


def bursts_partial(rules: Iterable[Rule], src: str, named: str | None = None) -> str | None:
    """Per burst rule, key and bucket: hits per distinct value (NULL when no measure is distinct).

    ``named``: ``src`` limited to the event names the burst rules declare, read by those rules.
    """
    selects = []
    for rule in rules:
        burst = rule.burst
        if burst is None:
            continue
        keys = [f"CAST({k} AS VARCHAR) AS _k{i + 1}" for i, k in enumerate(burst.keys)]
        value = f"CAST({burst.distinct} AS VARCHAR)" if burst.distinct else "NULL::VARCHAR"
        missing = ", ".join(f"NULL::VARCHAR AS _k{i + 1}" for i in range(len(keys), BURST_KEYS))
        # Constant columns are added outside the grouping (grouping by them costs a hash per record).
        selects.append(
            f"SELECT '{rule.id}' AS rule, {', '.join(f'_k{i + 1}' for i in range(len(keys)))}"
            f"{', ' + missing if missing else ''}, _bucket, _value, _n FROM ("
            f"SELECT {', '.join(keys)}, time_bucket(INTERVAL '{burst.window}', time) AS _bucket, "
            f"{value} AS _value, count(*) AS _n "
            f"FROM {named if named and rule.event_names else src} "
            f"WHERE {burst.summary_condition or burst.condition} GROUP BY ALL)"
        )
    return " UNION ALL ".join(selects) or None


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the summaries of a store cover; ``complete`` when they cover every stored record."""

    coverage: Coverage
    complete: bool

    @classmethod
    def load(cls, path: Path) -> Manifest | None:
        """The manifest at ``path``, or None (no summaries, or an unknown version)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            return None
        coverage = Coverage(
            frozenset(data.get("names", [])),
            frozenset(data.get("prefilters", [])),
            frozenset(data.get("bursts", [])),
        )
        return cls(coverage, bool(data.get("complete")))

    def save(self, path: Path) -> None:
        """Write atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {"version": MANIFEST_VERSION, "complete": self.complete, **self.coverage.to_json()}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(body, indent=1), encoding="utf-8")
        tmp.replace(path)


def _paths(parts: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in parts) + "]"


class Summariser:
    """Keeps a store's summaries up to date while CloudTrail batches are written (one thread)."""

    def __init__(self, store: LogStore, rules: Iterable[Rule]) -> None:
        self.store = store
        self.rules = [r for r in rules if r.source == "cloudtrail" and not r.full_records]
        self.coverage = Coverage.of(self.rules)
        self._candidate_names = pa.array(sorted(self.coverage.names), pa.string())
        self._prefilters = " OR ".join(f"({p})" for p in sorted(self.coverage.prefilters))
        self._bursts = bursts_partial(self.rules, "batch", "batch_named")
        self._burst_names = pa.array(
            sorted({n for r in self.rules if r.burst for n in r.event_names}), pa.string()
        )
        self.con = duckdb.connect()
        self.con.execute("SET memory_limit = '512MB'")
        # One thread: batches are small, and ingest already keeps the other cores busy.
        self.con.execute("SET threads = 1")
        self.con.execute("SET enable_progress_bar = false")
        self._started = False

    def start(self) -> None:
        """Record what the summaries will cover; rebuild them from the stored records when they do
        not serve every rule of this ingest (none yet, an older version's, or rules added since).

        Called by the first ``add``: an ingest without CloudTrail records leaves the summaries alone.
        Until ``finish`` the manifest says incomplete, so readers use the records meanwhile, and an
        ingest that dies part way (a failed write, a crash during a merge or a part's write) leaves
        it so: the next ingest then rebuilds the summaries from the stored records.
        """
        self._started = True
        path = self.store.manifest_path
        old = Manifest.load(path)
        Manifest(self.coverage, complete=False).save(path)
        if old is not None and old.complete and self.coverage <= old.coverage:
            return  # fewer rules than before (or the same): the summaries go on serving these
        for part in self.store.summaries_dir.iterdir():
            if part.is_dir():
                shutil.rmtree(part)
        if self.store.has("cloudtrail"):
            self._backfill()

    def _backfill(self) -> None:
        for path in sorted(self.store.source_dir("cloudtrail").rglob("*.parquet")):
            quoted_path = str(path).replace("'", "''")
            table = self.con.sql(
                f"SELECT * EXCLUDE (day) FROM read_parquet('{quoted_path}', hive_partitioning = true, "
                "hive_types = {'account': VARCHAR, 'region': VARCHAR, 'day': VARCHAR})"
            ).to_arrow_table()
            self.add(table)

    def add(self, table: pa.Table) -> None:
        """Summarise one batch of normalised CloudTrail records (the store's columns)."""
        if not self._started:
            self.start()
        con = self.con
        # The store's partition paths say `unknown` for a missing account or region: so do these.
        # The actor is computed once here, not by each of the dozen queries below.
        positions = pa.array(range(table.num_rows), pa.int64())
        con.register("_arrow", table.append_column("_pos", positions))
        try:
            keys = con.sql(
                f"SELECT account, region, {ACTOR} AS actor FROM (SELECT _pos, "
                "coalesce(account, 'unknown') AS account, coalesce(region, 'unknown') AS region, "
                "principal_arn, principal_type, invoked_by, principal_id FROM _arrow) ORDER BY _pos"
            ).to_arrow_table()
        finally:
            con.unregister("_arrow")
        table = table.set_column(table.schema.get_field_index("account"), "account", keys.column("account"))
        table = table.set_column(table.schema.get_field_index("region"), "region", keys.column("region"))
        batch = table.append_column("actor", keys.column("actor")).append_column("_pos", positions)
        con.register("batch", batch)
        # Burst rules declaring their event names read only those records (a few per cent).
        con.register("batch_named", batch.filter(pc.is_in(batch.column("event_name"), self._burst_names)))
        try:
            # The candidates are chosen by a query reading only the filter's columns, then taken
            # from the Arrow batch (a query returning whole records would convert every column).
            keep = pc.is_in(batch.column("event_name"), self._candidate_names)
            if self._prefilters:
                # By position: DuckDB may reorder rows (an IN list becomes a join).
                prefilters = self._prefilters.replace("{records}", "batch")
                chosen = con.sql(f"SELECT _pos FROM batch WHERE {prefilters}").to_arrow_table().column("_pos")
                keep = pc.or_(keep, pc.is_in(positions, chosen))
            dropped = ["actor", "_pos", *(["raw"] if "raw" in table.column_names else [])]
            self.store.write_summary("candidates", batch.filter(keep).drop_columns(dropped))
            outputs = [(summary.name, summary.of("batch")) for summary in SUMMARIES]
            if self._bursts is not None:
                outputs.append(("bursts", self._bursts))
            for name, sql in outputs:
                self.store.write_summary(name, con.sql(sql).to_arrow_table())
        finally:
            con.unregister("batch")
            con.unregister("batch_named")

    def finish(self) -> None:
        """Merge summaries that have many parts, then mark the summaries complete."""
        if not self._started:
            return
        reduces = {s.name: s.reduce for s in SUMMARIES} | {
            "bursts": BURSTS_REDUCE,
            "candidates": "SELECT * FROM {parts}",
        }
        for name, reduce in reduces.items():

            def merge(parts: list[Path], target: Path, reduce: str = reduce) -> None:
                source = f"read_parquet({_paths(parts)}, union_by_name = true)"
                quoted_target = str(target).replace("'", "''")
                merged = reduce.replace("{parts}", source)
                self.con.execute(f"COPY ({merged}) TO '{quoted_target}' (FORMAT parquet, COMPRESSION zstd)")

            self.store.compact_summary(name, merge)
        Manifest(self.coverage, complete=True).save(self.store.manifest_path)

    def __enter__(self) -> Summariser:
        return self

    def __exit__(self, *_: object) -> None:
        self.con.close()


__all__ = [
    "ACTOR",
    "BURSTS_REDUCE",
    "FIRST_SEEN",
    "SUMMARIES",
    "Coverage",
    "Manifest",
    "Summariser",
    "Summary",
    "burst_key",
    "bursts_partial",
]
