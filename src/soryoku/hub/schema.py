"""The hub's tables (SQLAlchemy Core), the schema version, and the steps that upgrade older stores.

Every table is prefixed ``soryoku_`` so a PostgreSQL database can be shared with other tools.

Schema versions:

* 1 — the first layout: ``soryoku_meta``, ``soryoku_runs``, ``soryoku_findings`` (without account
  and region columns) and ``soryoku_run_findings``.
* 2 — ``soryoku_findings`` gains ``account_uid`` and ``region`` (indexed, for filtering),
  backfilled from each stored finding's OCSF JSON.
* 3 — ``soryoku_runs`` gains ``coverage`` (JSON, NULL for a run over its whole scope): what a
  partial run (``--checks``, ``--region``, a fix's re-check) evaluated, so that neither recording
  nor diffing it resolves findings it did not look at.

A store at an older version is upgraded in place, in one transaction, by the steps in
``MIGRATIONS``; a store at a newer version is refused with a message to upgrade soryoku.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    inspect,
    select,
    text,
    update,
)

from soryoku.core.errors import StoreError
from soryoku.core.finding import Finding

SCHEMA_VERSION = 3
SCHEMA_VERSION_KEY = "schema_version"

metadata = MetaData()

meta = Table(
    "soryoku_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

runs = Table(
    "soryoku_runs",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), nullable=False, unique=True),
    Column("engine", String(64), nullable=False),
    Column("scope", Text, nullable=False),
    Column("started_ms", BigInteger, nullable=False),
    Column("finished_ms", BigInteger, nullable=False),
    Column("complete", Boolean, nullable=False),
    Column("gaps", Text, nullable=False),  # JSON array of {engine, scope, reason, checks}
    Column("coverage", Text),  # JSON Coverage of a partial run; NULL: the whole scope
    Column("finding_count", Integer, nullable=False),
    Column("fail_count", Integer, nullable=False),
    Column("pass_count", Integer, nullable=False),
    Column("suppressed_count", Integer, nullable=False),
    Column("new_count", Integer, nullable=False),
    Column("resolved_count", Integer, nullable=False),
    Index("ix_soryoku_runs_engine_scope", "engine", "scope"),
)

findings = Table(
    "soryoku_findings",
    metadata,
    Column("uid", String(128), primary_key=True),
    Column("engine", String(64), nullable=False),
    Column("scope", Text, nullable=False),
    Column("class_uid", Integer, nullable=False),
    Column("check_id", String(256), nullable=False),
    Column("resource_uid", Text, nullable=False),
    Column("account_uid", String(64)),
    Column("region", String(64)),
    Column("severity_id", Integer, nullable=False),
    Column("status_code", String(16), nullable=False),
    Column("status_id", Integer, nullable=False),
    Column("first_seen_ms", BigInteger, nullable=False),
    Column("last_seen_ms", BigInteger, nullable=False),
    Column("resolved_ms", BigInteger),
    Column("last_run_id", String(32), nullable=False),  # its OCSF JSON is in that run's run_findings
    Index("ix_soryoku_findings_engine_scope_status", "engine", "scope", "status_code"),
    Index("ix_soryoku_findings_check", "check_id"),
    Index("ix_soryoku_findings_account_region", "account_uid", "region"),
)

run_findings = Table(
    "soryoku_run_findings",
    metadata,
    Column("run_id", String(32), primary_key=True),
    Column("uid", String(128), primary_key=True),
    Column("status_code", String(16), nullable=False),
    Column("status_id", Integer, nullable=False),
    Column("severity_id", Integer, nullable=False),
    Column("ocsf", Text, nullable=False),  # the finding as this run saw it, OCSF JSON
)

SOURCE_TABLES = frozenset(t.name for t in metadata.sorted_tables)


def _v1_to_v2(conn: Connection) -> None:
    """Add account_uid/region to findings and backfill them from the stored OCSF JSON."""
    conn.execute(text("ALTER TABLE soryoku_findings ADD COLUMN account_uid VARCHAR(64)"))
    conn.execute(text("ALTER TABLE soryoku_findings ADD COLUMN region VARCHAR(64)"))
    rows = conn.execute(
        select(findings.c.uid, run_findings.c.ocsf).join(
            run_findings,
            (run_findings.c.run_id == findings.c.last_run_id) & (run_findings.c.uid == findings.c.uid),
        )
    ).all()
    params = []
    for uid, ocsf in rows:
        finding = Finding.from_ocsf(json.loads(ocsf))
        params.append({"b_uid": uid, "account_uid": finding.account_uid, "region": finding.region})
    if params:
        conn.execute(
            update(findings)
            .where(findings.c.uid == bindparam("b_uid"))
            .values(account_uid=bindparam("account_uid"), region=bindparam("region")),
            params,
        )
    conn.execute(
        text("CREATE INDEX ix_soryoku_findings_account_region ON soryoku_findings (account_uid, region)")
    )


def _v2_to_v3(conn: Connection) -> None:
    """Add the runs' coverage column; every earlier run covered its whole scope (NULL)."""
    conn.execute(text("ALTER TABLE soryoku_runs ADD COLUMN coverage TEXT"))


# MIGRATIONS[v] upgrades a store from version v to v + 1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3}


def read_version(conn: Connection) -> int | None:
    """The schema version recorded in the store, or None when the store has no soryoku tables."""
    names = set(inspect(conn).get_table_names())
    if meta.name not in names:
        if names & SOURCE_TABLES:
            raise StoreError(f"has soryoku tables but no {meta.name} table: not a usable soryoku store")
        return None
    value = conn.execute(select(meta.c.value).where(meta.c.key == SCHEMA_VERSION_KEY)).scalar()
    if value is None or not str(value).isdigit():
        raise StoreError(f"{meta.name} has no valid {SCHEMA_VERSION_KEY} (found {value!r})")
    return int(value)


def ensure_schema(conn: Connection, *, foreign_tables_allowed: bool) -> int:
    """Create the tables in an empty store or upgrade an older one; return the version found.

    ``foreign_tables_allowed`` is False for SQLite files: a file holding someone else's tables and
    none of ours is refused rather than written into by mistake.
    """
    version = read_version(conn)
    if version is None:
        others = sorted(inspect(conn).get_table_names())
        if others and not foreign_tables_allowed:
            raise StoreError(
                f"is a SQLite database but not a soryoku store (tables: {', '.join(others[:5])})"
            )
        metadata.create_all(conn)
        conn.execute(meta.insert().values(key=SCHEMA_VERSION_KEY, value=str(SCHEMA_VERSION)))
        return SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        from soryoku import __version__

        raise StoreError(
            f"has schema version {version}, newer than this soryoku {__version__} understands "
            f"(up to {SCHEMA_VERSION}): upgrade soryoku"
        )
    if version < 1:
        raise StoreError(f"has unknown schema version {version}")
    for step in range(version, SCHEMA_VERSION):
        MIGRATIONS[step](conn)
    if version < SCHEMA_VERSION:
        conn.execute(meta.update().where(meta.c.key == SCHEMA_VERSION_KEY).values(value=str(SCHEMA_VERSION)))
    return version


__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ensure_schema",
    "findings",
    "meta",
    "metadata",
    "read_version",
    "run_findings",
    "runs",
]
