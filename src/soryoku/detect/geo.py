"""``--asn-db``: IP address → autonomous system, organisation and country.

Two formats users already have: a CSV with the header ``prefix,asn,org,country`` (IPv4 and IPv6
prefixes; nested prefixes allowed, the most specific wins) and MaxMind-format ``.mmdb`` files
(GeoLite2/GeoIP2 ASN, Country or City, or ipinfo-style records), read with ``maxminddb``. Several
databases may be given (say a MaxMind ASN file and a Country file): each field comes from the
first database that knows it.

The CSV is flattened at load into sorted, non-overlapping intervals per IP version, so a lookup
is one ``bisect``. The engine looks up each distinct source address of the store once and hands
the rules a small ``ip_geo`` table to join.
"""

from __future__ import annotations

import csv
import socket
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import maxminddb
import pyarrow as pa  # type: ignore[import-untyped]

from soryoku.core.errors import ConfigError

CSV_HEADER = ("prefix", "asn", "org", "country")


@dataclass(frozen=True, slots=True)
class IpInfo:
    """What the databases say about one address (any field may be unknown)."""

    asn: int | None = None
    org: str | None = None
    country: str | None = None

    def merged(self, other: IpInfo) -> IpInfo:
        """Fields of ``self``, completed from ``other`` where ``self`` does not know them."""
        return IpInfo(
            self.asn if self.asn is not None else other.asn,
            self.org if self.org is not None else other.org,
            self.country if self.country is not None else other.country,
        )

    @property
    def empty(self) -> bool:
        """True when nothing is known."""
        return self.asn is None and self.org is None and self.country is None


@dataclass(frozen=True, slots=True)
class _Intervals:
    """Non-overlapping ``[start, end]`` integer intervals sorted by start, for one IP version."""

    starts: list[int]
    ends: list[int]
    infos: list[IpInfo]

    def find(self, value: int) -> IpInfo | None:
        index = bisect_right(self.starts, value) - 1
        if index >= 0 and value <= self.ends[index]:
            return self.infos[index]
        return None


def flatten(intervals: Iterable[tuple[int, int, IpInfo]]) -> _Intervals:
    """Nested or disjoint intervals (CIDR prefixes are never partly overlapping) → disjoint ones.

    Inside a prefix, a more specific prefix wins; the enclosing prefix keeps the parts around it.
    """
    starts: list[int] = []
    ends: list[int] = []
    infos: list[IpInfo] = []

    def emit(start: int, end: int, info: IpInfo) -> None:
        starts.append(start)
        ends.append(end)
        infos.append(info)

    stack: list[tuple[int, IpInfo]] = []  # (end, info) of the prefixes enclosing the position
    position = 0
    for start, end, info in sorted(intervals, key=lambda item: (item[0], -item[1])):
        while stack and stack[-1][0] < start:
            closed_end, closed_info = stack.pop()
            if position <= closed_end:
                emit(position, closed_end, closed_info)
                position = closed_end + 1
        if stack and position < start:
            emit(position, start - 1, stack[-1][1])
        position = start
        stack.append((end, info))
    while stack:
        closed_end, closed_info = stack.pop()
        if position <= closed_end:
            emit(position, closed_end, closed_info)
            position = closed_end + 1
    return _Intervals(starts, ends, infos)


@dataclass(frozen=True, slots=True)
class CsvAsnDb:
    """A ``prefix,asn,org,country`` CSV, flattened into per-version interval lists."""

    path: str
    v4: _Intervals
    v6: _Intervals

    def lookup(self, version: int, value: int, text: str) -> IpInfo | None:
        """The most specific prefix's information, or None."""
        return (self.v4 if version == 4 else self.v6).find(value)


def address_value(text: str) -> tuple[int, int] | None:
    """(IP version, integer value) of an address, or None; ``socket.inet_pton`` is ~10x ``ipaddress``."""
    try:
        if ":" in text:
            return 6, int.from_bytes(socket.inet_pton(socket.AF_INET6, text.split("%", 1)[0]), "big")
        return 4, int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except (OSError, ValueError):
        return None


def parse_prefix(text: str) -> tuple[int, int, int] | None:
    """``a.b.c.d/n`` or ``x::/n`` (or a bare address) → (version, first, last) as integers, or None."""
    address, _, length = text.partition("/")
    parsed = address_value(address)
    if parsed is None:
        return None
    version, value = parsed
    bits = 32 if version == 4 else 128
    if not length:
        return version, value, value
    if not length.isdigit() or int(length) > bits:
        return None
    host = (1 << (bits - int(length))) - 1
    return version, value & ~host, (value & ~host) | host


def _asn(text: str, where: str) -> int | None:
    value = text.strip().upper().removeprefix("AS")
    if not value:
        return None
    if not value.isdigit():
        raise ConfigError(f"{where}: asn {text!r} is not a number (expected 64500 or AS64500)")
    return int(value)


