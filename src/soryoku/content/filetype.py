"""True file type from the first bytes (a small magic table of our own) and the extension policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# (type, offset, magic); order matters where magics share a prefix.
_MAGIC: tuple[tuple[str, int, bytes], ...] = (
    ("pe", 0, b"MZ"),
    ("elf", 0, b"\x7fELF"),
    ("macho", 0, b"\xcf\xfa\xed\xfe"),
    ("macho", 0, b"\xce\xfa\xed\xfe"),
    ("macho", 0, b"\xfe\xed\xfa\xcf"),
    ("macho", 0, b"\xfe\xed\xfa\xce"),
    ("zip", 0, b"PK\x03\x04"),
    ("zip", 0, b"PK\x05\x06"),
    ("gzip", 0, b"\x1f\x8b"),
    ("bzip2", 0, b"BZh"),
    ("xz", 0, b"\xfd7zXZ\x00"),
    ("7z", 0, b"7z\xbc\xaf\x27\x1c"),
    ("rar", 0, b"Rar!\x1a\x07"),
    ("tar", 257, b"ustar"),
    ("pdf", 0, b"%PDF-"),
    ("png", 0, b"\x89PNG\r\n\x1a\n"),
    ("jpeg", 0, b"\xff\xd8\xff"),
    ("gif", 0, b"GIF87a"),
    ("gif", 0, b"GIF89a"),
    ("bmp", 0, b"BM"),
    ("webp", 8, b"WEBP"),
    ("ole", 0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("java-class", 0, b"\xca\xfe\xba\xbe"),
    ("script", 0, b"#!"),
    ("lnk", 0, b"L\x00\x00\x00\x01\x14\x02\x00"),
)

#: How many leading bytes ``detect`` needs.
HEADER_BYTES = 512

ARCHIVE_TYPES = frozenset({"zip", "gzip", "bzip2", "xz", "7z", "tar"})
EXECUTABLE_TYPES = frozenset({"pe", "elf", "macho", "java-class"})

_EXTENSION_TYPES: dict[str, frozenset[str]] = {
    "png": frozenset({"png"}),
    "jpg": frozenset({"jpeg"}),
    "jpeg": frozenset({"jpeg"}),
    "gif": frozenset({"gif"}),
    "bmp": frozenset({"bmp"}),
    "webp": frozenset({"webp"}),
    "pdf": frozenset({"pdf"}),
    "txt": frozenset({"text"}),
    "csv": frozenset({"text"}),
    "json": frozenset({"text"}),
    "doc": frozenset({"ole"}),
    "xls": frozenset({"ole"}),
    "docx": frozenset({"zip"}),
    "xlsx": frozenset({"zip"}),
    "pptx": frozenset({"zip"}),
}


def detect(header: bytes) -> str:
    """The type of data starting with ``header`` (``text``, ``binary`` or ``empty`` when unknown)."""
    for name, offset, magic in _MAGIC:
        if header[offset : offset + len(magic)] == magic:
            if name == "webp" and not header.startswith(b"RIFF"):
                continue
            return name
    if not header:
        return "empty"
    sample = header[:HEADER_BYTES]
    if b"\x00" not in sample:
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            # a multi-byte character cut at the end of the sample is still text
            if exc.start < len(sample) - 4:
                return "binary"
        return "text"
    return "binary"


_EOCD = b"PK\x05\x06"
_EOCD_SEARCH = 65_536 + 22  # the end record plus the longest zip comment


def has_zip_trailer(blob: Any) -> bool:
    """True when the data ends with a zip end-of-central-directory record (as ``zipfile`` finds it)."""
    return bool(blob.ends_with_within(_EOCD, _EOCD_SEARCH))


def extension_of(name: str) -> str:
    """The lower-case extension of the last path part of ``name`` (``""`` when none)."""
    last = name.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last.strip(".") else ""


@dataclass(frozen=True, slots=True)
class TypePolicy:
    """Which true types to flag: executables posing as documents/images, and a blocked list."""

    flag_disguised_executables: bool = True
    blocked_types: frozenset[str] = frozenset()

    def violation(self, name: str, true_type: str) -> str | None:
        """A rule name when ``true_type`` contradicts ``name``'s extension or is blocked, else None."""
        if true_type in self.blocked_types:
            return f"blocked-type-{true_type}"
        expected = _EXTENSION_TYPES.get(extension_of(name))
        if (
            self.flag_disguised_executables
            and expected is not None
            and true_type in EXECUTABLE_TYPES
            and true_type not in expected
        ):
            return f"{true_type}-posing-as-{extension_of(name)}"
        return None


__all__ = [
    "ARCHIVE_TYPES",
    "EXECUTABLE_TYPES",
    "HEADER_BYTES",
    "TypePolicy",
    "detect",
    "extension_of",
    "has_zip_trailer",
]
