"""OS packages end to end on real distro data: a Debian 11 rootfs and an Alpine 3.11 image."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.inventory import catalog
from soryoku.vuln.plan import plan_upgrades
from soryoku.vuln.scanner import match_inventory

DEBIAN_STATUS = """\
Package: libssl1.1
Status: install ok installed
Source: openssl
Version: 1.1.1n-0+deb11u3

Package: openssl
Status: install ok installed
Version: 1.1.1n-0+deb11u5

Package: policykit-1
Status: install ok installed
Version: 0.105-31
"""

APK_INSTALLED = "P:libcrypto1.1\nV:1.1.1d-r2\no:openssl\n\nP:musl\nV:1.1.24-r0\no:musl\n"


def test_debian_rootfs_against_dsa_list(real_db: AdvisoryDB, tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "os-release").write_text('ID=debian\nVERSION_ID="11"\n')
    (tmp_path / "var" / "lib" / "dpkg").mkdir(parents=True)
    (tmp_path / "var" / "lib" / "dpkg" / "status").write_text(DEBIAN_STATUS)
    matches, gaps = match_inventory(real_db, catalog(tmp_path))
    assert gaps == []
    found = {(m.package.name, tuple(a.id for a in m.advisories), m.fixed, m.exploited) for m in matches}
    assert found == {
        ("libssl1.1", ("DSA-5343-1",), "1.1.1n-0+deb11u4", False),  # deb11u5 (openssl) is fixed: backport
        ("policykit-1", ("DSA-5059-1",), "0.105-31+deb11u1", True),  # PwnKit, in CISA KEV
    }
    # a DSA bundles vulnerabilities: one finding per CVE it fixes, each naming the DSA too
    libssl = sorted((m.primary_id, m.ids) for m in matches if m.package.name == "libssl1.1")
    assert [primary for primary, _ in libssl] == [
        "CVE-2022-2097",
        "CVE-2022-4304",
        "CVE-2022-4450",
        "CVE-2023-0215",
        "CVE-2023-0286",
    ]
    assert all(ids == (primary, "DSA-5343-1") for primary, ids in libssl)
    plan = {u.name: (u.target, u.command) for u in plan_upgrades(real_db, matches)}
    assert plan["policykit-1"] == ("0.105-31+deb11u1", "apt-get install --only-upgrade -y policykit-1")


def test_alpine_image_against_secdb(real_db: AdvisoryDB, tmp_path: Path) -> None:
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as tar:
        for name, text in {
            "etc/os-release": "ID=alpine\nVERSION_ID=3.11.6\n",
            "lib/apk/db/installed": APK_INSTALLED,
        }.items():
            info = tarfile.TarInfo(name)
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text.encode()))
    image = tmp_path / "alpine.tar"
    with tarfile.open(image, "w") as tar:
        for name, data in {
            "l1/layer.tar": layer.getvalue(),
            "manifest.json": json.dumps([{"Config": "c.json", "Layers": ["l1/layer.tar"]}]).encode(),
        }.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    matches, gaps = match_inventory(real_db, catalog(image))
    assert gaps == []
    assert {(m.package.name, m.primary_id, m.fixed) for m in matches} == {
        ("libcrypto1.1", "CVE-2019-1551", "1.1.1d-r3"),
    }
    assert matches[0].package.location == f"{image}:/lib/apk/db/installed"


def test_ssm_patch_document_accepted_by_ssm(real_db: AdvisoryDB, tmp_path: Path, aws: str) -> None:
    import boto3

    from soryoku.vuln.plan import ssm_document

    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "os-release").write_text('ID=debian\nVERSION_ID="11"\n')
    (tmp_path / "var" / "lib" / "dpkg").mkdir(parents=True)
    (tmp_path / "var" / "lib" / "dpkg" / "status").write_text(DEBIAN_STATUS)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "requirements.txt").write_text("requests==2.19.1\n")
    matches, _ = match_inventory(real_db, catalog(tmp_path))
    document = ssm_document(plan_upgrades(real_db, matches), "web-1")
    commands = document["mainSteps"][0]["inputs"]["runCommand"]  # type: ignore[index]
    assert commands[:2] == ["set -eu", "apt-get update"]
    assert "apt-get install --only-upgrade -y policykit-1" in commands
    assert any(c.startswith("# application dependency") and "requests==2.31.0" in c for c in commands)
    ssm = boto3.client("ssm")
    created = ssm.create_document(
        Content=json.dumps(document), Name="soryoku-patch-web-1", DocumentType="Command"
    )
    assert created["DocumentDescription"]["Status"] in {"Active", "Creating"}
