"""The local advisory database: one SQLite file indexed by ecosystem + package name.

Imports run in one transaction with bulk inserts (whole OSV exports in seconds); a re-imported
advisory replaces its earlier version; a withdrawn one is removed. Lookups return the advisories
of one package, ready for the matcher.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from soryoku.core.errors import InputError, StoreError
from soryoku.core.severity import Severity
from soryoku.vuln.advisories.loaders import EpssScore, Item, KevEntry, Skipped
from soryoku.vuln.advisories.records import Advisory, Affected, Withdrawn
from soryoku.vuln.advisories.severity import Rating

SCHEMA_VERSION = "2"
ENV_DB = "SORYOKU_VULN_DB"
_BATCH = 2_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS advisory (
    id TEXT PRIMARY KEY, aliases TEXT NOT NULL, summary TEXT NOT NULL, details TEXT NOT NULL,
    severity INTEGER NOT NULL, score REAL, vector TEXT, published TEXT NOT NULL,
    modified TEXT NOT NULL, refs TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS affected (
    advisory_id TEXT NOT NULL, ecosystem TEXT NOT NULL, release TEXT NOT NULL, name TEXT NOT NULL,
    purl TEXT, ranges TEXT NOT NULL, versions TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS affected_package ON affected (ecosystem, name);
CREATE INDEX IF NOT EXISTS affected_advisory ON affected (advisory_id);
CREATE TABLE IF NOT EXISTS kev (
    cve TEXT PRIMARY KEY, date_added TEXT NOT NULL, due_date TEXT NOT NULL, ransomware TEXT NOT NULL,
    name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS epss (cve TEXT PRIMARY KEY, score REAL NOT NULL, percentile REAL NOT NULL);
CREATE TABLE IF NOT EXISTS source (
    path TEXT PRIMARY KEY, advisories INTEGER NOT NULL, withdrawn INTEGER NOT NULL,
    kev INTEGER NOT NULL, epss INTEGER NOT NULL, skipped INTEGER NOT NULL, imported_at TEXT NOT NULL);
"""


