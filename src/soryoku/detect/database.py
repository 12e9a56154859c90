"""The DuckDB session the rules run in: views over the Parquet store, context tables, macros.

Views: ``cloudtrail``/``flows``/``dns`` (the --since/--until window) and ``*_all`` (full history);
``cloudtrail_hot`` holds the records rules declaring event names or a prefilter can match, and
``cloudtrail_full`` is what rules reading any record's JSON (Sigma) use. History-wide questions
go to the summaries (``soryoku.detect.summaries``): ``ct_actor_since``, ``ct_first_seen``,
``ct_account_regions``, ``ct_user_days``, ``ct_bursts``, ``ct_source_ips`` — read from the store's
summaries, or computed from the records when the store has none. Tables: ``intel_ip``,
``intel_domain``, ``aws_ip``, ``trusted_accounts``, ``env_regions``, ``automation``, ``egress_ips``,
``ip_geo`` (--asn-db; IPv6 threat-list ranges are added to ``intel_ip`` as the addresses they match).
Macros: ``ip4``, ``is_private``, ``in_intel``, ``intel_domain_category``, ``in_window`` (the
--since/--until window).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from soryoku.detect.environment import Environment
from soryoku.detect.geo import GeoDb, register_ip_geo
from soryoku.detect.intel import AwsRanges, Intel
from soryoku.detect.intel_v6 import add_ipv6_range_matches
from soryoku.detect.rules.model import Rule
from soryoku.detect.sources.cloudtrail import CLOUDTRAIL_SCHEMA
from soryoku.detect.sources.flowlogs import FLOW_SCHEMA
from soryoku.detect.sources.resolver import DNS_SCHEMA
from soryoku.detect.sources.store import LogStore
from soryoku.detect.summaries import ACTOR, BURSTS_REDUCE, SUMMARIES, Coverage, Manifest

_VIEWS = {
    "cloudtrail": ("cloudtrail", CLOUDTRAIL_SCHEMA),
    "flows": ("flow", FLOW_SCHEMA),
    "dns": ("dns", DNS_SCHEMA),
}
_MACROS = [
    r"""CREATE MACRO ip4(s) AS CASE
        WHEN regexp_full_match(coalesce(s, ''), '\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}')
        THEN CAST(split_part(s, '.', 1) AS BIGINT) * 16777216 + CAST(split_part(s, '.', 2) AS BIGINT) * 65536
           + CAST(split_part(s, '.', 3) AS BIGINT) * 256 + CAST(split_part(s, '.', 4) AS BIGINT) END""",
    # String tests: far cheaper than converting every address to an integer.
    r"""CREATE MACRO is_private(s) AS (s LIKE '10.%' OR s LIKE '192.168.%' OR s LIKE '127.%'
        OR s LIKE '169.254.%' OR regexp_matches(s, '^172\.(1[6-9]|2[0-9]|3[01])\.')
        OR regexp_matches(s, '^100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.')
        OR lower(s) LIKE 'fd%' OR lower(s) LIKE 'fe80:%')""",
    "CREATE MACRO in_intel(ip, cat) AS EXISTS (SELECT 1 FROM intel_ip i WHERE i.category = cat "
    "AND ((ip4(ip) BETWEEN i.lo AND i.hi) OR i.exact = ip))",
    "CREATE MACRO intel_domain_category(q) AS (SELECT min(d.category) FROM intel_domain d "
    "WHERE q = d.domain OR q LIKE '%.' || d.domain)",
]


@dataclass(frozen=True, slots=True)
class DetectContext:
    """What the rules may use besides the logs, and the time window to report on."""

    intel: Intel = field(default_factory=Intel.builtin)
    ip_ranges: AwsRanges | None = None
    geo: GeoDb | None = None
    environment: Environment = field(default_factory=Environment)
    since: datetime | None = None
    until: datetime | None = None
    learning_days: int = 7
    dormant_days: int = 30
    group_window_hours: int = 24
    memory_limit: str = "1GB"
    # Below this many records the store is loaded once (many small files are slow to re-open per
    # rule); above it, loading cost more than it saved (measured: 2.3 µs per record at 500,000).
    materialize_rows: int = 100_000

    def __post_init__(self) -> None:
        # The dormant-user rule reads whole days of activity (see its SQL).
        if self.dormant_days < 1:
            raise ValueError(f"dormant_days {self.dormant_days}: expected at least 1")

    def has(self, need: str) -> bool:
        """Whether a context a rule requires was given."""
        if need == "ip_ranges":
            return self.ip_ranges is not None
        if need == "asn_db":
            return self.geo is not None
        category = {"threat_list": "threat", "tor_list": "tor"}[need]
        return any(entry.category == category for entry in self.intel.ips)


def _window(ctx: DetectContext, column: str = "time") -> str:
    parts = []
    if ctx.since is not None:
        parts.append(f"{column} >= TIMESTAMP '{ctx.since.strftime('%Y-%m-%d %H:%M:%S')}'")
    if ctx.until is not None:
        parts.append(f"{column} < TIMESTAMP '{ctx.until.strftime('%Y-%m-%d %H:%M:%S')}'")
    return " AND ".join(parts) or "TRUE"


@dataclass(frozen=True, slots=True)
class Session:
    """A DuckDB connection with every view, table and macro the rules use.

    ``coverage``: the rules the store's summaries serve; None when the store has none (written by
    an older version, or cleared) and everything is read from the records.
    """

    con: duckdb.DuckDBPyConnection
    coverage: Coverage | None

    def close(self) -> None:
        """Close the connection."""
        self.con.close()


def _parquet(glob: str) -> str:
    glob = glob.replace("'", "''")
    return f"read_parquet('{glob}', union_by_name = true)"


def _summary_tables(con: duckdb.DuckDBPyConnection, store: LogStore, summarised: bool) -> None:
    """``ct_<summary>`` from the store's summaries, or computed from the records (``cloudtrail_all``)."""
    lazy = {"first_seen"}  # large (a row per principal and address); each rule reads one kind of it
    for summary in SUMMARIES:
        kind = "VIEW" if summary.name in lazy else "TABLE"
        if summarised and store.summary_files(summary.name):
            sql = summary.reduce.replace("{parts}", _parquet(store.summary_glob(summary.name)))
        else:
            sql = summary.of("cloudtrail_all")
        con.execute(f"CREATE {kind} ct_{summary.name} AS {sql}")
    con.execute(
        "CREATE VIEW ct_source_ips AS "
        "SELECT DISTINCT source_ip FROM cloudtrail_all WHERE source_ip IS NOT NULL"
    )
    if summarised and store.summary_files("bursts"):
        parts = _parquet(store.summary_glob("bursts"))
        con.execute("CREATE VIEW ct_bursts AS " + BURSTS_REDUCE.replace("{parts}", parts))
    else:
        con.execute(
            "CREATE VIEW ct_bursts AS SELECT NULL::VARCHAR AS rule, NULL::VARCHAR AS _k1, "
            "NULL::VARCHAR AS _k2, NULL::VARCHAR AS _k3, NULL::TIMESTAMP AS _bucket, "
            "NULL::VARCHAR AS _value, NULL::BIGINT AS _n WHERE FALSE"
        )


