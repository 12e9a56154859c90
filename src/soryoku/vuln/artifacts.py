"""Artifacts as file trees: a folder or root filesystem, a single file, a zip (Lambda deployment
package or layer), and a container image (``docker save`` tar, OCI layout folder or tar).

A tree lists its regular files (``/``-separated, relative, no leading slash) and reads a chosen few;
catalogers then parse those. Image layers are applied in order with whiteouts honoured
(``.wh.<name>`` deletes a lower file or folder, ``.wh..wh..opq`` empties a lower folder).
"""

from __future__ import annotations

import json
import os
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, Protocol, cast

from soryoku.core.errors import InputError

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_KEPT_BYTES = 256 * 1024 * 1024
_SKIP_ROOT_DIRS = {"proc", "sys", "dev", "run"}
_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__"}


class FileTree(Protocol):
    """The files of an artifact."""

    kind: str

    def paths(self) -> list[str]:
        """Every regular file, relative and ``/``-separated."""
        ...

    def read(self, paths: list[str]) -> Iterator[tuple[str, bytes | str]]:
        """``(path, bytes)`` for each readable path, ``(path, reason)`` for one that cannot be read."""
        ...

    def location(self, path: str) -> str:
        """How a finding names where ``path`` is (target plus path)."""
        ...


def _clean(name: str) -> str:
    if not name.startswith(("/", "./")) and "//" not in name and "/." not in name and not name.endswith("/"):
        return name  # already clean: the common case in image layers, kept off pathlib's slow path
    return str(PurePosixPath("/" + name)).lstrip("/")


@dataclass(slots=True)
class DirectoryTree:
    """A folder or a root filesystem on disk (symlinks are not followed)."""

    root: Path
    label: str | None = None
    kind: str = "directory"

    def paths(self) -> list[str]:
        found: list[str] = []
        pending = [("", str(self.root))]
        while pending:
            prefix, folder = pending.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue  # unreadable folder (permissions): nothing to catalog there
            for entry in entries:
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    if entry.name in _SKIP_DIRS or (not prefix and entry.name in _SKIP_ROOT_DIRS):
                        continue
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.is_file():
                    found.append(prefix + entry.name)
        return found

    def read(self, paths: list[str]) -> Iterator[tuple[str, bytes | str]]:
        for path in paths:
            file = self.root / path
            try:
                if file.stat().st_size > MAX_FILE_BYTES:
                    yield path, f"larger than {MAX_FILE_BYTES} bytes"
                    continue
                yield path, file.read_bytes()
            except OSError as exc:
                yield path, f"cannot read ({exc.strerror})"

    def location(self, path: str) -> str:
        return f"{self.label}/{path}" if self.label else str(self.root / path)


# A database file given on its own is read as if it sat where the system keeps it.
_SINGLE_FILE_PATHS = {"status": "var/lib/dpkg/status", "installed": "lib/apk/db/installed"}


@dataclass(slots=True)
class SingleFileTree:
    """One file given directly (a lockfile, a dpkg ``status`` or apk ``installed`` file)."""

    file: Path
    label: str | None = None
    kind: str = "file"

    def paths(self) -> list[str]:
        return [_SINGLE_FILE_PATHS.get(self.file.name, self.file.name)]

    def read(self, paths: list[str]) -> Iterator[tuple[str, bytes | str]]:
        for path in paths:
            try:
                yield path, self.file.read_bytes()
            except OSError as exc:
                yield path, f"cannot read ({exc.strerror})"

    def location(self, path: str) -> str:
        return self.label or str(self.file)


@dataclass(slots=True)
class ZipTree:
    """A zip archive: a Lambda deployment package or layer, a wheel."""

    archive: Path
    label: str | None = None
    kind: str = "zip"

    def _open(self) -> zipfile.ZipFile:
        try:
            return zipfile.ZipFile(self.archive)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"{self.archive}: not a readable zip archive ({exc})") from exc

    def paths(self) -> list[str]:
        with self._open() as zf:
            return [_clean(i.filename) for i in zf.infolist() if not i.is_dir()]

    def read(self, paths: list[str]) -> Iterator[tuple[str, bytes | str]]:
        wanted = set(paths)
        with self._open() as zf:
            for info in zf.infolist():
                path = _clean(info.filename)
                if path not in wanted:
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    yield path, f"larger than {MAX_FILE_BYTES} bytes"
                    continue
                try:
                    yield path, zf.read(info)
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
                    yield path, f"cannot extract ({exc})"

    def location(self, path: str) -> str:
        return f"{self.label or self.archive}!/{path}"