def default_db_path() -> Path:
    """``$SORYOKU_VULN_DB``, else ``vuln.db`` in the user data folder of soryoku."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB])
    from platformdirs import user_data_dir

    return Path(user_data_dir("soryoku")) / "vuln.db"


@dataclass(slots=True)
class ImportStats:
    """What one import did, per path and in total."""

    advisories: int = 0
    withdrawn: int = 0
    kev: int = 0
    epss: int = 0
    skipped: int = 0
    skipped_examples: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """One imported path and its counts."""

    path: str
    advisories: int
    withdrawn: int
    kev: int
    epss: int
    skipped: int
    imported_at: str


@dataclass(frozen=True, slots=True)
class DbStatus:
    """Counts and sources of the database (``soryoku vuln db status``)."""

    path: str
    advisories: int
    affected: int
    kev: int
    epss: int
    ecosystems: dict[str, int]
    sources: tuple[SourceStatus, ...]
    newest_modified: str


@dataclass(frozen=True, slots=True)
class PackageAdvisory:
    """One advisory as it affects one package (the row the matcher works on)."""

    advisory: Advisory
    affected: Affected


class AdvisoryDB:
    """An open advisory database; use ``open_db`` / ``create_db``."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._cache: dict[tuple[str, str, str], list[PackageAdvisory]] = {}
        self._kev: frozenset[str] | None = None
        self._covers: dict[tuple[str, str, str], bool] = {}
        self._epss: dict[str, EpssScore] | None = None

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    # -- import --

    def import_items(self, items: Iterable[Item], source: str) -> ImportStats:
        """Store every item in one transaction; return the counts."""
        stats = ImportStats()
        advisories: list[Advisory] = []
        kev: list[KevEntry] = []
        epss: list[EpssScore] = []
        withdrawn: list[str] = []
        try:
            with self._db:
                for item in items:
                    if isinstance(item, Advisory):
                        advisories.append(item)
                        stats.advisories += 1
                        if len(advisories) >= _BATCH:
                            self._write_advisories(advisories, source)
                            advisories.clear()
                    elif isinstance(item, Withdrawn):
                        withdrawn.append(item.id)
                        stats.withdrawn += 1
                    elif isinstance(item, KevEntry):
                        kev.append(item)
                        stats.kev += 1
                    elif isinstance(item, EpssScore):
                        epss.append(item)
                        stats.epss += 1
                    else:
                        stats.skipped += 1
                        if len(stats.skipped_examples) < 5:
                            stats.skipped_examples.append(item)
                self._write_advisories(advisories, source)
                self._db.executemany("DELETE FROM affected WHERE advisory_id = ?", [(i,) for i in withdrawn])
                self._db.executemany("DELETE FROM advisory WHERE id = ?", [(i,) for i in withdrawn])
                self._db.executemany(
                    "INSERT OR REPLACE INTO kev VALUES (?, ?, ?, ?, ?)",
                    [(k.cve, k.date_added, k.due_date, k.ransomware, k.name) for k in kev],
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO epss VALUES (?, ?, ?)",
                    [(e.cve, e.score, e.percentile) for e in epss],
                )
                self._db.execute(
                    "INSERT OR REPLACE INTO source VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        source,
                        stats.advisories,
                        stats.withdrawn,
                        stats.kev,
                        stats.epss,
                        stats.skipped,
                        datetime.now(UTC).isoformat(timespec="seconds"),
                    ),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"advisory database {self.path}: import failed ({exc})") from exc
        self._cache.clear()
        self._covers.clear()
        self._kev = None
        self._epss = None
        return stats

    def _write_advisories(self, advisories: list[Advisory], source: str) -> None:
        if not advisories:
            return
        self._db.executemany("DELETE FROM affected WHERE advisory_id = ?", [(a.id,) for a in advisories])
        self._db.executemany(
            "INSERT OR REPLACE INTO advisory VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    a.id,
                    json.dumps(a.aliases),
                    a.summary,
                    a.details,
                    int(a.rating.severity),
                    a.rating.score,
                    a.rating.vector,
                    a.published,
                    a.modified,
                    json.dumps(a.references),
                    source,
                )
                for a in advisories
            ],
        )
        self._db.executemany(
            "INSERT INTO affected VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (a.id, f.ecosystem, f.release, f.name, f.purl, json.dumps(f.ranges), json.dumps(f.versions))
                for a in advisories
                for f in a.affected
            ],
        )

    # -- queries --

    def for_package(self, ecosystem: str, name: str, release: str = "") -> list[PackageAdvisory]:
        """Advisories affecting ``name`` in ``ecosystem`` (and, for a distro, its ``release``)."""
        key = (ecosystem, name, release)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        rows = self._db.execute(
            "SELECT a.id, a.aliases, a.summary, a.details, a.severity, a.score, a.vector, a.published,"
            " a.modified, a.refs, f.release, f.purl, f.ranges, f.versions"
            " FROM affected f JOIN advisory a ON a.id = f.advisory_id"
            " WHERE f.ecosystem = ? AND f.name = ? AND (f.release = '' OR f.release = ?)",
            (ecosystem, name, release),
        ).fetchall()
        found = []
        for row in rows:
            affected = Affected(
                ecosystem=ecosystem,
                release=row[10],
                name=name,
                ranges=tuple(json.loads(row[12])),
                versions=tuple(json.loads(row[13])),
                purl=row[11],
            )
            advisory = Advisory(
                id=row[0],
                aliases=tuple(json.loads(row[1])),
                summary=row[2],
                details=row[3],
                rating=Rating(Severity(row[4]), row[5], row[6]),
                published=row[7],
                modified=row[8],
                references=tuple(json.loads(row[9])),
                affected=(affected,),
            )
            found.append(PackageAdvisory(advisory, affected))
        self._cache[key] = found
        return found

    def covers(self, ecosystem: str, release: str = "") -> bool:
        """True when the database holds any advisory for ``ecosystem`` (and that distro release)."""
        key = (ecosystem, "", release)
        if key not in self._covers:
            row = self._db.execute(
                "SELECT 1 FROM affected WHERE ecosystem = ? AND (release = '' OR release = ?) LIMIT 1",
                (ecosystem, release),
            ).fetchone()
            self._covers[key] = row is not None
        return self._covers[key]

    def exploited(self) -> frozenset[str]:
        """The CVE ids in the imported CISA KEV catalog."""
        if self._kev is None:
            self._kev = frozenset(row[0] for row in self._db.execute("SELECT cve FROM kev"))
        return self._kev

    def epss(self, cves: tuple[str, ...]) -> EpssScore | None:
        """The highest EPSS score among ``cves``, if any was imported (the table is read once)."""
        if self._epss is None:
            self._epss = {row[0]: EpssScore(*row) for row in self._db.execute("SELECT * FROM epss")}
        scores = [self._epss[c] for c in cves if c in self._epss]
        return max(scores, key=lambda e: e.score) if scores else None

    def kev_entry(self, cve: str) -> KevEntry | None:
        """The KEV catalog entry of ``cve``, if any."""
        row = self._db.execute("SELECT * FROM kev WHERE cve = ?", (cve,)).fetchone()
        return KevEntry(*row) if row else None

    def status(self) -> DbStatus:
        """Counts per ecosystem, sources and the newest modification date."""
        one = self._db.execute
        ecosystems = dict(
            one(
                "SELECT ecosystem, COUNT(DISTINCT advisory_id) FROM affected GROUP BY ecosystem ORDER BY 1"
            ).fetchall()
        )
        sources = tuple(SourceStatus(*row) for row in one("SELECT * FROM source ORDER BY imported_at, path"))
        return DbStatus(
            path=str(self.path),
            advisories=one("SELECT COUNT(*) FROM advisory").fetchone()[0],
            affected=one("SELECT COUNT(*) FROM affected").fetchone()[0],
            kev=one("SELECT COUNT(*) FROM kev").fetchone()[0],
            epss=one("SELECT COUNT(*) FROM epss").fetchone()[0],
            ecosystems=ecosystems,
            sources=sources,
            newest_modified=one("SELECT COALESCE(MAX(modified), '') FROM advisory").fetchone()[0],
        )


