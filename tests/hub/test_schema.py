"""Schema versions: a fresh store, an upgrade from version 1, a refused newer store, bad stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, Table, create_engine, select

from soryoku.core.errors import StoreError
from soryoku.hub import schema
from soryoku.hub.store import open_store

from .factories import ACCOUNT, T0, posture, run

V1_DROPPED = {"account_uid", "region"}  # soryoku_findings columns added by version 2
V2_DROPPED = {"coverage"}  # soryoku_runs columns added by version 3


def _create_v1(url: str) -> str:
    """A store as soryoku's schema version 1 laid it out, holding one run with one FAIL."""
    v1 = MetaData()
    for table in schema.metadata.sorted_tables:
        dropped = V1_DROPPED if table is schema.findings else V2_DROPPED if table is schema.runs else set()
        columns: list[Column[object]] = [c._copy() for c in table.columns if c.name not in dropped]
        Table(table.name, v1, *columns)
    finding = posture("c1", "b1", region="ap-south-1")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        v1.create_all(conn)
        conn.execute(v1.tables["soryoku_meta"].insert().values(key="schema_version", value="1"))
        conn.execute(
            v1.tables["soryoku_runs"]
            .insert()
            .values(
                run_id="0" * 32,
                engine="posture",
                scope=ACCOUNT,
                started_ms=T0,
                finished_ms=T0,
                complete=True,
                gaps="[]",
                finding_count=1,
                fail_count=1,
                pass_count=0,
                suppressed_count=0,
                new_count=1,
                resolved_count=0,
            )
        )
        conn.execute(
            v1.tables["soryoku_findings"]
            .insert()
            .values(
                uid=finding.uid,
                engine="posture",
                scope=ACCOUNT,
                class_uid=2003,
                check_id="c1",
                resource_uid=finding.resource_uid,
                severity_id=4,
                status_code="FAIL",
                status_id=1,
                first_seen_ms=T0,
                last_seen_ms=T0,
                resolved_ms=None,
                last_run_id="0" * 32,
            )
        )
        conn.execute(
            v1.tables["soryoku_run_findings"]
            .insert()
            .values(
                run_id="0" * 32,
                uid=finding.uid,
                status_code="FAIL",
                status_id=1,
                severity_id=4,
                ocsf=finding.model_dump_json(exclude_none=True),
            )
        )
    engine.dispose()
    return finding.uid


def _version(url: str) -> str | None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        value = conn.execute(select(schema.meta.c.value)).scalar()
    engine.dispose()
    return value


def _url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def test_new_store_is_at_the_current_version(db: str) -> None:
    with open_store(db):
        pass
    assert _version(_url(db)) == str(schema.SCHEMA_VERSION)


def test_version_1_store_is_upgraded_in_place(db: str) -> None:
    uid = _create_v1(_url(db))
    with open_store(db) as store:
        found = store.current_findings(account=ACCOUNT, region="ap-south-1")
        assert [f.uid for f in found] == [uid]
        assert store.runs()[0].run_id == "0" * 32
        # the upgraded store goes on with its lifecycle: a later complete run resolves the FAIL
        assert store.record(run([], 1, scope=ACCOUNT)).resolved == [uid]
        assert store.runs()[-1].coverage is None  # runs before version 3 covered their whole scope
    assert _version(_url(db)) == str(schema.SCHEMA_VERSION) == "3"


def test_newer_store_is_refused(db: str) -> None:
    with open_store(db):
        pass
    engine = create_engine(_url(db).replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(schema.meta.update().values(value="99"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"schema version 99, newer than .* \(up to 3\): upgrade soryoku"):
        open_store(db)


def test_corrupt_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a database at all\n" * 200)
    with pytest.raises(StoreError, match=r"corrupt\.db.*file is not a database"):
        open_store(str(path))


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    with pytest.raises(StoreError, match=r"other\.db.*not a soryoku store \(tables: invoices\)"):
        open_store(str(path))


def test_soryoku_tables_without_meta_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "half.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE soryoku_runs (id INTEGER)")
    conn.close()
    with pytest.raises(StoreError, match="no soryoku_meta table"):
        open_store(str(path))


def test_bad_locations(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        open_store(str(tmp_path))
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(StoreError, match="expected a SQLite path or a postgresql:// URL"):
        open_store("mysql://root@localhost/db")
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:1.*cannot be opened"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")


def test_password_is_not_shown(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://nobody:hunter2@127.0.0.1:1/none")
    assert "hunter2" not in str(caught.value)


def test_default_location_is_env_then_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORYOKU_DB", str(tmp_path / "from-env.db"))
    with open_store(None):
        pass
    assert (tmp_path / "from-env.db").is_file()
    monkeypatch.delenv("SORYOKU_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with open_store(None) as store:
        assert store.display == str(tmp_path / "xdg" / "soryoku" / "findings.db")
    assert (tmp_path / "xdg" / "soryoku" / "findings.db").is_file()


def test_a_failing_upgrade_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import Connection, inspect, text

    db = str(tmp_path / "v1.db")
    _create_v1(f"sqlite:///{db}")

    def broken_step(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE soryoku_findings ADD COLUMN account_uid VARCHAR(64)"))
        conn.execute(text("SELECT no_such_column FROM soryoku_findings"))

    monkeypatch.setitem(schema.MIGRATIONS, 1, broken_step)
    with pytest.raises(StoreError, match=r"v1\.db.*cannot be opened \(no such column"):
        open_store(db)
    assert _version(f"sqlite:///{db}") == "1"
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("soryoku_findings")}
    engine.dispose()
    assert "account_uid" not in columns  # the DDL was rolled back with the rest