def open_session(store: LogStore, ctx: DetectContext, rules: Iterable[Rule] = ()) -> Session:
    """A session over ``store`` for ``rules``.

    ``cloudtrail_hot`` holds the (windowed) records rules declaring their event names or a
    prefilter can match: from the store's candidates when its summaries serve those rules, else
    from one scan of the history.
    """
    chosen = list(rules)
    manifest = Manifest.load(store.manifest_path)
    summarised = manifest is not None and manifest.complete
    coverage = manifest.coverage if manifest is not None and summarised else None
    con = duckdb.connect()
    # Above the limit DuckDB spills to its temp directory: memory stays bounded however large the store.
    con.execute(f"SET memory_limit = '{ctx.memory_limit}'")
    con.execute("SET lambda_syntax = 'DISABLE_SINGLE_ARROW'")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET VARIABLE learning_days = {int(ctx.learning_days)}")
    con.execute(f"SET VARIABLE dormant_days = {int(ctx.dormant_days)}")
    _context_tables(con, ctx)
    for macro in _MACROS:
        con.execute(macro)
    window = _window(ctx)
    con.execute(f"CREATE MACRO in_window(t) AS ({_window(ctx, 't')})")
    for view, (source, schema) in _VIEWS.items():
        if store.has(source):
            glob = store.glob(source).replace("'", "''")
            base = (
                f"SELECT * EXCLUDE (day) FROM read_parquet('{glob}', hive_partitioning = true, "
                "hive_types = {'account': VARCHAR, 'region': VARCHAR, 'day': VARCHAR}, union_by_name = true)"
            )
        else:
            con.register(f"_empty_{view}", schema.empty_table())
            base = f"SELECT * FROM _empty_{view}"
        if view == "cloudtrail" and coverage is not None:
            counted = con.execute(
                f"SELECT coalesce(sum(records), 0) FROM {_parquet(store.summary_glob('actor_since'))}"
                if store.summary_files("actor_since")
                else "SELECT 0"
            ).fetchone()
        else:
            counted = con.execute(f"SELECT count(*) FROM ({base})").fetchone()
        small = counted is not None and counted[0] <= ctx.materialize_rows
        if view == "cloudtrail":
            # A small store is loaded once (many small files are slow to re-open per rule); a large
            # one is queried in place, so memory stays bounded (measured: loading even a narrow
            # projection of 5M records cost more time and memory than it saved).
            full = f"SELECT * EXCLUDE (raw), {ACTOR} AS actor FROM ({base})"
            con.execute(f"CREATE {'TABLE' if small else 'VIEW'} cloudtrail_all AS {full}")
            con.execute("CREATE VIEW cloudtrail_full_all AS SELECT * FROM cloudtrail_all")
            con.execute(f"CREATE VIEW cloudtrail_full AS SELECT * FROM cloudtrail_full_all WHERE {window}")
        else:
            # Many small files are slow to re-open per rule; a large store is queried in place.
            con.execute(f"CREATE {'TABLE' if small else 'VIEW'} {view}_all AS {base}")
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM {view}_all WHERE {window}")
    _summary_tables(con, store, coverage is not None)
    register_ip_geo(con, ctx.geo)
    add_ipv6_range_matches(con, ctx.intel)
    if coverage is not None:
        if store.summary_files("candidates"):
            candidates = f"SELECT *, {ACTOR} AS actor FROM {_parquet(store.summary_glob('candidates'))}"
        else:
            candidates = "SELECT * FROM cloudtrail_all WHERE FALSE"
        con.execute(f"CREATE TABLE cloudtrail_hot AS SELECT * FROM ({candidates}) WHERE {window}")
    else:
        wanted = Coverage(
            frozenset(n for r in chosen for n in r.event_names),
            frozenset(r.prefilter for r in chosen if r.prefilter),
            frozenset(),
        ).candidates_filter()
        wanted = wanted.replace("{records}", "cloudtrail_full")
        con.execute(f"CREATE TABLE cloudtrail_hot AS SELECT * FROM cloudtrail_full WHERE {wanted}")
    return Session(con, coverage)


