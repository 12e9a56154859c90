"""Reading a stream once into a Blob (memory when small, a temporary file when large).

Hashes are computed while the bytes pass, so hash lists need no second read; a size limit is
enforced as the bytes arrive, so a bomb is stopped before it fills the disk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

CHUNK = 1024 * 1024
EDGE_BYTES = 65_536 + 22 + 512  # a zip end record with the longest comment, and a margin


class LimitError(Exception):
    """A limit was reached while reading; the message says which (becomes an unscannable reason)."""


@dataclass(slots=True)
class Blob:
    """The bytes of one object or archive member: in memory (``data``) or in a temp file (``path``)."""

    size: int
    data: bytes | None = None
    path: Path | None = None
    hashes: dict[str, str] = field(default_factory=dict)
    owned: bool = True  # False for a caller's file: read in place, never deleted

    edges: tuple[bytes, bytes] | None = None  # (first bytes, last bytes) of a file, read once

    def _file_edges(self) -> tuple[bytes, bytes]:
        if self.edges is None:
            assert self.path is not None
            with self.path.open("rb") as stream:
                head = stream.read(EDGE_BYTES)
                if self.size > EDGE_BYTES:
                    stream.seek(self.size - EDGE_BYTES)
                    self.edges = (head, stream.read(EDGE_BYTES))
                else:
                    self.edges = (head, head)
        return self.edges

    @property
    def header(self) -> bytes:
        """The first bytes, for magic detection."""
        if self.data is not None:
            return self.data[:512]
        return self._file_edges()[0][:512]

    def ends_with_within(self, needle: bytes, size: int) -> bool:
        """True when ``needle`` occurs in the last ``size`` bytes (``size`` up to EDGE_BYTES)."""
        if self.data is not None:
            return self.data.find(needle, max(0, len(self.data) - size)) != -1
        head, tail = self._file_edges()
        if self.size <= EDGE_BYTES:
            return head.find(needle, max(0, len(head) - size)) != -1
        return tail.find(needle, max(0, len(tail) - size)) != -1

    def open(self) -> IO[bytes]:
        """A fresh binary stream over the content."""
        if self.data is not None:
            import io

            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The content in chunks."""
        if self.data is not None:
            for start in range(0, len(self.data), size):
                yield self.data[start : start + size]
            return
        with self.open() as stream:
            while chunk := stream.read(size):
                yield chunk

    def release(self) -> None:
        """Delete the temp file, if any (a caller's file is left alone)."""
        if self.path is not None:
            if self.owned:
                self.path.unlink(missing_ok=True)
            self.path = None
        self.data = None


class SpoolWriter:
    """Receives bytes by ``write``; ``finish`` gives the Blob. Limits are checked per write."""

    def __init__(
        self,
        *,
        max_bytes: int,
        memory_threshold: int,
        hash_names: frozenset[str] = frozenset(),
        tmpdir: str | None = None,
        on_bytes: Callable[[int], None] | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.memory_threshold = memory_threshold
        self.tmpdir = tmpdir
        self.on_bytes = on_bytes
        self.hashers = {name: hashlib.new(name) for name in sorted(hash_names)}
        self.parts: list[bytes] = []
        self.size = 0
        self.fd: int | None = None
        self.tmp_path: Path | None = None

    def write(self, chunk: bytes) -> int:
        """Add ``chunk``; LimitError when a limit is passed (the caller then calls ``abort``)."""
        if not chunk:
            return 0
        self.size += len(chunk)
        if self.on_bytes is not None:
            self.on_bytes(len(chunk))
        if self.size > self.max_bytes:
            raise LimitError(f"larger than the limit of {self.max_bytes} bytes")
        for hasher in self.hashers.values():
            hasher.update(chunk)
        if self.fd is None and self.size > self.memory_threshold:
            fd, name = tempfile.mkstemp(prefix="soryoku-content-", dir=self.tmpdir)
            self.fd, self.tmp_path = fd, Path(name)
            for part in self.parts:
                _write_all(fd, part)
            self.parts = []
        if self.fd is not None:
            _write_all(self.fd, chunk)
        else:
            self.parts.append(bytes(chunk))
        return len(chunk)

    def finish(self) -> Blob:
        """The Blob of everything written."""
        digests = {name: hasher.hexdigest() for name, hasher in self.hashers.items()}
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
            return Blob(size=self.size, path=self.tmp_path, hashes=digests)
        return Blob(size=self.size, data=b"".join(self.parts), hashes=digests)

    def abort(self) -> None:
        """Drop what was written (closes and deletes the temp file)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.tmp_path is not None:
            self.tmp_path.unlink(missing_ok=True)
        self.parts = []


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def file_blob(path: Path, hash_names: frozenset[str] = frozenset()) -> Blob:
    """A Blob over an existing file, read in place (hashes computed in one pass when asked for)."""
    hashes: dict[str, str] = {}
    if hash_names:
        hashers = {name: hashlib.new(name) for name in sorted(hash_names)}
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                for hasher in hashers.values():
                    hasher.update(chunk)
        hashes = {name: hasher.hexdigest() for name, hasher in hashers.items()}
    return Blob(size=path.stat().st_size, path=path, hashes=hashes, owned=False)


def spool(
    stream: Any,
    *,
    max_bytes: int,
    memory_threshold: int,
    hash_names: frozenset[str] = frozenset(),
    tmpdir: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Blob:
    """Read ``stream`` (anything with ``read(n)``) into a Blob; LimitError past ``max_bytes``.

    ``on_bytes(n)`` is called for every chunk, so the caller can enforce its own running limits
    (total expanded bytes, compression ratio) by raising LimitError.
    """
    writer = SpoolWriter(
        max_bytes=max_bytes,
        memory_threshold=memory_threshold,
        hash_names=hash_names,
        tmpdir=tmpdir,
        on_bytes=on_bytes,
    )
    try:
        while chunk := stream.read(CHUNK):
            writer.write(chunk)
    except BaseException:
        writer.abort()
        raise
    return writer.finish()


__all__ = ["CHUNK", "EDGE_BYTES", "Blob", "LimitError", "SpoolWriter", "file_blob", "spool"]
