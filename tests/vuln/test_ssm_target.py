"""ec2:INSTANCE_ID — the SSM collection script run for real on this machine, recorded outputs
parsed, and the SSM API flow against moto (whose Run Command runs nothing)."""

from __future__ import annotations

import base64
import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from soryoku.core.errors import InputError
from soryoku.vuln.advisories.loaders import read_path
from soryoku.vuln.advisories.store import AdvisoryDB, create_db
from soryoku.vuln.ssm_target import COLLECT_SCRIPT, collect, decode_output, parse_collected, scan_instance

RECORDED_AL2023 = """\
### soryoku:os-release
NAME="Amazon Linux"
VERSION="2023"
ID="amzn"
VERSION_ID="2023"
### soryoku:rpm
openssl-libs\t1\t3.0.8\t1.amzn2023.0.3\tx86_64\topenssl-3.0.8-1.amzn2023.0.3.src.rpm
gpg-pubkey\t0\td832f1f2\t5e6a5b34\t(none)\t(none)
bash\t0\t5.2.15\t1.amzn2023.0.2\tx86_64\tbash-5.2.15-1.amzn2023.0.2.src.rpm
"""

RECORDED_DEBIAN = """\
### soryoku:os-release
ID=debian
VERSION_ID="11"
### soryoku:dpkg
Package: libssl1.1
Status: install ok installed
Source: openssl
Version: 1.1.1n-0+deb11u3
Architecture: amd64

Package: policykit-1
Status: install ok installed
Source:
Version: 0.105-31
Architecture: amd64

"""


def _encoded(text: str) -> str:
    return base64.b64encode(gzip.compress(text.encode())).decode()


def test_recorded_rpm_output() -> None:
    inventory = parse_collected(RECORDED_AL2023, "ec2:i-0abc")
    assert inventory.gaps == ()
    assert [(p.name, p.version, p.ecosystem, p.release) for p in inventory.packages] == [
        ("openssl-libs", "1:3.0.8-1.amzn2023.0.3", "amazon linux", "2023"),
        ("bash", "5.2.15-1.amzn2023.0.2", "amazon linux", "2023"),
    ]


def test_recorded_dpkg_output_scanned(tmp_path: Path) -> None:
    db = create_db(tmp_path / "v.db")
    listing = tmp_path / "DSA" / "list"
    listing.parent.mkdir()
    listing.write_text(
        "[25 Jan 2022] DSA-5059-1 policykit-1 - security update\n"
        "\t{CVE-2021-4034}\n\t[bullseye] - policykit-1 0.105-31+deb11u1\n"
    )
    db.import_items(read_path(listing), "dsa")
    result = scan_instance(db, "ec2:i-0abc", run=lambda instance: _encoded(RECORDED_DEBIAN))
    assert result.gaps == []
    (finding,) = result.findings
    assert (finding.check_id, finding.resources[0].uid) == ("CVE-2021-4034", "i-0abc")
    assert finding.vulnerabilities and finding.vulnerabilities[0].affected_packages
    assert finding.vulnerabilities[0].affected_packages[0].path == "ec2:i-0abc:/var/lib/dpkg/status"


def test_collection_script_on_this_machine() -> None:
    if not all(shutil.which(tool) for tool in ("sh", "gzip", "base64", "dpkg-query")):
        pytest.skip("needs sh, gzip, base64 and dpkg-query (a Debian-family machine)")
    done = subprocess.run(
        ["sh", "-c", COLLECT_SCRIPT], capture_output=True, text=True, check=True, timeout=60
    )
    assert len(done.stdout) < 24_000  # what SSM returns inline
    inventory = parse_collected(decode_output(done.stdout, "local"), "local")
    assert inventory.distro is not None and inventory.distro.id == "debian"
    names = {p.name for p in inventory.packages}
    assert {"dpkg", "libc6", "bash"} <= names
    listed = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\\n"], capture_output=True, text=True, check=True
    )
    assert len(inventory.packages) == len([line for line in listed.stdout.splitlines() if line])


def test_bad_outputs() -> None:
    with pytest.raises(InputError, match="printed nothing"):
        decode_output("  ", "ec2:i-1")
    with pytest.raises(InputError, match="truncated"):
        decode_output("H4sI--output truncated--", "ec2:i-1")
    with pytest.raises(InputError, match="expected encoding"):
        decode_output("not base64!", "ec2:i-1")
    (gap,) = parse_collected("### soryoku:os-release\nID=debian\n", "ec2:i-1").gaps
    assert "no dpkg, apk or rpm" in gap.reason


def test_ssm_flow_against_moto(aws: str, tmp_path: Path) -> None:
    instance = "i-0123456789abcdef0"  # moto's Run Command does not look the instance up
    db: AdvisoryDB = create_db(tmp_path / "v.db")
    result = scan_instance(db, f"ec2:{instance}", run=lambda i: collect(i, sleep=lambda seconds: None))
    # moto accepts the command and reports Success, but runs nothing: an honest gap, not "clean"
    (gap,) = result.gaps
    assert result.findings == [] and "printed nothing" in gap.reason
    with pytest.raises(InputError, match="expected ec2:i-"):
        scan_instance(db, "ec2:web-1")
