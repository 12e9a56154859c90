"""One verdict per object: matches inside nested archives, limits, encryption, engines together."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import random
import struct
import zipfile
from pathlib import Path

import py7zr
import pytest

from soryoku.content.filetype import TypePolicy
from soryoku.content.samples import EICAR, encrypted_zip, nested_eicar_zip, tar_gz_bytes, zip_bytes
from soryoku.content.setup import ScannerSettings, build_scanner
from soryoku.content.verdict import Limits, Verdict


def _scanner(limits: Limits | None = None, **kwargs: object) -> object:
    return build_scanner(ScannerSettings(limits=limits or Limits(), **kwargs)).scanner  # type: ignore[arg-type]


def _scan(data: bytes, name: str = "upload.bin", limits: Limits | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    scanner = _scanner(limits, **kwargs)
    return scanner.scan_stream(io.BytesIO(data), name=name, uri=f"mem://{name}")  # type: ignore[attr-defined]


def test_eicar_file_is_malicious_with_rule_meta() -> None:
    result = _scan(EICAR, "eicar.com")
    assert result.verdict is Verdict.MALICIOUS
    assert [(m.engine, m.rule, m.path) for m in result.matches] == [("yara", "soryoku_eicar_test_file", "")]
    assert result.matches[0].author == "soryoku"
    assert result.sha256 == hashlib.sha256(EICAR).hexdigest()
    assert result.bytes_scanned == len(EICAR)


def test_clean_text_is_clean() -> None:
    result = _scan(b"just a letter\n" * 100, "letter.txt")
    assert result.verdict is Verdict.CLEAN
    assert (result.matches, result.reasons, result.filetype) == ([], [], "text")


def test_eicar_two_levels_deep_names_the_path() -> None:
    result = _scan(nested_eicar_zip(), "outer.zip")
    assert result.verdict is Verdict.MALICIOUS
    assert [m.path for m in result.matches] == ["level1.tar.gz!level1.tar!level2.zip!eicar.com"]
    assert result.members == 7
    assert result.reasons == []


@pytest.mark.parametrize(
    ("name", "data", "path"),
    [
        ("e.gz", gzip.compress(EICAR), "e"),
        ("e.bz2", bz2.compress(EICAR), "e"),
        ("e.xz", lzma.compress(EICAR), "e"),
        ("e.tgz", tar_gz_bytes({"x/eicar.com": EICAR}), "e.tar!x/eicar.com"),
    ],
)
def test_single_stream_compressors(name: str, data: bytes, path: str) -> None:
    result = _scan(data, name)
    assert result.verdict is Verdict.MALICIOUS
    assert [m.path for m in result.matches] == [path]


def test_7z_members_are_scanned() -> None:
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        archive.writestr(b"hello\n", "readme.txt")
        archive.writestr(EICAR, "bin/eicar.com")
    result = _scan(buffer.getvalue(), "drop.7z")
    assert result.verdict is Verdict.MALICIOUS
    assert [m.path for m in result.matches] == ["bin/eicar.com"]
    assert result.members == 2


def test_encrypted_7z_is_unscannable() -> None:
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w", password="secret") as archive:
        archive.writestr(b"hidden", "a.txt")
    result = _scan(buffer.getvalue(), "locked.7z")
    assert result.verdict is Verdict.UNSCANNABLE
    assert "encrypted 7z" in result.reasons[0]


def test_encrypted_zip_is_unscannable_never_clean() -> None:
    result = _scan(encrypted_zip({"secret.txt": b"hello", "run.exe": b"MZ..."}), "locked.zip")
    assert result.verdict is Verdict.UNSCANNABLE
    assert result.reasons == [
        "object: encrypted zip member 'secret.txt'",
        "object: encrypted zip member 'run.exe'",
    ]


def test_a_match_outranks_an_encrypted_neighbour() -> None:
    data = zip_bytes({"eicar.com": EICAR, "locked.zip": encrypted_zip({"a": b"b"})})
    result = _scan(data, "mixed.zip")
    assert result.verdict is Verdict.MALICIOUS
    assert result.reasons == ["locked.zip: encrypted zip member 'a'"]


def test_zip_bomb_stops_on_ratio() -> None:
    bomb = zip_bytes({"zeros.bin": b"\x00" * (30 * 1024 * 1024)})
    result = _scan(bomb, "bomb.zip", Limits(max_ratio=100))
    assert result.verdict is Verdict.UNSCANNABLE
    assert "compression ratio over 100:1" in result.reasons[0]
    assert result.bytes_scanned < 30 * 1024 * 1024


def test_nested_bomb_in_gzip_stops() -> None:
    bomb = zip_bytes({"inner.gz": gzip.compress(b"\x00" * (20 * 1024 * 1024))})
    result = _scan(bomb, "bomb.zip", Limits(max_ratio=50))
    assert result.verdict is Verdict.UNSCANNABLE
    assert "inner.gz" in result.reasons[0]


def test_limits_depth_members_expanded_and_size() -> None:
    deep = _scan(nested_eicar_zip(), "outer.zip", Limits(max_depth=2))
    assert deep.verdict is Verdict.UNSCANNABLE
    assert deep.reasons == ["level1.tar.gz!level1.tar: archive nested deeper than 2 levels"]
    many = _scan(zip_bytes({f"f{i}.txt": b"x" for i in range(20)}), "many.zip", Limits(max_members=10))
    assert many.verdict is Verdict.UNSCANNABLE
    assert "more than 10 archive members" in many.reasons[0]
    big = zip_bytes({"a.bin": bytes(range(256)) * 4096})
    expanded = _scan(big, "big.zip", Limits(max_expanded_bytes=100_000))
    assert expanded.verdict is Verdict.UNSCANNABLE
    assert "expanded more than 100000 bytes" in expanded.reasons[0]
    sized = _scan(b"x" * 5000, "big.txt", Limits(max_object_bytes=1000))
    assert sized.verdict is Verdict.UNSCANNABLE
    assert "limit of 1000 bytes" in sized.reasons[0]


def test_unsupported_and_corrupt_archives_are_unscannable() -> None:
    assert _scan(b"Rar!\x1a\x07\x01\x00" + b"\x00" * 50, "a.rar").reasons == [
        "object: rar archives are not supported"
    ]
    corrupt = _scan(b"PK\x03\x04" + b"\x00" * 40, "broken.zip")
    assert corrupt.verdict is Verdict.UNSCANNABLE
    assert "corrupt zip" in corrupt.reasons[0]


def test_large_members_spool_to_disk(tmp_path: Path) -> None:
    payload = random.Random(7).randbytes(3 * 1024 * 1024) + EICAR
    data = zip_bytes({"big.txt": payload, "eicar.com": EICAR})
    scanner = _scanner(Limits(memory_threshold=1024 * 1024))
    path = tmp_path / "big.zip"
    path.write_bytes(data)
    result = scanner.scan_path(path)  # type: ignore[attr-defined]
    assert result.verdict is Verdict.MALICIOUS
    assert [m.path for m in result.matches] == ["eicar.com"]
    assert result.uri == str(path.resolve())


def test_disguised_executable_and_policy_off() -> None:
    pe = b"MZ" + b"\x90" * 200
    assert [m.rule for m in _scan(pe, "avatar.png").matches] == ["pe-posing-as-png"]
    assert _scan(pe, "avatar.png", type_policy=None).verdict is Verdict.CLEAN
    inside = _scan(zip_bytes({"img/cat.jpg": pe}), "photos.zip")
    assert [(m.engine, m.rule, m.path) for m in inside.matches] == [
        ("filetype", "pe-posing-as-jpg", "img/cat.jpg")
    ]
    blocked = _scan(pe, "tool.exe", type_policy=TypePolicy(blocked_types=frozenset({"pe"})))
    assert [m.rule for m in blocked.matches] == ["blocked-type-pe"]


def test_unreadable_path_is_an_error(tmp_path: Path) -> None:
    result = _scanner().scan_path(tmp_path / "gone.txt")  # type: ignore[attr-defined]
    assert result.verdict is Verdict.ERROR
    assert "cannot read" in result.reasons[0]


def test_hash_list_matches_inside_archives(tmp_path: Path) -> None:
    listing = tmp_path / "bad.txt"
    listing.write_text(hashlib.sha256(EICAR).hexdigest() + "\n")
    result = _scan(zip_bytes({"x.bin": EICAR}), "x.zip", hash_lists=(listing,), yara_engine="none")
    assert [(m.engine, m.path) for m in result.matches] == [("hashlist", "x.bin")]


def test_yarax_engine_gives_the_same_verdicts() -> None:
    result = _scan(nested_eicar_zip(), "outer.zip", yara_engine="yarax")
    assert result.verdict is Verdict.MALICIOUS
    assert [(m.engine, m.rule) for m in result.matches] == [("yarax", "soryoku_eicar_test_file")]


def test_externals_from_the_key_reach_ext_var_rules(shared_dir: Path) -> None:
    rules = shared_dir / "rules" / "signature-base-webshells" / "yara" / "gen_webshells_ext_vars.yar"
    php = b"<?php eval(str_rot13('riny($_CBFG[1]);')); ?>\n"
    upload = _scan(php, "uploads/theme/footer.php", rules=(rules,))
    assert upload.verdict is Verdict.MALICIOUS
    hit = next(m for m in upload.matches if m.rule == "webshell_php_by_string_obfuscation")
    assert hit.author == "Arnim Rupp"
    assert "Detection Rule License 1.1" in dict(hit.meta)["license"]
    # the rule excludes browser caches by `filepath`: the key must reach the external
    cached = _scan(php, "home/Library/Caches/com.apple.Safari/WebKitCache/f.php", rules=(rules,))
    assert "webshell_php_by_string_obfuscation" not in [m.rule for m in cached.matches]


def test_zip_behind_other_data_is_still_walked() -> None:
    polyglot = b"\xff\xd8\xff\xe0" + b"\x00" * 300 + zip_bytes({"payload/eicar.com": EICAR})
    result = _scan(polyglot, "holiday.jpg")
    assert result.filetype == "jpeg"
    assert [(m.rule, m.path) for m in result.matches] == [("soryoku_eicar_test_file", "payload/eicar.com")]


def test_scan_paths_keeps_name_order_with_concurrency(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"f{i:02d}.txt").write_bytes(EICAR if i % 5 == 0 else b"plain text\n")
    results = list(_scanner().scan_paths([tmp_path], concurrency=3))  # type: ignore[attr-defined]
    assert [Path(r.uri).name for r in results] == [f"f{i:02d}.txt" for i in range(12)]
    assert [r.verdict is Verdict.MALICIOUS for r in results] == [i % 5 == 0 for i in range(12)]


def test_folder_entry_with_data_is_scanned() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("payload/"), EICAR)  # named like a folder, holds a file
    result = _scan(buffer.getvalue(), "trick.zip")
    assert [(m.rule, m.path) for m in result.matches] == [("soryoku_eicar_test_file", "payload/")]


def test_entry_missing_from_the_central_directory_is_unscannable() -> None:
    data = bytearray(zip_bytes({"readme.txt": b"hello\n", "eicar.com": EICAR}, compress=False))
    end = data.rindex(b"PK\x05\x06")
    directory_start = struct.unpack_from("<I", data, end + 16)[0]
    second = data.index(b"PK\x01\x02", directory_start + 4)
    # keep only the first central-directory record: eicar.com stays in the file, unlisted
    hidden = bytes(data[:second]) + bytes(data[end:])
    cut = len(data) - len(hidden)
    patched = bytearray(hidden)
    new_end = len(patched) - 22
    struct.pack_into("<HHI", patched, new_end + 8, 1, 1, struct.unpack_from("<I", data, end + 12)[0] - cut)
    result = _scan(bytes(patched), "hidden.zip")
    assert result.verdict is Verdict.UNSCANNABLE
    assert result.reasons == [
        "object: zip entry 'eicar.com' at offset 46 is not in the central directory (hidden entry)"
    ]


def test_binary_ending_with_zip_signature_bytes_is_not_a_broken_zip() -> None:
    # e.g. an unzip tool's binary: the end-record signature appears in its data
    binary = b"\x7fELF\x02\x01\x01" + bytes(5000) + b"PK\x05\x06" + bytes(40)
    result = _scan(binary, "unzip")
    assert (result.verdict, result.reasons) == (Verdict.CLEAN, [])


@pytest.mark.parametrize("padding", [0, 70_000, 140_000, 3_000_000])
def test_zip_trailer_found_in_files_of_any_size(tmp_path: Path, padding: int) -> None:
    data = random.Random(padding).randbytes(padding) + zip_bytes({"x/eicar.com": EICAR})
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    result = _scanner().scan_path(path)  # type: ignore[attr-defined]
    assert [(m.rule, m.path) for m in result.matches] == [("soryoku_eicar_test_file", "x/eicar.com")]