def _connect(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(path, isolation_level="DEFERRED", check_same_thread=False)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        return connection
    except sqlite3.Error as exc:
        raise StoreError(f"advisory database {path}: cannot open ({exc})") from exc


def create_db(path: Path | None = None) -> AdvisoryDB:
    """Open the database at ``path`` (default: ``default_db_path()``), creating it when absent."""
    path = path or default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = _connect(path)
    try:
        with connection:
            connection.executescript(_SCHEMA)
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                connection.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise StoreError(
                    f"advisory database {path}: schema {row[0]}, expected {SCHEMA_VERSION}; "
                    "delete it and import again"
                )
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise StoreError(f"advisory database {path}: not a soryoku advisory database ({exc})") from exc
    return AdvisoryDB(connection, path)


def open_db(path: Path | None = None) -> AdvisoryDB:
    """Open an existing database; InputError naming the path and the fix when there is none."""
    path = path or default_db_path()
    if not path.is_file():
        raise InputError(
            f"advisory database {path}: not found; create it with `soryoku vuln db import PATH` "
            f"(OSV files, folders or zip archives) or point {ENV_DB} / --vuln-db at one"
        )
    return create_db(path)


@contextmanager
def opened(path: Path | None = None, *, create: bool = False) -> Iterator[AdvisoryDB]:
    """Open (or create) the database for the length of a ``with`` block."""
    db = create_db(path) if create else open_db(path)
    try:
        yield db
    finally:
        db.close()


__all__ = [
    "ENV_DB",
    "AdvisoryDB",
    "DbStatus",
    "ImportStats",
    "PackageAdvisory",
    "SourceStatus",
    "create_db",
    "default_db_path",
    "open_db",
    "opened",
]
