"""Precision and recall on real data: pinned requirement sets over every PyPA advisory.

The oracle below is written apart from soryoku's matcher: it reads the PyPA YAML itself, builds
half-open intervals from each ECOSYSTEM range with ``packaging`` alone, and adds the record's
explicit ``versions``. The scanner (catalog the requirement files, then match) must report exactly
the (package, version, advisory) triples the oracle finds, no more and no fewer. A second check
holds the scanner to the ``versions`` lists alone: every listed release is found (recall 100 %).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.utils import canonicalize_version
from packaging.version import InvalidVersion, Version

from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.inventory import catalog
from soryoku.vuln.scanner import match_inventory

Triple = tuple[str, str, str]
# scalars stay strings (unquoted 1.10 is a version, not a float); the C loader when available
_LOADER: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _intervals(events: list[dict[str, str]]) -> list[tuple[Version | None, Version | None, bool]]:
    """(start, end, end_inclusive) spans; start None = from the beginning, end None = open."""
    points: list[tuple[Version | None, int, str]] = []
    for event in events:
        for kind, text in event.items():
            if kind == "introduced":
                points.append((None if text == "0" else _version(text), 0, kind))
            elif kind in {"fixed", "last_affected"}:
                points.append((_version(text), 1, kind))
    if any(p[0] is None and p[2] != "introduced" for p in points):
        return []
    points.sort(key=lambda p: (p[0] is not None, p[0] or Version("0"), p[1]))
    spans: list[tuple[Version | None, Version | None, bool]] = []
    start: Version | None = None
    open_span = False
    for version, _, kind in points:
        if kind == "introduced" and not open_span:
            start, open_span = version, True
        elif kind != "introduced" and open_span:
            spans.append((start, version, kind == "last_affected"))
            open_span = False
    if open_span:
        spans.append((start, None, False))
    return spans


def _in_span(version: Version, span: tuple[Version | None, Version | None, bool]) -> bool:
    start, end, inclusive = span
    if start is not None and version < start:
        return False
    if end is None:
        return True
    return version <= end if inclusive else version < end


def _pypa(root: Path) -> tuple[list[tuple[str, str, dict[str, Any]]], dict[str, set[str]]]:
    records: list[tuple[str, str, dict[str, Any]]] = []
    pins: dict[str, set[str]] = defaultdict(set)
    for file in sorted(root.rglob("*.yaml")):
        record = yaml.load(file.read_text(encoding="utf-8"), Loader=_LOADER)
        if record.get("withdrawn"):
            continue
        for affected in record.get("affected", []):
            name = _name(affected["package"]["name"])
            records.append((record["id"], name, affected))
            pins[name].update(affected.get("versions", []))
            for spec in affected.get("ranges", []):
                if spec["type"] == "ECOSYSTEM":
                    pins[name].update(v for e in spec["events"] for v in e.values() if v != "0")
    return records, pins


def _oracle(records: list[tuple[str, str, dict[str, Any]]], pins: dict[str, set[str]]) -> set[Triple]:
    found: set[Triple] = set()
    for record_id, name, affected in records:
        listed = set(affected.get("versions", []))
        spans = [
            s for r in affected.get("ranges", []) if r["type"] == "ECOSYSTEM" for s in _intervals(r["events"])
        ]
        for pin in pins[name]:
            version = _version(pin)
            if pin in listed or (version is not None and any(_in_span(version, s) for s in spans)):
                found.add((name, pin, record_id))
    return found


@pytest.mark.slow
def test_scanner_agrees_exactly_with_independent_oracle(
    real_db: AdvisoryDB, shared_vulndb: Path, tmp_path: Path
) -> None:
    records, pins = _pypa(shared_vulndb / "pypa" / "vulns")
    # Pinned requirement sets: file k pins the k-th candidate version of every package.
    ordered = {name: sorted(versions) for name, versions in pins.items()}
    rounds = max(len(v) for v in ordered.values())
    for k in range(rounds):
        lines = [f"{name}=={versions[k]}" for name, versions in ordered.items() if k < len(versions)]
        (tmp_path / f"requirements-{k:04d}.txt").write_text("\n".join(lines) + "\n")
    inventory = catalog(tmp_path)
    # a few PyPA "versions" are timestamps with a colon, which no requirements pin can spell
    pinnable = [v for versions in ordered.values() for v in versions if re.fullmatch(r"[\w.!+-]+", v)]
    assert len(inventory.packages) == len(pinnable)

    matches, _gaps = match_inventory(real_db, inventory)
    scanned = {(m.package.match_name, m.package.version, a.id) for m in matches for a in m.advisories}
    cataloged = {(p.match_name, p.version) for p in inventory.packages}
    expected = {t for t in _oracle(records, pins) if (t[0], t[1]) in cataloged}

    assert len(expected) > 40_000
    assert scanned - expected == set()  # precision: nothing the oracle does not find
    assert expected - scanned == set()  # recall: everything it finds

    listed: set[Triple] = set()
    for record_id, name, affected in records:
        releases = {canonicalize_version(v) for v in affected.get("versions", [])}
        listed.update(
            (name, pin, record_id)
            for pin in pins[name]
            if (name, pin) in cataloged and canonicalize_version(pin) in releases
        )
    assert listed - scanned == set()  # every release a record lists is reported
