"""Walking archives member by member: zip, tar, gzip, bzip2, xz and 7z.

The walker opens one container and hands each member to ``take(name, stream, compressed_size)``,
which spools it within the scanner's limits and scans it (recursing into nested archives). What
cannot be read — an encrypted member, a corrupt archive, an unsupported method — is reported
through ``note(reason)``: it makes the object unscannable, never silently clean.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
import tarfile
import zipfile
from collections.abc import Callable
from functools import partial
from typing import Any

from soryoku.content.spool import Blob, LimitError, SpoolWriter

Take = Callable[[str, Any, "int | None"], None]
Note = Callable[[str], None]
WriterFor = Callable[[str], SpoolWriter]
TakeBlob = Callable[[str, Blob], None]


def _stem(name: str, suffixes: tuple[str, ...]) -> str:
    last = name.rsplit("/", 1)[-1] or "data"
    for suffix in suffixes:
        if last.lower().endswith(suffix):
            return last[: -len(suffix)] or "data"
    return last


def walk_zip(blob: Blob, take: Take, note: Note, *, found_by_trailer: bool = False) -> None:
    """Each file of a zip; encrypted members are noted, the others taken.

    Entries are read from the central directory, as every unzip tool does; local entries that the
    central directory does not list (a known way to hide a file from scanners) are noted. A file
    that only *ends* like a zip (``found_by_trailer``) and does not open as one is not a zip: some
    binaries carry the signature bytes, and the data itself was already scanned.
    """
    with blob.open() as raw:
        try:
            archive = zipfile.ZipFile(raw)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            if not found_by_trailer:
                note(f"corrupt zip archive ({exc})")
            return
        with archive:
            infos = archive.infolist()
            for reason in unlisted_local_entries(raw, infos):
                note(reason)
            for info in infos:
                if info.is_dir() and info.file_size == 0 and info.compress_size <= 2:
                    continue  # a real folder entry (a "folder" with data is scanned as a file)
                if info.flag_bits & 0x1:
                    note(f"encrypted zip member {info.filename!r}")
                    continue
                try:
                    with archive.open(info) as member:
                        take(info.filename, member, info.compress_size)
                except NotImplementedError as exc:
                    note(f"zip member {info.filename!r}: unsupported ({exc})")
                except (zipfile.BadZipFile, zlib_error(), EOFError) as exc:
                    note(f"zip member {info.filename!r}: corrupt ({exc})")


_LOCAL = b"PK\x03\x04"
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")


def unlisted_local_entries(raw: Any, infos: list[zipfile.ZipInfo]) -> list[str]:
    """Follow the local headers one after another from the first entry; name those not in the directory."""
    listed = {info.header_offset: info for info in infos}
    offset = min(listed) if listed else 0
    reasons: list[str] = []
    for _ in range(len(infos) + 1000):  # bounded: a directory listing n entries, plus what may hide
        raw.seek(offset)
        header = raw.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or not header.startswith(_LOCAL):
            return reasons
        _, _, flags, _, _, _, _, csize, _, name_len, extra_len = _LOCAL_HEADER.unpack(header)
        name = raw.read(name_len).decode("utf-8", errors="replace")
        info = listed.get(offset)
        if info is None:
            reasons.append(
                f"zip entry {name!r} at offset {offset} is not in the central directory (hidden entry)"
            )
        if info is not None:
            csize = info.compress_size
        elif flags & 0x8 or csize == 0xFFFFFFFF:
            reasons.append(
                f"zip entry {name!r} at offset {offset}: size unknown, the rest cannot be followed"
            )
            return reasons
        offset += _LOCAL_HEADER.size + name_len + extra_len + csize
        if (
            flags & 0x8
        ):  # a data descriptor follows the data (signature optional, 12 or 16 bytes; zip64: 20/24)
            raw.seek(offset)
            descriptor = raw.read(4)
            offset += 4 if descriptor == b"PK\x07\x08" else 0
            offset += 20 if info is not None and info.file_size >= 0xFFFFFFFF else 12
    return reasons


def zlib_error() -> type[Exception]:
    """zlib's error type (imported lazily, as the other decompressors)."""
    import zlib

    return zlib.error


