"""The DuckDB session the rules run in: views over the Parquet store, context tables, macros.

Views: ``cloudtrail``/``flows``/``dns`` (the --since/--until window) and ``*_all`` (full history,
for baselines); ``cloudtrail_hot`` holds the records of the event names rules declare, and
``cloudtrail_full`` is what rules reading any record's JSON (Sigma) use. Tables: ``intel_ip``,
``intel_domain``, ``aws_ip``, ``trusted_accounts``, ``env_regions``, ``automation``, ``egress_ips``,
``ip_geo`` (--asn-db; IPv6 threat-list ranges are added to ``intel_ip`` as the addresses they match).
Macros: ``ip4``, ``is_private``, ``in_intel``, ``intel_domain_category``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from soryoku.detect.environment import Environment
from soryoku.detect.geo import GeoDb, register_ip_geo
from soryoku.detect.intel import AwsRanges, Intel
from soryoku.detect.intel_v6 import add_ipv6_range_matches
from soryoku.detect.sources.cloudtrail import CLOUDTRAIL_SCHEMA
from soryoku.detect.sources.flowlogs import FLOW_SCHEMA
from soryoku.detect.sources.resolver import DNS_SCHEMA
from soryoku.detect.sources.store import LogStore

_VIEWS = {
    "cloudtrail": ("cloudtrail", CLOUDTRAIL_SCHEMA),
    "flows": ("flow", FLOW_SCHEMA),
    "dns": ("dns", DNS_SCHEMA),
}
_ACTOR = (
    "coalesce(principal_arn, "
    "CASE WHEN principal_type = 'Root' THEN 'arn:aws:iam::' || account || ':root' END, "
    "invoked_by, principal_id, 'unknown')"
)
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

    def has(self, need: str) -> bool:
        """Whether a context a rule requires was given."""
        if need == "ip_ranges":
            return self.ip_ranges is not None
        if need == "asn_db":
            return self.geo is not None
        category = {"threat_list": "threat", "tor_list": "tor"}[need]
        return any(entry.category == category for entry in self.intel.ips)


def _window(ctx: DetectContext) -> str:
    parts = []
    if ctx.since is not None:
        parts.append(f"time >= TIMESTAMP '{ctx.since.strftime('%Y-%m-%d %H:%M:%S')}'")
    if ctx.until is not None:
        parts.append(f"time < TIMESTAMP '{ctx.until.strftime('%Y-%m-%d %H:%M:%S')}'")
    return " AND ".join(parts) or "TRUE"


def open_session(
    store: LogStore, ctx: DetectContext, hot_names: frozenset[str] = frozenset()
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with every view, table and macro the rules use.

    ``cloudtrail_hot`` holds the (windowed) records whose event name is in ``hot_names``: one scan
    of the history serves every rule that declares the event names it reads.
    """
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
        rows = con.execute(f"SELECT count(*) FROM ({base})").fetchone()
        small = rows is not None and rows[0] <= ctx.materialize_rows
        if view == "cloudtrail":
            # A small store is loaded once (many small files are slow to re-open per rule); a large
            # one is queried in place, so memory stays bounded (measured: loading even a narrow
            # projection of 5M records cost more time and memory than it saved).
            full = f"SELECT * EXCLUDE (raw), {_ACTOR} AS actor FROM ({base})"
            con.execute(f"CREATE {'TABLE' if small else 'VIEW'} cloudtrail_all AS {full}")
            con.execute("CREATE VIEW cloudtrail_full_all AS SELECT * FROM cloudtrail_all")
            con.execute(f"CREATE VIEW cloudtrail_full AS SELECT * FROM cloudtrail_full_all WHERE {window}")
        else:
            # Many small files are slow to re-open per rule; a large store is queried in place.
            con.execute(f"CREATE {'TABLE' if small else 'VIEW'} {view}_all AS {base}")
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM {view}_all WHERE {window}")
    register_ip_geo(con, ctx.geo)
    add_ipv6_range_matches(con, ctx.intel)
    names = ", ".join("'" + n.replace("'", "''") + "'" for n in sorted(hot_names)) or "NULL"
    con.execute(f"CREATE TABLE cloudtrail_hot AS SELECT * FROM cloudtrail_full WHERE event_name IN ({names})")
    return con


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
