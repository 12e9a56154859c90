"""Reading OSV JSON/YAML, zip archives, RustSec Markdown and the KEV catalog."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from soryoku.core.errors import InputError
from soryoku.core.severity import Severity
from soryoku.vuln.advisories.loaders import KevEntry, Skipped, read_path
from soryoku.vuln.advisories.records import Advisory, Withdrawn

PYPA_YAML = """\
id: PYSEC-2099-1
aliases:
- CVE-2099-0001
- GHSA-aaaa-bbbb-cccc
details: a test advisory
affected:
- package:
    name: Some_Package
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: 1.10
    - fixed: 1.20
  versions:
  - 1.10
  - 1.11
severity:
- type: CVSS_V3
  score: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
modified: 2024-01-01T00:00:00Z
"""

GO_JSON = {
    "id": "GO-2099-0001",
    "aliases": ["CVE-2099-0002"],
    "summary": "go thing",
    "affected": [
        {
            "package": {"name": "example.com/mod", "ecosystem": "Go"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}],
        }
    ],
    "severity": [
        {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"}
    ],
}

RUSTSEC_MD = """\
```toml
[advisory]
id = "RUSTSEC-2099-0001"
package = "some-crate"
date = "2099-01-01"
aliases = ["CVE-2099-0003"]
cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"

[versions]
patched = [">= 1.2.0"]
unaffected = ["< 0.5.0"]
```

# Crash on input

