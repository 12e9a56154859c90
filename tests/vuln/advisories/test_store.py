"""The advisory database: bulk import, replacement, withdrawal, lookups, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from soryoku.core.errors import InputError
from soryoku.vuln.advisories.loaders import read_path
from soryoku.vuln.advisories.store import AdvisoryDB, create_db, open_db


def _record(version_fixed: str, **extra: object) -> dict[str, object]:
    return {
        "id": "PYSEC-2099-7",
        "aliases": ["CVE-2099-7"],
        "modified": "2099-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"name": "Demo.Pkg", "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": version_fixed}]}],
            }
        ],
        **extra,
    }


def test_import_replace_and_withdraw(tmp_path: Path) -> None:
    db = create_db(tmp_path / "v.db")
    source = tmp_path / "a.json"
    source.write_text(json.dumps(_record("1.0")))
    stats = db.import_items(read_path(source), str(source))
    assert (stats.advisories, stats.withdrawn) == (1, 0)
    (found,) = db.for_package("pypi", "demo-pkg")
    assert found.advisory.aliases == ("CVE-2099-7",)
    assert found.affected.ranges[0]["events"][1] == {"fixed": "1.0"}

    source.write_text(json.dumps(_record("2.0")))
    db.import_items(read_path(source), str(source))
    (found,) = db.for_package("pypi", "demo-pkg")
    assert found.affected.ranges[0]["events"][1] == {"fixed": "2.0"}
    assert db.status().affected == 1

    source.write_text(json.dumps(_record("2.0", withdrawn="2099-02-02T00:00:00Z")))
    stats = db.import_items(read_path(source), str(source))
    assert stats.withdrawn == 1
    assert db.for_package("pypi", "demo-pkg") == []
    assert db.status().advisories == 0
    db.close()


def test_open_missing_db_says_how_to_create(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="vuln db import"):
        open_db(tmp_path / "none.db")


def test_real_data_counts(real_db: AdvisoryDB) -> None:
    status = real_db.status()
    # README of ../shared/vulndb: 2,661 PyPA records (10 withdrawn), 4,291 Go, 1,205 RustSec, 1,404 KEV
    assert status.ecosystems["pypi"] == 2651
    assert status.ecosystems["go"] + 17 == 4291
    assert status.ecosystems["crates.io"] + 13 == 1205
    assert status.kev == 1404
    assert status.ecosystems["debian"] > 8000 and status.ecosystems["alpine"] > 10000
    assert {s.path for s in status.sources} == {
        "pypa",
        "golang",
        "rustsec",
        "kev",
        "debian-security-tracker",
        "alpine-secdb",
    }
    assert "CVE-2021-44228" in real_db.exploited()  # Log4Shell is in every KEV catalog