def walk_tar(blob: Blob, take: Take, note: Note) -> None:
    """Each regular file of an (uncompressed) tar, read as a stream."""
    with blob.open() as raw:
        try:
            archive = tarfile.open(fileobj=raw, mode="r|")  # noqa: SIM115 - closed by the with below
        except tarfile.TarError as exc:
            note(f"corrupt tar archive ({exc})")
            return
        with archive:
            try:
                for member in archive:
                    if not member.isfile():
                        continue
                    stream = archive.extractfile(member)
                    if stream is not None:
                        take(member.name, stream, None)
            except tarfile.TarError as exc:
                note(f"corrupt tar archive ({exc})")


def walk_compressed(blob: Blob, filetype: str, name: str, take: Take, note: Note) -> None:
    """The single stream inside gzip, bzip2 or xz, taken with the container's size as compressed size."""
    opener: dict[str, tuple[Callable[[Any], Any], tuple[str, ...]]] = {
        "gzip": (partial(gzip.open, mode="rb"), (".gz", ".tgz", ".gzip")),
        "bzip2": (partial(bz2.open, mode="rb"), (".bz2", ".tbz2", ".bzip2")),
        "xz": (partial(lzma.open, mode="rb"), (".xz", ".txz")),
    }
    open_stream, suffixes = opener[filetype]
    inner = _stem(name, suffixes)
    if name.lower().endswith((".tgz", ".tbz2", ".txz")):
        inner += ".tar"
    with blob.open() as raw, open_stream(raw) as stream:
        try:
            take(inner, stream, blob.size)
        except (OSError, EOFError, lzma.LZMAError) as exc:
            note(f"corrupt {filetype} stream ({exc})")


class _SevenZipSink:
    """A py7zr writer: spools one member and hands it over when py7zr closes it."""

    def __init__(self, name: str, writer: SpoolWriter, take_blob: TakeBlob) -> None:
        self.name = name
        self.writer = writer
        self.take_blob = take_blob
        self.done = False

    def write(self, s: bytes | bytearray) -> int:
        return self.writer.write(bytes(s))

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return self.writer.size

    def close(self) -> None:
        if self.done:
            return
        self.done = True
        blob = self.writer.finish()
        try:
            self.take_blob(self.name, blob)
        finally:
            blob.release()


def walk_7z(blob: Blob, writer_for: WriterFor, take_blob: TakeBlob, note: Note, budget: int) -> None:
    """Each file of a 7z archive, decompressed straight into spools (never the whole archive)."""
    try:
        import py7zr
        import py7zr.exceptions
        import py7zr.io
    except ImportError:
        note("7z archives need py7zr (pip install soryoku[content])")
        return

    sinks: list[_SevenZipSink] = []

    class Factory(py7zr.io.WriterFactory):  # type: ignore[misc]
        def create(self, filename: str) -> Any:
            sink = _SevenZipSink(filename, writer_for(filename), take_blob)
            sinks.append(sink)
            return sink

    with blob.open() as raw:
        try:
            archive = py7zr.SevenZipFile(raw, mode="r")
        except py7zr.exceptions.PasswordRequired:
            note("encrypted 7z archive (encrypted header)")
            return
        except (py7zr.exceptions.Bad7zFile, py7zr.exceptions.ArchiveError, EOFError, OSError) as exc:
            note(f"corrupt 7z archive ({exc})")
            return
        with archive:
            if archive.needs_password():
                note("encrypted 7z archive")
                return
            declared = sum(int(entry.uncompressed or 0) for entry in archive.list() if not entry.is_directory)
            if declared > budget:
                raise LimitError(
                    f"7z archive declares {declared} bytes, over the remaining budget of {budget}"
                )
            try:
                archive.extractall(factory=Factory())
            except LimitError:
                raise
            except (py7zr.exceptions.UnsupportedCompressionMethodError, NotImplementedError) as exc:
                note(f"7z archive: unsupported ({exc})")
            except (py7zr.exceptions.Bad7zFile, py7zr.exceptions.CrcError, EOFError, lzma.LZMAError) as exc:
                note(f"corrupt 7z archive ({exc})")
            finally:
                for sink in sinks:
                    if not sink.done:
                        sink.writer.abort()
                        sink.done = True


__all__ = ["walk_7z", "walk_compressed", "walk_tar", "walk_zip"]
