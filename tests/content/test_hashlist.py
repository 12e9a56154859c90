"""Hash lists: plain, sha256sum-style and MalwareBazaar CSV; matching by the hashes of the data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from soryoku.content.engines.base import ScanTarget
from soryoku.content.engines.hashlist import HashListEngine
from soryoku.content.samples import EICAR
from soryoku.content.spool import Blob
from soryoku.core.errors import ConfigError

SHA256 = hashlib.sha256(EICAR).hexdigest()
SHA1 = hashlib.sha1(EICAR).hexdigest()
MD5 = hashlib.md5(EICAR).hexdigest()

_COLUMNS = (
    '"first_seen_utc","sha256_hash","md5_hash","sha1_hash","reporter","file_name","file_type_guess",'
    '"mime_type","signature","clamav","vtpercent","imphash","ssdeep","tlsh"'
)
_ROW1 = (
    f'"2024-01-01 00:00:01", "{SHA256}", "{MD5}", "{SHA1}", "abuse_ch", "eicar.com", "com", "text/plain", '
    '"EICAR-Test", "n/a", "n/a", "n/a", "3:a+JraNvsgzsVqSwHq9:tJuOgzsko", "n/a"'
)
_ROW2 = (
    f'"2024-01-01 00:00:02", "{"a" * 64}", "{"b" * 32}", "{"c" * 40}", "abuse_ch", "x.exe", "exe", '
    '"application/x-dosexec", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"'
)
BAZAAR = "\n".join(
    [
        "#" * 64,
        "# MalwareBazaar full data dump (CSV)",
        "#" * 64,
        "#",
        f"# {_COLUMNS}",
        _ROW1,
        _ROW2,
        "",
    ]
)


def _target(data: bytes) -> ScanTarget:
    hashes = {name: hashlib.new(name, data).hexdigest() for name in ("sha256", "sha1", "md5")}
    return ScanTarget(Blob(size=len(data), data=data, hashes=hashes), "f", "f", "", "text")


def test_malwarebazaar_csv_gives_signature_names(tmp_path: Path) -> None:
    path = tmp_path / "full.csv"
    path.write_text(BAZAAR)
    engine = HashListEngine.from_files([path])
    assert sum(len(t) for t in engine.entries.values()) == 6
    matches = engine.scan(_target(EICAR))
    assert {(m.rule, dict(m.meta)["algorithm"]) for m in matches} == {
        ("EICAR-Test", "sha256"),
        ("EICAR-Test", "sha1"),
        ("EICAR-Test", "md5"),
    }
    assert engine.hash_names == frozenset({"sha256", "sha1", "md5"})
    assert engine.scan(_target(b"clean")) == []


def test_plain_and_sha256sum_lists(tmp_path: Path) -> None:
    plain = tmp_path / "bad.txt"
    plain.write_text(f"# my list\n{SHA256.upper()}\n\n")
    summed = tmp_path / "sums.txt"
    summed.write_text(f"{MD5}  eicar.com\n")
    engine = HashListEngine.from_files([plain, summed])
    rules = sorted((m.rule, dict(m.meta)["algorithm"]) for m in engine.scan(_target(EICAR)))
    assert rules == [("bad.txt", "sha256"), ("sums.txt", "md5")]
    assert engine.hash_names == frozenset({"sha256", "md5"})


def test_list_without_hashes_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("not a hash\n")
    with pytest.raises(ConfigError, match=r"empty\.txt.*no SHA-256"):
        HashListEngine.from_files([path])
    with pytest.raises(ConfigError, match="cannot read"):
        HashListEngine.from_files([tmp_path / "missing.txt"])


def test_zipped_and_gzipped_exports(tmp_path: Path) -> None:
    import gzip
    import zipfile

    zipped = tmp_path / "full.csv.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("full.csv", BAZAAR)
    gzipped = tmp_path / "recent.txt.gz"
    gzipped.write_bytes(gzip.compress(f"{MD5}\n".encode()))
    engine = HashListEngine.from_files([zipped, gzipped])
    assert {(m.rule, dict(m.meta)["algorithm"]) for m in engine.scan(_target(EICAR))} == {
        ("EICAR-Test", "sha256"),
        ("EICAR-Test", "sha1"),
        ("recent.txt.gz", "md5"),
    }