def _context_tables(con: duckdb.DuckDBPyConnection, ctx: DetectContext) -> None:
    intel = ctx.intel
    con.register(
        "_intel_ip",
        pa.table(
            {
                "lo": pa.array([e.lo for e in intel.ips], pa.int64()),
                "hi": pa.array([e.hi for e in intel.ips], pa.int64()),
                "exact": pa.array([e.exact for e in intel.ips], pa.string()),
                "list_name": pa.array([e.list_name for e in intel.ips], pa.string()),
                "category": pa.array([e.category for e in intel.ips], pa.string()),
            }
        ),
    )
    con.execute("CREATE TABLE intel_ip AS SELECT * FROM _intel_ip")
    domains = sorted(intel.domains.items())
    con.register(
        "_intel_domain",
        pa.table(
            {
                "domain": pa.array([d for d, _ in domains], pa.string()),
                "list_name": pa.array([v[0] for _, v in domains], pa.string()),
                "category": pa.array([v[1] for _, v in domains], pa.string()),
            }
        ),
    )
    con.execute("CREATE TABLE intel_domain AS SELECT * FROM _intel_domain")
    ranges = ctx.ip_ranges.intervals if ctx.ip_ranges else []
    con.register(
        "_aws_ip",
        pa.table(
            {
                "lo": pa.array([r[0] for r in ranges], pa.int64()),
                "hi": pa.array([r[1] for r in ranges], pa.int64()),
                "service": pa.array([r[2] for r in ranges], pa.string()),
                "region": pa.array([r[3] for r in ranges], pa.string()),
            }
        ),
    )
    con.execute("CREATE TABLE aws_ip AS SELECT * FROM _aws_ip")
    env = ctx.environment
    for name, column, values in (
        ("trusted_accounts", "account", env.known_accounts),
        ("env_regions", "region", env.regions),
        ("automation", "actor", env.automation_principals),
        ("egress_ips", "ip", env.egress_ips),
    ):
        con.register(f"_{name}", pa.table({column: pa.array(list(values), pa.string())}))
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _{name}")
