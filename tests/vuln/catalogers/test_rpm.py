"""rpm: a real SQLite rpmdb built with rpmbuild + rpm (skipped when they are absent)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from soryoku.core.errors import InputError
from soryoku.vuln.advisories.loaders import read_path
from soryoku.vuln.advisories.store import create_db
from soryoku.vuln.catalogers.base import FileContext
from soryoku.vuln.catalogers.rpm import parse_header, parse_rpmdb
from soryoku.vuln.inventory import catalog
from soryoku.vuln.scanner import match_inventory

SPEC = """\
Name: {name}
Version: {version}
Release: {release}
{epoch}
Summary: test package
License: MIT
BuildArch: noarch
%description
test package
%files
"""


def _rpmdb(root: Path) -> Path:
    """``root/var/lib/rpm/rpmdb.sqlite`` holding two packages, made by the real rpm tools."""
    if shutil.which("rpmbuild") is None or shutil.which("rpm") is None:
        pytest.skip("rpm/rpmbuild not installed (Debian package `rpm`, see .ci/apt-packages.txt)")
    top = root / "build"
    packages = []
    for name, version, release, epoch in (
        ("openssl-libs", "3.0.8", "1.el9", "Epoch: 1"),
        ("bash", "5.1.8", "6.el9", ""),
    ):
        spec = root / f"{name}.spec"
        spec.write_text(SPEC.format(name=name, version=version, release=release, epoch=epoch))
        subprocess.run(
            ["rpmbuild", "--define", f"_topdir {top}", "-bb", str(spec)], check=True, capture_output=True
        )
    packages = sorted(str(p) for p in top.rglob("*.rpm"))
    dbpath = root / "rootfs" / "var" / "lib" / "rpm"
    dbpath.mkdir(parents=True)
    subprocess.run(["rpm", "--dbpath", str(dbpath), "--initdb"], check=True, capture_output=True)
    subprocess.run(
        [
            "rpm",
            "--dbpath",
            str(dbpath),
            "-i",
            "--justdb",
            "--nodeps",
            "--ignorearch",
            "--ignoreos",
            *packages,
        ],
        check=True,
        capture_output=True,
    )
    return root / "rootfs"


def test_sqlite_rpmdb_cataloged_and_matched(tmp_path: Path) -> None:
    rootfs = _rpmdb(tmp_path)
    (rootfs / "etc").mkdir()
    (rootfs / "etc" / "os-release").write_text('ID="almalinux"\nVERSION_ID="9.3"\n')
    inventory = catalog(rootfs)
    assert inventory.gaps == ()
    found = {(p.name, p.version, p.ecosystem, p.release) for p in inventory.packages}
    assert found == {
        ("openssl-libs", "1:3.0.8-1.el9", "almalinux", "9"),
        ("bash", "5.1.8-6.el9", "almalinux", "9"),
    }
    openssl = next(p for p in inventory.packages if p.name == "openssl-libs")
    assert openssl.purl.startswith("pkg:rpm/almalinux/openssl-libs@3.0.8-1.el9?arch=noarch")
    assert "epoch=1" in openssl.purl

    record = {
        "id": "ALSA-2099:0001",
        "aliases": ["CVE-2099-7777"],
        "affected": [
            {
                "package": {"ecosystem": "AlmaLinux:9", "name": "openssl-libs"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:3.0.8-2.el9"}]}
                ],
            }
        ],
    }
    (tmp_path / "alsa.json").write_text(json.dumps(record))
    db = create_db(tmp_path / "v.db")
    db.import_items(read_path(tmp_path / "alsa.json"), "alsa")
    matches, gaps = match_inventory(db, inventory)
    assert gaps == []
    assert [(m.package.name, m.primary_id, m.fixed) for m in matches] == [
        ("openssl-libs", "CVE-2099-7777", "1:3.0.8-2.el9")
    ]


def test_berkeley_db_and_damaged_data_are_gaps(tmp_path: Path) -> None:
    (tmp_path / "var" / "lib" / "rpm").mkdir(parents=True)
    (tmp_path / "var" / "lib" / "rpm" / "Packages").write_bytes(b"\x00" * 64)
    (gap,) = catalog(tmp_path).gaps
    assert "Berkeley DB" in gap.reason and gap.checks == ("rpm",)
    with pytest.raises(InputError, match="not a readable SQLite rpm database"):
        parse_rpmdb(b"not sqlite", FileContext("var/lib/rpm/rpmdb.sqlite", "x"))
    with pytest.raises(ValueError, match="exceed"):
        parse_header(b"\x00\x00\x00\x05\x00\x00\x00\x10")
