"""``soryoku vuln`` end to end through ``soryoku.cli.app.main``: db import/status, scan, sbom, plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from soryoku.cli.app import main

RECORDS = [
    {  # two ids of one vulnerability, split over two records: one finding
        "id": "PYSEC-2099-1",
        "aliases": ["CVE-2099-1001"],
        "summary": "remote code execution in demo-lib",
        "affected": [
            {
                "package": {"name": "demo-lib", "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.5"}]}],
            }
        ],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N"}],
    },
    {
        "id": "GHSA-demo-demo-demo",
        "aliases": ["CVE-2099-1001"],
        "affected": [
            {
                "package": {"name": "Demo_Lib", "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "1.5"}]}],
            }
        ],
    },
    {  # a critical one with a later fix
        "id": "PYSEC-2099-2",
        "aliases": ["CVE-2099-1002"],
        "affected": [
            {
                "package": {"name": "demo-lib", "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "2.0.1"}]}],
            }
        ],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    },
    {  # no fix yet
        "id": "PYSEC-2099-3",
        "affected": [
            {
                "package": {"name": "other-lib", "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
            }
        ],
    },
]
KEV = {"catalogVersion": "x", "vulnerabilities": [{"cveID": "CVE-2099-1001", "dateAdded": "2099-01-02"}]}


def _invoke(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    raise AssertionError("main() returned without exiting")


@pytest.fixture
def setup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """An imported advisory database and a project folder with a pinned requirements file."""
    data = tmp_path / "osv"
    data.mkdir()
    for record in RECORDS:
        (data / f"{record['id']}.json").write_text(json.dumps(record))
    (tmp_path / "kev.json").write_text(json.dumps(KEV))
    database = tmp_path / "vuln.db"
    assert (
        _invoke(["vuln", "db", "import", str(data), str(tmp_path / "kev.json"), "--vuln-db", str(database)])
        == 0
    )
    assert "4 advisories" in capsys.readouterr().err
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("demo-lib==1.2\nother-lib==0.1\nclean-lib==1.0\n")
    return database, project


def test_scan_findings_merged_and_sorted(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    database, project = setup
    code = _invoke(["vuln", str(project), "--vuln-db", str(database), "-f", "json-ocsf", "--fail-on", "high"])
    assert code == 1
    findings = json.loads(capsys.readouterr().out)
    ids = [f["finding_info"]["analytic"]["uid"] for f in findings]
    assert ids == ["CVE-2099-1001", "CVE-2099-1002", "PYSEC-2099-3"]  # KEV first, then severity
    first = findings[0]
    assert first["unmapped"]["ids"] == ["CVE-2099-1001", "GHSA-demo-demo-demo", "PYSEC-2099-1"]
    assert first["vulnerabilities"][0]["is_exploit_available"] is True
    package = first["vulnerabilities"][0]["affected_packages"][0]
    assert (package["name"], package["fixed_in_version"], package["purl"]) == (
        "demo-lib",
        "1.5",
        "pkg:pypi/demo-lib@1.2",
    )
    assert findings[1]["severity"] == "Critical"
    assert findings[2]["vulnerabilities"][0]["fix_available"] is False


def test_ignore_unfixed_and_ignore_file(
    setup: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, project = setup
    ignore = tmp_path / "ignore.yaml"
    ignore.write_text(
        "ignore:\n  - id: GHSA-demo-demo-demo\n    package: demo-lib\n    reason: not reachable\n"
    )
    args = ["vuln", "scan", str(project), "--vuln-db", str(database), "-f", "json-ocsf", "--no-store"]
    assert _invoke([*args, "--ignore-unfixed", "--ignore-file", str(ignore), "--fail-on", "critical"]) == 1
    findings = json.loads(capsys.readouterr().out)
    assert [f["finding_info"]["analytic"]["uid"] for f in findings] == ["CVE-2099-1001", "CVE-2099-1002"]
    assert findings[0]["status_id"] == 3  # suppressed, with the reason, not dropped
    assert findings[0]["unmapped"]["suppression"]["reason"] == "not reachable"

    expired = tmp_path / "expired.yaml"
    expired.write_text("ignore:\n  - {id: CVE-2099-1001, reason: old, expires: 2000-01-01}\n")
    assert _invoke([*args, "--ignore-file", str(expired)]) == 0
    assert all(f["status_id"] != 3 for f in json.loads(capsys.readouterr().out))

    bad = tmp_path / "bad.yaml"
    bad.write_text("ignore:\n  - {id: CVE-1}\n")
    assert _invoke([*args, "--ignore-file", str(bad)]) == 2
    assert "reason" in capsys.readouterr().err


def test_cyclonedx_output_and_sbom(
    setup: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, project = setup
    out = tmp_path / "report.cdx.json"
    args = ["vuln", str(project), "--vuln-db", str(database), "--no-store", "-q"]
    assert _invoke([*args, "-f", "cyclonedx", "-o", str(out)]) == 0
    document = json.loads(out.read_text())
    assert (document["bomFormat"], document["specVersion"]) == ("CycloneDX", "1.6")
    assert {v["id"] for v in document["vulnerabilities"]} == {
        "CVE-2099-1001",
        "CVE-2099-1002",
        "PYSEC-2099-3",
    }
    refs = {c["bom-ref"] for c in document["components"]}
    assert all(a["ref"] in refs for v in document["vulnerabilities"] for a in v["affects"])

    assert _invoke(["vuln", "sbom", str(project)]) == 0  # the inventory alone needs no database
    sbom = json.loads(capsys.readouterr().out)
    assert sorted(c["purl"] for c in sbom["components"]) == [
        "pkg:pypi/clean-lib@1.0",
        "pkg:pypi/demo-lib@1.2",
        "pkg:pypi/other-lib@0.1",
    ]
    assert "vulnerabilities" not in sbom
    assert _invoke(["vuln", "sbom", str(project), "-f", "spdx"]) == 0
    spdx = json.loads(capsys.readouterr().out)
    assert spdx["spdxVersion"] == "SPDX-2.3" and len(spdx["packages"]) == 3
    assert _invoke(["vuln", "sbom", str(project), "-f", "spdx", "--with-vulnerabilities"]) == 2


def test_plan(setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    database, project = setup
    assert _invoke(["vuln", "plan", str(project), "--vuln-db", str(database), "-f", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    by_name = {u["package"]: u for u in plan["upgrades"]}
    assert by_name["demo-lib"]["target"] == "2.0.1"  # the lowest version fixing both findings
    assert by_name["demo-lib"]["command"] == "pip install 'demo-lib==2.0.1'"
    assert by_name["other-lib"]["target"] is None and by_name["other-lib"]["unfixed"] == ["PYSEC-2099-3"]
    assert _invoke(["vuln", "plan", str(project), "--vuln-db", str(database), "-f", "shell"]) == 0
    assert "pip install 'demo-lib==2.0.1'" in capsys.readouterr().out


def test_db_status_and_errors(
    setup: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, project = setup
    assert _invoke(["vuln", "db", "status", "--vuln-db", str(database), "-f", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["advisories"], status["kev"], status["ecosystems"]) == (4, 1, {"pypi": 4})
    assert _invoke(["vuln", str(project), "--vuln-db", str(tmp_path / "none.db")]) == 2
    assert "vuln db import" in capsys.readouterr().err
    assert _invoke(["vuln", str(project), "--vuln-db", str(database), "-f", "nosuch"]) == 2
    assert _invoke(["vuln", str(tmp_path / "absent"), "--vuln-db", str(database)]) == 2
