"""The detect engine: normalise new logs into the store, run every rule, group alerts into findings."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from soryoku.core.finding import now_ms
from soryoku.core.result import Gap, ScanResult
from soryoku.detect.database import DetectContext, Session, open_session
from soryoku.detect.findings import ENGINE, MAX_EVIDENCES, AlertGroup, build_finding
from soryoku.detect.rules.model import RULES, Rule, quoted
from soryoku.detect.rules.windows import bucket_pairs
from soryoku.detect.sources import IngestReport, IngestState, LogStore, ingest, list_source
from soryoku.detect.summaries import Coverage

_NEEDS = {
    "ip_ranges": "needs AWS's ip-ranges.json (--ip-ranges) to tell inside from outside AWS",
    "threat_list": "needs a threat list of IPs/CIDRs (--intel)",
    "tor_list": "needs a Tor exit list (--intel with the Tor Project's exit-addresses file)",
    "asn_db": "disabled: needs --asn-db (IP → ASN/country, a prefix,asn,org,country CSV or a .mmdb)",
}


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """One rule's alert groups, or why it could not run."""

    rule: Rule
    groups: list[AlertGroup]
    gap: Gap | None = None


def _group(sql: str, window_hours: int) -> str:
    """``sql`` (a rule's alert rows) as one row per (account, actor, window)."""
    return f"""
WITH alerts AS ({sql})
SELECT account, coalesce(actor, 'unknown') AS actor,
       time_bucket(INTERVAL '{int(window_hours)} hours', time) AS window_start,
       count(*) AS n, min(time) AS first_seen, max(time) AS last_seen,
       list(DISTINCT region) FILTER (WHERE region IS NOT NULL) AS regions,
       list(DISTINCT source_ip) FILTER (WHERE source_ip IS NOT NULL) AS source_ips,
       list(DISTINCT CAST(resource AS VARCHAR)) FILTER (WHERE resource IS NOT NULL) AS resources,
       list(DISTINCT CAST(target AS VARCHAR)) FILTER (WHERE target IS NOT NULL) AS targets,
       list({{'evidence': evidence, 'time': time, 'detail': CAST(detail AS VARCHAR), 'source_ip': source_ip,
              'target': CAST(target AS VARCHAR)}} ORDER BY time, evidence)[1:{MAX_EVIDENCES}] AS records
FROM alerts GROUP BY ALL ORDER BY first_seen, actor
"""


def _hot(condition: str) -> str:
    """Shadow the ``cloudtrail`` view with the pre-filtered records a rule can match."""
    return f"cloudtrail AS (SELECT * FROM cloudtrail_hot WHERE {condition})"


def rule_source(rule: Rule, coverage: Coverage | None) -> str:
    """Where a rule reads CloudTrail from: ``hot`` (pre-filtered), ``burst`` (summarised) or ``raw``.

    ``coverage``: the rules the store's summaries serve, None when it has none (then the session
    pre-filters the records of every rule declaring event names or a prefilter itself).
    """
    if coverage is None:
        return "hot" if rule.event_names or rule.prefilter else "raw"
    return {"candidates": "hot", "burst": "burst"}.get(coverage.serves(rule) or "", "raw")


def group_sql(rule: Rule, window_hours: int, source: str | None = None, burst_hits: str | None = None) -> str:
    """The rule's SQL wrapped so DuckDB returns one row per (account, actor, window).

    ``source``: see ``rule_source`` (by default as for a store without summaries). ``burst_hits``:
    the relation a summarised burst rule reads its hits from.
    """
    source = source or rule_source(rule, None)
    ctes: list[str] = []
    if source == "hot" and rule.event_names:
        ctes.append(_hot(f"event_name IN ({quoted(rule.event_names)})"))
    elif source == "hot" and rule.prefilter:
        ctes.append(_hot(rule.prefilter.replace("{records}", "cloudtrail_hot")))
    elif rule.full_records:
        ctes.append("cloudtrail AS (SELECT * FROM cloudtrail_full)")
    if rule.burst is not None:
        ctes.append(
            f"burst_hits AS ({burst_hits or f'SELECT * FROM cloudtrail WHERE {rule.burst.condition}'})"
        )
    sql = f"WITH {', '.join(ctes)} SELECT * FROM ({rule.sql})" if ctes else rule.sql
    return _group(sql, window_hours)


def _burst_hits(session: Session, rule: Rule) -> str:
    """The records a summarised burst rule must read: those of the buckets where a burst can be.

    The store's per-bucket counts (``ct_bursts``) give the buckets whose hits, with the next or
    previous bucket's, reach every threshold (an upper bound: the summary may count hits the
    rule's run-time condition excludes); the rule's sliding-window count then runs over only
    those buckets' records, which gives exactly the members the whole history would.
    """
    burst = rule.burst
    assert burst is not None
    con = session.con
    per = ", ".join(
        f"{'sum(_n)' if m.distinct is None else 'count(DISTINCT _value)'} AS m{i}"
        for i, m in enumerate(burst.measures)
    )
    key_columns = ", ".join(f"_k{i + 1}" for i in range(len(burst.keys)))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _burst_keys AS