class _Container(Protocol):
    def open(self, name: str) -> IO[bytes]: ...
    def close(self) -> None: ...


@dataclass(slots=True)
class _DirContainer:
    root: Path

    def open(self, name: str) -> IO[bytes]:
        try:
            return (self.root / name).open("rb")
        except OSError as exc:
            raise InputError(f"{self.root}: image member {name!r} missing ({exc.strerror})") from exc

    def close(self) -> None:
        return None


class _TarContainer:
    """An image archive: members found by their normalised names (``./index.json`` = ``index.json``)."""

    def __init__(self, tar: tarfile.TarFile, origin: Path) -> None:
        self.tar = tar
        self.origin = origin
        self._members = {_clean(m.name): m for m in tar.getmembers() if m.isreg() or m.islnk()}

    def open(self, name: str) -> IO[bytes]:
        member = self._members.get(_clean(name))
        stream = self.tar.extractfile(member) if member is not None else None
        if stream is None:
            raise InputError(f"{self.origin}: image member {name!r} missing")
        return stream

    def close(self) -> None:
        self.tar.close()


def _json(container: _Container, name: str, origin: Path) -> Any:
    with container.open(name) as stream:
        try:
            return json.load(stream)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{origin}: {name} is not valid JSON ({exc})") from exc


def _blob(digest: str) -> str:
    algorithm, _, value = digest.partition(":")
    return f"blobs/{algorithm}/{value}"


def _oci_layers(container: _Container, origin: Path) -> list[str]:
    document = _json(container, "index.json", origin)
    for _ in range(4):  # an index may point at an index (multi-platform) before the manifest
        manifests = document.get("manifests") or []
        if "layers" in document:
            return [_blob(layer["digest"]) for layer in document["layers"]]
        if not manifests:
            break
        document = _json(container, _blob(manifests[0]["digest"]), origin)
    raise InputError(f"{origin}: OCI layout without an image manifest")


def _docker_layers(container: _Container, origin: Path) -> list[str]:
    manifest = _json(container, "manifest.json", origin)
    if not isinstance(manifest, list) or not manifest or "Layers" not in manifest[0]:
        raise InputError(f"{origin}: manifest.json is not a docker save manifest")
    if len(manifest) > 1:
        raise InputError(f"{origin}: holds {len(manifest)} images; save one image per archive")
    return [str(layer) for layer in manifest[0]["Layers"]]


def _isal_gunzip(stream: IO[bytes]) -> IO[bytes] | None:
    """``stream`` inflated by ISA-L (about twice as fast as zlib here) when the optional ``isal``
    package (the vuln extra) is installed; ``None`` otherwise, and tarfile's zlib path is used."""
    try:
        from isal import igzip
    except ImportError:
        return None
    return cast(IO[bytes], igzip.IGzipFile(fileobj=stream))  # type: ignore[no-untyped-call]


