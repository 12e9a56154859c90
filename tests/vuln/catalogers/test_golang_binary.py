"""Go binaries: build info decoded from a constructed blob and from a real Go binary on this machine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from soryoku.core.errors import InputError
from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.catalogers.base import CATALOGERS, FileContext
from soryoku.vuln.catalogers.golang_binary import MAGIC, parse_go_binary
from soryoku.vuln.inventory import catalog
from soryoku.vuln.scanner import match_inventory

SENTINEL_START = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6"
SENTINEL_END = b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2"
CTX = FileContext("var/task/bootstrap", "/pkg!/bootstrap")


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _binary(version: str, modules: str, flags: int = 2) -> bytes:
    header = MAGIC + bytes([8, flags])
    header += bytes(32 - len(header))
    info = SENTINEL_START + modules.encode() + SENTINEL_END
    body = _varint(len(version)) + version.encode() + _varint(len(info)) + info
    return b"\x7fELF" + bytes(4000) + header + body + bytes(100)


MODULES = (
    "path\texample.com/fn\n"
    "mod\texample.com/fn\t(devel)\t\n"
    "dep\tgolang.org/x/net\tv0.7.0\th1:x=\n"
    "dep\tgithub.com/old/mod\tv1.0.0\th1:y=\n"
    "=>\tgithub.com/new/mod\tv1.2.0\th1:z=\n"
    "build\t-compiler=gc\n"
)


def test_build_info_with_replacement() -> None:
    packages = parse_go_binary(_binary("go1.20.1", MODULES), CTX)
    assert [(p.name, p.version) for p in packages] == [
        ("stdlib", "1.20.1"),
        ("golang.org/x/net", "v0.7.0"),
        ("github.com/new/mod", "v1.2.0"),
    ]
    assert packages[1].purl == "pkg:golang/golang.org/x/net@v0.7.0"
    assert parse_go_binary(b"\x7fELF not go", CTX) == []
    with pytest.raises(InputError, match=r"before 1\.18"):
        parse_go_binary(_binary("go1.16", MODULES, flags=0), CTX)


def test_which_files_are_read() -> None:
    (item,) = [c for c in CATALOGERS if c.id == "go-binary"]
    assert item.wants("bootstrap") and item.wants("var/task/bootstrap")
    assert item.wants("usr/local/bin/kpt") and item.wants("opt/tool/bin/tool") and item.wants("app/server")
    assert not item.wants("usr/bin/kpt")  # the distro's own binaries: its package manager knows them
    assert not item.wants("usr/local/bin/script.sh")


def test_real_go_binary_matched_against_go_vulndb(real_db: AdvisoryDB, tmp_path: Path) -> None:
    source = next((Path(p) for p in ("/usr/bin/docker-registry", "/usr/bin/kpt") if Path(p).is_file()), None)
    if source is None or MAGIC not in source.read_bytes():
        pytest.skip("no Go binary with build info on this machine (docker-registry or kpt)")
    target = tmp_path / "usr" / "local" / "bin" / source.name
    target.parent.mkdir(parents=True)
    shutil.copy(source, target)
    inventory = catalog(tmp_path)
    assert inventory.gaps == ()
    stdlib = [p for p in inventory.packages if p.name == "stdlib"]
    assert len(stdlib) == 1 and stdlib[0].version[0].isdigit()
    matches, gaps = match_inventory(real_db, inventory)
    assert gaps == []
    # the Go vulndb snapshot (2026-08) is newer than any Go toolchain this machine's binaries used
    assert any(m.package.name == "stdlib" and m.advisories[0].id.startswith("GO-") for m in matches)
