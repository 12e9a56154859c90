"""The detect engine: normalise new logs into the store, run every rule, group alerts into findings."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from soryoku.core.finding import now_ms
from soryoku.core.result import Gap, ScanResult
from soryoku.detect.database import DetectContext, open_session
from soryoku.detect.findings import ENGINE, MAX_EVIDENCES, AlertGroup, build_finding
from soryoku.detect.rules.model import RULES, Rule
from soryoku.detect.sources import IngestReport, IngestState, LogStore, ingest, list_source

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


def group_sql(rule: Rule, window_hours: int) -> str:
    """The rule's SQL wrapped so DuckDB returns one row per (account, actor, window)."""
    sql = rule.sql
    if rule.event_names:
        # Shadow the `cloudtrail` view with the pre-filtered records this rule can match.
        names = ", ".join("'" + n + "'" for n in rule.event_names)
        hot = f"SELECT * FROM cloudtrail_hot WHERE event_name IN ({names})"
        sql = f"WITH cloudtrail AS ({hot}) SELECT * FROM ({sql})"
    elif rule.full_records:
        sql = f"WITH cloudtrail AS (SELECT * FROM cloudtrail_full) SELECT * FROM ({sql})"
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


def run_rule(con: duckdb.DuckDBPyConnection, rule: Rule, ctx: DetectContext) -> RuleOutcome:
    """Run one rule; a missing context or a failing query becomes a Gap naming the rule."""
    missing = [need for need in rule.requires if not ctx.has(need)]
    if missing:
        reason = "; ".join(_NEEDS[need] for need in missing)
        return RuleOutcome(rule, [], Gap(ENGINE, f"rule {rule.id}", f"not evaluated: {reason}", (rule.id,)))
    try:
        rows = con.execute(group_sql(rule, ctx.group_window_hours)).fetchall()
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
    con = open_session(store, ctx, frozenset(name for rule in chosen for name in rule.event_names))
    try:
        return [run_rule(con, rule, ctx) for rule in chosen]
    finally:
        con.close()


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
