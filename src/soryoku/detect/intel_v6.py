"""IPv6 CIDR ranges of threat lists, matched against the IPv6 addresses the logs contain.

DuckDB has no built-in 128-bit address arithmetic on text addresses, so instead of converting
every record, the distinct IPv6-looking addresses of the store (CloudTrail source addresses, flow
endpoints) are matched in Python — one dictionary probe per distinct prefix length — and each match
is added to ``intel_ip`` as an exact entry, which the ``in_intel`` macro already compares. Nothing
runs when no list has an IPv6 range.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import duckdb

from soryoku.detect.intel import Intel, IpEntry

# (view, column) pairs whose addresses the rules test with in_intel.
_ADDRESS_COLUMNS = (("ct_source_ips", "source_ip"), ("flows_all", "src_addr"), ("flows_all", "dst_addr"))


class Ipv6Ranges:
    """IPv6 networks grouped by prefix length, for a lookup of one probe per length."""

    def __init__(self, entries: Iterable[IpEntry]) -> None:
        self._by_length: dict[int, dict[int, list[IpEntry]]] = {}
        for entry in entries:
            if entry.network6 is None:
                continue
            network = ipaddress.IPv6Network(entry.network6)
            shift = 128 - network.prefixlen
            bucket = self._by_length.setdefault(shift, {})
            bucket.setdefault(int(network.network_address) >> shift, []).append(entry)

    def __bool__(self) -> bool:
        return bool(self._by_length)

    def matches(self, text: str) -> list[IpEntry]:
        """The range entries containing the address ``text`` (none when it is not IPv6)."""
        try:
            address = ipaddress.IPv6Address(text)
        except ValueError:
            return []
        value = int(address)
        found: list[IpEntry] = []
        for shift, networks in self._by_length.items():
            found += networks.get(value >> shift, [])
        return found


def add_ipv6_range_matches(con: duckdb.DuckDBPyConnection, intel: Intel) -> int:
    """Add every store address inside an IPv6 range of ``intel`` to ``intel_ip``; returns how many rows."""
    ranges = Ipv6Ranges(intel.ips)
    if not ranges:
        return 0
    views = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    selects = [
        f"SELECT DISTINCT {column} AS ip FROM {view} WHERE {column} LIKE '%:%'"
        for view, column in _ADDRESS_COLUMNS
        if view in views
    ]
    if not selects:
        return 0
    rows: list[tuple[str, str, str]] = []
    for (text,) in con.execute(" UNION ".join(selects)).fetchall():
        rows += [(text, entry.list_name, entry.category) for entry in ranges.matches(text)]
    if rows:
        con.executemany(
            "INSERT INTO intel_ip (lo, hi, exact, list_name, category) VALUES (NULL, NULL, ?, ?, ?)", rows
        )
    return len(rows)


__all__ = ["Ipv6Ranges", "add_ipv6_range_matches"]
