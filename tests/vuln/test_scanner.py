"""Scanner: alias merging, fixed versions, KEV-first order, gaps for what cannot be evaluated."""

from __future__ import annotations

import json
from pathlib import Path

from soryoku.core.severity import Severity
from soryoku.vuln.advisories.loaders import read_path
from soryoku.vuln.advisories.store import AdvisoryDB, create_db
from soryoku.vuln.catalogers.base import Package
from soryoku.vuln.inventory import Inventory
from soryoku.vuln.scanner import match_inventory, scan_inventory


def _record(rid: str, aliases: list[str], name: str, fixed: str, **extra: object) -> dict[str, object]:
    return {
        "id": rid,
        "aliases": aliases,
        "affected": [
            {
                "package": {"name": name, "ecosystem": extra.pop("ecosystem", "PyPI")},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
            }
        ],
        **extra,
    }


def _db(tmp_path: Path, records: list[dict[str, object]], kev: list[str] = ()) -> AdvisoryDB:  # type: ignore[assignment]
    folder = tmp_path / "osv"
    folder.mkdir()
    for record in records:
        (folder / f"{record['id']}.json").write_text(json.dumps(record))
    (folder / "kev.json").write_text(json.dumps({"vulnerabilities": [{"cveID": c} for c in kev]}))
    db = create_db(tmp_path / "v.db")
    db.import_items(read_path(folder), "test")
    return db


def _package(name: str, version: str, ecosystem: str = "pypi", release: str = "") -> Package:
    return Package(name, version, ecosystem, f"pkg:x/{name}@{version}", f"/srv/{name}", release=release)


def _inventory(*packages: Package) -> Inventory:
    return Inventory("/srv", "directory", None, packages)


CRITICAL = [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]
LOW = [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"}]


def test_alias_chain_is_one_vulnerability(tmp_path: Path) -> None:
    # A aliases B's CVE, B aliases C's GHSA: all three are one vulnerability
    db = _db(
        tmp_path,
        [
            _record("PYSEC-1", ["CVE-2001-1"], "lib", "1.2", severity=LOW),
            _record("GHSA-x", ["CVE-2001-1", "GHSA-y"], "lib", "1.3", severity=CRITICAL),
            _record("OSV-z", ["GHSA-y"], "lib", "1.1"),
        ],
    )
    (item,) = match_inventory(db, _inventory(_package("lib", "1.0")))[0]
    assert item.primary_id == "CVE-2001-1"
    assert item.ids == ("CVE-2001-1", "GHSA-x", "GHSA-y", "OSV-z", "PYSEC-1")
    assert item.fixed == "1.3"  # fixes every record of the vulnerability
    assert item.severity is Severity.CRITICAL


def test_kev_first_then_severity(tmp_path: Path) -> None:
    db = _db(
        tmp_path,
        [
            _record("PYSEC-1", ["CVE-2001-1"], "lib", "2.0", severity=CRITICAL),
            _record("PYSEC-2", ["CVE-2001-2"], "lib", "2.0", severity=LOW),
            _record("PYSEC-3", [], "other", "2.0"),
        ],
        kev=["CVE-2001-2"],
    )
    result = scan_inventory(db, _inventory(_package("lib", "1.0"), _package("other", "1.0")))
    assert [f.check_id for f in result.findings] == ["CVE-2001-2", "CVE-2001-1", "PYSEC-3"]
    exploited = result.findings[0]
    assert exploited.vulnerabilities and exploited.vulnerabilities[0].is_exploit_available
    assert exploited.unmapped and exploited.unmapped["kev"]["cve"] == "CVE-2001-2"
    assert result.findings[1].vulnerabilities[0].cve.cvss[0]["base_score"] == 9.8  # type: ignore[index,union-attr]


def test_epss_orders_after_kev_before_severity(tmp_path: Path) -> None:
    db = _db(
        tmp_path,
        [
            _record("PYSEC-1", ["CVE-2001-1"], "lib", "2.0", severity=CRITICAL),
            _record("PYSEC-2", ["CVE-2001-2"], "lib", "2.0", severity=LOW),
            _record("PYSEC-3", ["CVE-2001-3"], "lib", "2.0"),
        ],
        kev=["CVE-2001-3"],
    )
    (tmp_path / "epss.csv").write_text("cve,epss,percentile\nCVE-2001-2,0.91,0.99\nCVE-2001-1,0.01,0.20\n")
    db.import_items(read_path(tmp_path / "epss.csv"), "epss")
    result = scan_inventory(db, _inventory(_package("lib", "1.0")))
    # KEV first; then the likely-exploited low over the unlikely critical
    assert [f.check_id for f in result.findings] == ["CVE-2001-3", "CVE-2001-2", "CVE-2001-1"]
    cve = result.findings[1].vulnerabilities[0].cve  # type: ignore[index]
    assert cve is not None and cve.epss == {"score": "0.91000", "percentile": 0.99}
    assert db.status().epss == 2


def test_gaps_for_uncovered_ecosystems_and_unorderable_versions(tmp_path: Path) -> None:
    db = _db(tmp_path, [_record("PYSEC-1", [], "lib", "2.0")])
    matches, gaps = match_inventory(
        db,
        _inventory(
            _package("lib", "not a version!"),
            _package("left-pad", "1.0.0", "npm"),
            _package("openssl", "3.0.11-1~deb12u1", "debian", "12"),
        ),
    )
    assert matches == []
    reasons = sorted(g.reason for g in gaps)
    assert "lib not a version!: PYSEC-1 not evaluated" in reasons[2]
    assert reasons[0].startswith("1 debian 12 package(s) not evaluated")
    assert reasons[1].startswith("1 npm package(s) not evaluated")


def test_distro_release_selects_advisories(tmp_path: Path) -> None:
    db = _db(
        tmp_path,
        [
            _record("DSA-1", ["CVE-2001-9"], "openssl", "1.1.1n-0+deb11u4", ecosystem="Debian:11"),
            _record("DSA-2", ["CVE-2001-9"], "openssl", "1.1.1n-0+deb10u4", ecosystem="Debian:10"),
        ],
    )
    (item,) = match_inventory(db, _inventory(_package("openssl", "1.1.1n-0+deb11u3", "debian", "11")))[0]
    assert (item.fixed, [a.id for a in item.advisories]) == ("1.1.1n-0+deb11u4", ["DSA-1"])
    assert match_inventory(db, _inventory(_package("openssl", "1.1.1n-0+deb11u4", "debian", "11")))[0] == []