class ImageTree:
    """A container image: its layers applied in order, whiteouts honoured."""

    kind = "image"

    def __init__(self, origin: Path, label: str | None = None) -> None:
        self.origin = origin
        self.label = label
        self._container = self._open_container()
        self._layers = self._layer_names()
        self._final: dict[str, int] = {}
        self._wanted: Callable[[str], bool] | None = None
        self._kept: dict[tuple[int, str], bytes] = {}
        self._position: dict[tuple[int, str], int] = {}
        self._merged = False

    def _open_container(self) -> _Container:
        if self.origin.is_dir():
            return _DirContainer(self.origin)
        try:
            return _TarContainer(tarfile.open(self.origin, "r:*"), self.origin)
        except (tarfile.TarError, OSError) as exc:
            raise InputError(f"{self.origin}: not a readable image archive ({exc})") from exc

    def _has(self, name: str) -> bool:
        try:
            self._container.open(name).close()
        except InputError:
            return False
        return True

    def _layer_names(self) -> list[str]:
        if self._has("manifest.json"):
            return _docker_layers(self._container, self.origin)
        if self._has("index.json"):
            return _oci_layers(self._container, self.origin)
        raise InputError(f"{self.origin}: neither a docker save archive nor an OCI layout")

    def _layer(self, index: int) -> tarfile.TarFile:
        stream = self._container.open(self._layers[index])
        try:
            gzipped = stream.read(2) == b"\x1f\x8b"
            stream.seek(0)
            inflated = _isal_gunzip(stream) if gzipped else None
            return tarfile.open(fileobj=inflated or stream, mode="r:" if inflated else "r:*")
        except tarfile.TarError as exc:
            raise InputError(f"{self.origin}: layer {self._layers[index]} is not a tar ({exc})") from exc

    def keep_while_listing(self, wanted: Callable[[str], bool]) -> None:
        """Keep the content of the files ``wanted`` names while the layers are first listed, so a
        later ``read`` of them needs no second pass over (and second decompression of) the layers.
        Up to ``MAX_KEPT_BYTES`` in all; past that, files are read from their layer again."""
        self._wanted = wanted

    def _listing(self, index: int, budget: int) -> tuple[list[tarfile.TarInfo], dict[str, bytes], int]:
        """One pass over layer ``index``: its members and the content of the wanted files in it."""
        members: list[tarfile.TarInfo] = []
        kept: dict[str, bytes] = {}
        with self._layer(index) as layer:
            for member in layer:
                members.append(member)
                if self._wanted is None or not member.isreg() or member.size > min(MAX_FILE_BYTES, budget):
                    continue
                path = _clean(member.name)
                if path.rpartition("/")[2].startswith(".wh.") or not self._wanted(path):
                    continue
                stream = layer.extractfile(member)
                if stream is not None:
                    kept[path] = stream.read()
                    budget -= member.size
        return members, kept, budget

    def _merge(self) -> None:
        if self._merged:
            return
        final: dict[str, int] = {}
        kept: dict[tuple[int, str], bytes] = {}
        budget = MAX_KEPT_BYTES
        for index in range(len(self._layers)):
            members, layer_kept, budget = self._listing(index, budget)
            kept.update(((index, path), data) for path, data in layer_kept.items())
            for position, member in enumerate(members):
                path = _clean(member.name)
                parent, _, base = path.rpartition("/")
                if base == ".wh..wh..opq":
                    prefix = f"{parent}/" if parent else ""
                    for key in [k for k, v in final.items() if k.startswith(prefix) and v < index]:
                        del final[key]
                elif base.startswith(".wh."):
                    target = f"{parent}/{base[4:]}" if parent else base[4:]
                    for key in [k for k in final if k == target or k.startswith(target + "/")]:
                        del final[key]
                if path in layer_kept:
                    self._position[(index, path)] = position
            for member in members:
                path = _clean(member.name)
                if member.isreg() or member.islnk():
                    if not path.rpartition("/")[2].startswith(".wh."):
                        final[path] = index
                elif member.isdir() or member.issym():
                    final.pop(path, None)
        self._final = final
        self._kept = {key: data for key, data in kept.items() if final.get(key[1]) == key[0]}
        self._merged = True

    def paths(self) -> list[str]:
        self._merge()
        return list(self._final)

    def read(self, paths: list[str]) -> Iterator[tuple[str, bytes | str]]:
        self._merge()
        by_layer: dict[int, set[str]] = {}
        for path in paths:
            by_layer.setdefault(self._final[path], set()).add(path)
        for index in sorted(by_layer):
            wanted = by_layer[index]
            if all((index, path) in self._kept for path in wanted):
                # as a re-read would give them: in the layer's member order
                for path in sorted(wanted, key=lambda p: self._position[(index, p)]):
                    yield path, self._kept[(index, path)]
                continue
            with self._layer(index) as layer:
                for member in layer:
                    path = _clean(member.name)
                    if path not in wanted:
                        continue
                    if (index, path) in self._kept:
                        yield path, self._kept[(index, path)]
                        continue
                    if member.size > MAX_FILE_BYTES:
                        yield path, f"larger than {MAX_FILE_BYTES} bytes"
                        continue
                    stream = layer.extractfile(member)
                    if stream is None:
                        yield path, "not a readable file in its layer"
                        continue
                    yield path, stream.read()

    def location(self, path: str) -> str:
        return f"{self.label or self.origin}:/{path}"

    def close(self) -> None:
        """Close the image archive."""
        self._container.close()


def open_tree(target: Path, label: str | None = None) -> FileTree:
    """The file tree of ``target``, chosen by what it is (InputError when it is none of them).

    ``label`` replaces the target's path in locations (stable names for temporary copies).
    """
    if not target.exists():
        raise InputError(f"{target}: no such file or folder")
    if target.is_dir():
        if (target / "oci-layout").is_file() and (target / "index.json").is_file():
            return ImageTree(target, label)
        return DirectoryTree(target, label)
    if zipfile.is_zipfile(target):
        return ZipTree(target, label)
    if tarfile.is_tarfile(target):
        return ImageTree(target, label)
    return SingleFileTree(target, label)


__all__ = [
    "MAX_FILE_BYTES",
    "DirectoryTree",
    "FileTree",
    "ImageTree",
    "SingleFileTree",
    "ZipTree",
    "open_tree",
]