def load_csv(path: Path) -> CsvAsnDb:
    """Read a ``prefix,asn,org,country`` CSV (country as an ISO code; empty fields are unknown)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(f"--asn-db {str(path)!r}: cannot read ({error.strerror})") from error
    reader = csv.reader(text.splitlines())
    header = tuple(cell.strip().lower() for cell in next(reader, []))
    if header[:4] != CSV_HEADER:
        raise ConfigError(
            f"--asn-db {str(path)!r}: expected the header {','.join(CSV_HEADER)}, got {','.join(header)!r}"
        )
    rows: dict[int, list[tuple[int, int, IpInfo]]] = {4: [], 6: []}
    infos: dict[tuple[str, str, str], IpInfo] = {}
    for number, cells in enumerate(reader, start=2):
        if not cells or not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
            continue
        if len(cells) < 4:
            where = f"--asn-db {str(path)!r} line {number}"
            raise ConfigError(f"{where}: expected 4 fields (prefix,asn,org,country), got {len(cells)}")
        interval = parse_prefix(cells[0].strip())
        if interval is None:
            raise ConfigError(f"--asn-db {str(path)!r} line {number}: {cells[0]!r} is not an IP prefix")
        key = (cells[1], cells[2], cells[3])
        info = infos.get(key)
        if info is None:  # many prefixes share one AS: one IpInfo each
            where = f"--asn-db {str(path)!r} line {number}"
            info = IpInfo(_asn(cells[1], where), cells[2].strip() or None, cells[3].strip().upper() or None)
            infos[key] = info
        version, low, high = interval
        rows[version].append((low, high, info))
    if not rows[4] and not rows[6]:
        raise ConfigError(f"--asn-db {str(path)!r}: no prefixes")
    return CsvAsnDb(str(path), flatten(rows[4]), flatten(rows[6]))


def _record_info(record: Any) -> IpInfo | None:
    """MaxMind (GeoLite2 ASN/Country/City) or ipinfo-style record → IpInfo."""
    if not isinstance(record, Mapping):
        return None
    asn: Any = record.get("autonomous_system_number", record.get("asn"))
    if isinstance(asn, str):
        digits = asn.upper().removeprefix("AS")
        asn = int(digits) if digits.isdigit() else None
    org = record.get("autonomous_system_organization") or record.get("as_name") or record.get("org")
    country: Any = record.get("country") or record.get("registered_country")
    if isinstance(country, Mapping):
        country = country.get("iso_code")
    country = country or record.get("country_code")
    info = IpInfo(
        asn if isinstance(asn, int) else None,
        org if isinstance(org, str) else None,
        country.upper() if isinstance(country, str) else None,
    )
    return None if info.empty else info


@dataclass(frozen=True, slots=True)
class MmdbAsnDb:
    """A MaxMind-format database, loaded into memory (no file stays open)."""

    path: str
    reader: Any

    def lookup(self, version: int, value: int, text: str) -> IpInfo | None:
        """The record's ASN/organisation/country, or None."""
        try:
            record = self.reader.get(text)
        except ValueError:  # an IPv6 address in an IPv4-only database
            return None
        return _record_info(record)


def load_mmdb(path: Path) -> MmdbAsnDb:
    """Open a ``.mmdb`` file."""
    try:
        with path.open("rb") as handle:
            reader = maxminddb.open_database(handle, maxminddb.MODE_FD)
    except (OSError, maxminddb.InvalidDatabaseError, ValueError) as error:
        raise ConfigError(f"--asn-db {str(path)!r}: not a readable MaxMind database ({error})") from error
    return MmdbAsnDb(str(path), reader)


@dataclass(frozen=True, slots=True)
class GeoDb:
    """One or more ASN/country databases, asked in order."""

    databases: tuple[CsvAsnDb | MmdbAsnDb, ...]
    _cache: dict[str, IpInfo | None] = field(default_factory=dict, compare=False, repr=False)

    @property
    def sources(self) -> list[str]:
        """The files loaded."""
        return [db.path for db in self.databases]

    def lookup(self, ip: str) -> IpInfo | None:
        """What is known about ``ip`` (None for non-addresses such as ``ec2.amazonaws.com``)."""
        if ip in self._cache:
            return self._cache[ip]
        parsed = address_value(ip)
        if parsed is None:
            self._cache[ip] = None
            return None
        found: IpInfo | None = None
        for db in self.databases:
            info = db.lookup(*parsed, ip)
            if info is not None:
                found = info if found is None else found.merged(info)
        self._cache[ip] = found
        return found


def register_ip_geo(con: duckdb.DuckDBPyConnection, geo: GeoDb | None) -> None:
    """Create ``ip_geo(ip, asn, org, country)`` for every CloudTrail source address (``ct_source_ips``).

    Each address is looked up once in Python (a bisect or an mmdb tree walk), which is far cheaper
    than a range join of every record against the database's prefixes.
    """
    ips: list[str] = []
    infos: list[IpInfo] = []
    if geo is not None:
        for (ip,) in con.execute("SELECT source_ip FROM ct_source_ips").fetchall():
            info = geo.lookup(ip)
            if info is not None:
                ips.append(ip)
                infos.append(info)
    con.register(
        "_ip_geo",
        pa.table(
            {
                "ip": pa.array(ips, pa.string()),
                "asn": pa.array([i.asn for i in infos], pa.int64()),
                "org": pa.array([i.org for i in infos], pa.string()),
                "country": pa.array([i.country for i in infos], pa.string()),
            }
        ),
    )
    con.execute("CREATE TABLE ip_geo AS SELECT * FROM _ip_geo")
    con.unregister("_ip_geo")


def load_asn_db(paths: Iterable[Path]) -> GeoDb | None:
    """Load every ``--asn-db`` file (``.mmdb`` by suffix, CSV otherwise); None when none is given."""
    databases: list[CsvAsnDb | MmdbAsnDb] = []
    for path in paths:
        databases.append(load_mmdb(path) if path.suffix.lower() == ".mmdb" else load_csv(path))
    return GeoDb(tuple(databases)) if databases else None


__all__ = [
    "CSV_HEADER",
    "GeoDb",
    "IpInfo",
    "flatten",
    "load_asn_db",
    "load_csv",
    "load_mmdb",
    "register_ip_geo",
]
