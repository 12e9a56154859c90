"""True type by magic bytes, and the extension policy."""

from __future__ import annotations

import pytest

from soryoku.content.filetype import TypePolicy, detect, extension_of
from soryoku.content.samples import EICAR, encrypted_zip, tar_gz_bytes, zip_bytes


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"MZ\x90\x00", "pe"),
        (b"\x7fELF\x02\x01", "elf"),
        (b"\xcf\xfa\xed\xfe", "macho"),
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (b"GIF89a", "gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"BZh91AY", "bzip2"),
        (b"\xfd7zXZ\x00\x00", "xz"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
        (b"Rar!\x1a\x07\x01\x00", "rar"),
        (b"#!/bin/sh\necho hi\n", "script"),
        (EICAR, "text"),
        ("h\u00e9llo".encode(), "text"),
        (b"\x00\x01\x02\xff", "binary"),
        (b"", "empty"),
    ],
)
def test_detect_by_magic(header: bytes, expected: str) -> None:
    assert detect(header) == expected


def test_detect_archives_built_here() -> None:
    assert detect(zip_bytes({"a": b"b"})) == "zip"
    assert detect(encrypted_zip({"a": b"b"})) == "zip"
    assert detect(tar_gz_bytes({"a": b"b"})) == "gzip"
    tar = b"a" * 100 + b"\x00" * 157 + b"ustar\x0000" + b"\x00" * 250
    assert detect(tar) == "tar"


def test_extension_of() -> None:
    assert extension_of("uploads/Photo.JPG") == "jpg"
    assert extension_of("a.tar.gz") == "gz"
    assert extension_of("Makefile") == ""
    assert extension_of(".bashrc") == ""
    assert extension_of("dir.d/file") == ""


def test_policy_flags_executable_posing_as_image_only() -> None:
    policy = TypePolicy()
    assert policy.violation("avatar.png", "pe") == "pe-posing-as-png"
    assert policy.violation("invoice.pdf", "elf") == "elf-posing-as-pdf"
    assert policy.violation("avatar.png", "png") is None
    assert policy.violation("setup.exe", "pe") is None
    assert policy.violation("unknown.bin", "pe") is None
    assert TypePolicy(flag_disguised_executables=False).violation("avatar.png", "pe") is None


def test_policy_blocked_types() -> None:
    policy = TypePolicy(blocked_types=frozenset({"pe", "macho"}))
    assert policy.violation("setup.exe", "pe") == "blocked-type-pe"
    assert policy.violation("a.txt", "text") is None