Body text.
"""


def _one(path: Path) -> Advisory:
    items = list(read_path(path))
    assert len(items) == 1
    assert isinstance(items[0], Advisory)
    return items[0]


def test_pypa_yaml_keeps_versions_as_strings(tmp_path: Path) -> None:
    file = tmp_path / "PYSEC-2099-1.yaml"
    file.write_text(PYPA_YAML)
    advisory = _one(file)
    assert advisory.aliases == ("CVE-2099-0001", "GHSA-aaaa-bbbb-cccc")
    (affected,) = advisory.affected
    assert affected.name == "some-package"  # PEP 503 normalised
    assert affected.versions == ("1.10", "1.11")  # not the float 1.1
    assert affected.ranges[0]["events"] == [{"introduced": "1.10"}, {"fixed": "1.20"}]
    assert advisory.severity is Severity.CRITICAL
    assert advisory.rating.score == 9.8


def test_osv_json_with_cvss_v4(tmp_path: Path) -> None:
    file = tmp_path / "GO-2099-0001.json"
    file.write_text(json.dumps(GO_JSON))
    advisory = _one(file)
    assert advisory.affected[0].ecosystem == "go"
    assert advisory.rating.vector is not None and advisory.rating.vector.startswith("CVSS:4.0")
    assert advisory.severity is Severity.MEDIUM


def test_zip_archive_and_withdrawn(tmp_path: Path) -> None:
    archive = tmp_path / "all.zip"
    withdrawn = dict(GO_JSON, id="GO-2099-0002", withdrawn="2099-02-01T00:00:00Z")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("GO-2099-0001.json", json.dumps(GO_JSON))
        zf.writestr("GO-2099-0002.json", json.dumps(withdrawn))
        zf.writestr("README.txt", "not an advisory")
    items = list(read_path(archive))
    assert [type(i) for i in items] == [Advisory, Withdrawn, Skipped]
    assert isinstance(items[1], Withdrawn) and items[1].id == "GO-2099-0002"


def test_rustsec_markdown(tmp_path: Path) -> None:
    file = tmp_path / "RUSTSEC-2099-0001.md"
    file.write_text(RUSTSEC_MD)
    advisory = _one(file)
    assert advisory.summary == "Crash on input"
    assert advisory.affected[0].ranges[0] == {
        "type": "RUSTSEC",
        "patched": [">= 1.2.0"],
        "unaffected": ["< 0.5.0"],
    }
    assert advisory.severity is Severity.HIGH


def test_kev_catalog(tmp_path: Path) -> None:
    file = tmp_path / "kev.json"
    file.write_text(
        json.dumps({"catalogVersion": "x", "vulnerabilities": [{"cveID": "CVE-2099-0001", "dateAdded": "d"}]})
    )
    assert list(read_path(file)) == [KevEntry("CVE-2099-0001", "d", "", "", "")]


def test_bad_input_names_the_file(tmp_path: Path) -> None:
    file = tmp_path / "broken.json"
    file.write_text("{not json")
    with pytest.raises(InputError, match=r"broken\.json"):
        list(read_path(file))
    with pytest.raises(InputError, match="no such file"):
        list(read_path(tmp_path / "absent"))


def test_real_pypa_tree_reads_every_file(shared_dir: Path) -> None:
    flask = shared_dir / "vulndb" / "pypa" / "vulns" / "flask"
    items = list(read_path(flask))
    assert items and all(isinstance(i, Advisory) for i in items)
    assert {i.id for i in items if isinstance(i, Advisory)} >= {"PYSEC-2023-62"}


def test_debian_tracker_list(tmp_path: Path) -> None:
    listing = tmp_path / "DSA" / "list"
    listing.parent.mkdir()
    listing.write_text(
        "[07 Feb 2023] DSA-5343-1 openssl - security update\n"
        "\t{CVE-2022-2097 CVE-2022-4304}\n"
        "\t[bullseye] - openssl 1.1.1n-0+deb11u4\n"
        "\t[buster] - openssl <not-affected> (vulnerable code not present)\n"
        "[06 Feb 2023] DSA-5342-1 nothing - regression note only\n"
        "\tNOTE: no fixed version\n"
    )
    (advisory,) = list(read_path(tmp_path))
    assert isinstance(advisory, Advisory)
    assert (advisory.id, advisory.aliases) == ("DSA-5343-1", ("CVE-2022-2097", "CVE-2022-4304"))
    (affected,) = advisory.affected
    assert (affected.ecosystem, affected.release, affected.name) == ("debian", "11", "openssl")
    assert affected.ranges[0]["events"] == [{"introduced": "0"}, {"fixed": "1.1.1n-0+deb11u4"}]


def test_real_debian_tracker_lists(shared_dir: Path) -> None:
    items = list(read_path(shared_dir / "vulndb" / "debian-security-tracker"))
    advisories = {i.id: i for i in items if isinstance(i, Advisory)}
    assert len(advisories) > 8000
    pwnkit = advisories["DSA-5059-1"]
    assert "CVE-2021-4034" in pwnkit.aliases
    assert {(a.release, a.name) for a in pwnkit.affected} >= {("11", "policykit-1"), ("10", "policykit-1")}


def test_alpine_secdb(tmp_path: Path) -> None:
    (tmp_path / "main.yaml").write_text(
        "distroversion: v3.11\nreponame: main\npackages:\n"
        "  - pkg:\n      name: openssl\n      secfixes:\n"
        "        1.1.1d-r3:\n          - CVE-2019-1551\n        0:\n          - CVE-2000-0001\n"
    )
    (advisory,) = list(read_path(tmp_path))
    assert isinstance(advisory, Advisory)
    assert (advisory.id, advisory.aliases) == ("ALPINE-v3.11-CVE-2019-1551", ("CVE-2019-1551",))
    (affected,) = advisory.affected
    assert (affected.ecosystem, affected.release, affected.name) == ("alpine", "v3.11", "openssl")
    assert affected.ranges[0]["events"][1] == {"fixed": "1.1.1d-r3"}


def test_epss_csv_plain_and_gzip(tmp_path: Path) -> None:
    import gzip

    from soryoku.vuln.advisories.loaders import EpssScore

    text = (
        "#model_version:v2023.03.01,score_date:2024-10-10T00:00:00+0000\n"
        "cve,epss,percentile\nCVE-2099-1,0.97,0.999\n"
    )
    (tmp_path / "epss.csv").write_text(text)
    (tmp_path / "epss_scores-2024-10-10.csv.gz").write_bytes(gzip.compress(text.encode()))
    assert list(read_path(tmp_path)) == [EpssScore("CVE-2099-1", 0.97, 0.999)] * 2
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not an EPSS CSV"):
        list(read_path(tmp_path / "bad.csv"))