WITH _per AS (SELECT {key_columns}, _bucket AS _burst_bucket, {per} FROM ct_bursts WHERE rule = '{rule.id}'
              GROUP BY {key_columns}, _bucket)
SELECT * FROM {bucket_pairs("_per", key_columns, burst.window, burst.measures)}"""
    )
    found = con.execute(
        f"SELECT count(*), min(_bucket), max(_bucket) + INTERVAL '{burst.window}' FROM _burst_keys"
    ).fetchone()
    if found is None or found[0] == 0:
        return "SELECT * FROM cloudtrail_hot WHERE FALSE"
    keys = burst.keys
    same = " AND ".join(
        f"k._k{i + 1} IS NOT DISTINCT FROM CAST(cloudtrail.{key} AS VARCHAR)" for i, key in enumerate(keys)
    )
    # Literal bounds let the Parquet reader skip files and row groups outside the candidate buckets.
    stamp = "%Y-%m-%d %H:%M:%S"
    bounds = f"time >= TIMESTAMP '{found[1]:{stamp}}' AND time < TIMESTAMP '{found[2]:{stamp}}'"
    if "account" in keys:
        column = keys.index("account") + 1
        accounts = [row[0] for row in con.execute(f"SELECT DISTINCT _k{column} FROM _burst_keys").fetchall()]
        if None not in accounts:
            bounds += f" AND account IN ({quoted(accounts)})"
    records = "cloudtrail"
    if rule.prefilter and session.coverage is not None and rule.prefilter in session.coverage.prefilters:
        # The store keeps the records the prefilter selects: read them, not the whole history.
        prefilter = rule.prefilter.replace("{records}", "cloudtrail_hot")
        records = f"(SELECT * FROM cloudtrail_hot WHERE {prefilter}) AS cloudtrail"
    return (
        f"SELECT * FROM {records} WHERE ({burst.condition}) AND {bounds} "
        f"AND EXISTS (SELECT 1 FROM _burst_keys k WHERE {same} "
        f"AND k._bucket = time_bucket(INTERVAL '{burst.window}', cloudtrail.time))"
    )


def run_rule(session: Session, rule: Rule, ctx: DetectContext) -> RuleOutcome:
    """Run one rule; a missing context or a failing query becomes a Gap naming the rule."""
    missing = [need for need in rule.requires if not ctx.has(need)]
    if missing:
        reason = "; ".join(_NEEDS[need] for need in missing)
        return RuleOutcome(rule, [], Gap(ENGINE, f"rule {rule.id}", f"not evaluated: {reason}", (rule.id,)))
    con = session.con
    source = rule_source(rule, session.coverage)
    try:
        hits = _burst_hits(session, rule) if source == "burst" else None
        rows = con.execute(group_sql(rule, ctx.group_window_hours, source, hits)).fetchall()
    except duckdb.Error as error:
        message = str(error).splitlines()[0]
        return RuleOutcome(rule, [], Gap(ENGINE, f"rule {rule.id}", f"query failed: {message}", (rule.id,)))
    groups = [
        AlertGroup(
            account=row[0],
            actor=row[1],
            window_start=row[2],
            count=row[3],
            first_seen=row[4],
            last_seen=row[5],
            regions=sorted(row[6] or []),
            source_ips=sorted(row[7] or []),
            resources=sorted(row[8] or []),
            targets=sorted(row[9] or []),
            records=list(row[10] or []),
        )
        for row in rows
    ]
    return RuleOutcome(rule, groups)


def evaluate(store: LogStore, ctx: DetectContext, rules: Iterable[Rule] | None = None) -> list[RuleOutcome]:
    """Run the rules (all registered ones by default) over the store."""
    chosen = list(RULES) if rules is None else list(rules)
    session = open_session(store, ctx, chosen)
    try:
        return [run_rule(session, rule, ctx) for rule in chosen]
    finally:
        session.close()


def default_store_dir(location: str, base: Path) -> Path:
    """A store folder per input location under ``base``."""
    digest = hashlib.sha256(location.encode()).hexdigest()[:16]
    return base / f"store-{digest}"


def ingest_gaps(report: IngestReport) -> list[Gap]:
    """Every unreadable file (or file with unreadable records) as a Gap with its location."""
    return [Gap(ENGINE, problem.location, problem.reason) for problem in report.problems]


def detect(
    location: str,
    store: LogStore,
    ctx: DetectContext,
    *,
    state: IngestState | None = None,
    rules: Iterable[Rule] | None = None,
) -> tuple[ScanResult, IngestReport]:
    """Normalise ``location``'s new logs into ``store``, run the rules, and return the findings."""
    started = now_ms()
    report = ingest(list_source(location, since=ctx.since, until=ctx.until), store, state, location)
    outcomes = evaluate(store, ctx, rules)
    result = ScanResult(engine=ENGINE, scope=location, started_ms=started)
    result.gaps.extend(ingest_gaps(report))
    for outcome in outcomes:
        if outcome.gap is not None:
            result.gaps.append(outcome.gap)
        result.findings.extend(build_finding(outcome.rule, group) for group in outcome.groups)
    result.finished_ms = now_ms()
    return result, report
