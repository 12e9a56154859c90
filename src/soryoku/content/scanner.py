"""The scanner: every engine over an object and every member of the archives inside it.

One object in, one ``ObjectResult`` out, with exactly one verdict. Limits (depth, members, total
expanded bytes, compression ratio, object size) stop the walk and make the object unscannable.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soryoku.content.archives import walk_7z, walk_compressed, walk_tar, walk_zip
from soryoku.content.engines.base import ContentEngine, EngineError, ScanTarget
from soryoku.content.filetype import ARCHIVE_TYPES, TypePolicy, detect, extension_of, has_zip_trailer
from soryoku.content.spool import Blob, LimitError, SpoolWriter, file_blob, spool
from soryoku.content.verdict import Limits, Match, ObjectResult, decide

ARCHIVE_SEPARATOR = "!"


@dataclass(slots=True)
class _Walk:
    """What one object's scan has seen so far."""

    name: str
    owner: str
    matches: list[Match] = field(default_factory=list)
    unscannable: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    members: int = 0
    expanded: int = 0
    bytes_scanned: int = 0
    filetype: str = ""


class Scanner:
    """Runs ``engines`` over objects within ``limits``; stateless between objects (thread-safe)."""

    def __init__(
        self,
        engines: Sequence[ContentEngine],
        *,
        limits: Limits | None = None,
        type_policy: TypePolicy | None = None,
        tmpdir: str | None = None,
    ) -> None:
        if not engines:
            raise ValueError("a scanner needs at least one engine")
        self.engines = tuple(engines)
        self.limits = limits or Limits()
        self.type_policy = type_policy
        self.tmpdir = tmpdir
        self.hash_names = frozenset().union(*(engine.hash_names for engine in self.engines))

    @property
    def version(self) -> str:
        """The engines and their rule versions, e.g. ``yara-python-4.5.4+rules-1a2b3c4d5e6f``."""
        return ",".join(engine.version for engine in self.engines)

    # -- entry points --

    def scan_path(self, path: Path) -> ObjectResult:
        """Scan one local file (read in place, not copied)."""
        uri = os.path.abspath(path)  # noqa: PTH100 - no symlink resolution: a path per file, cheaply
        try:
            stat = path.stat()
        except OSError as exc:
            result = ObjectResult(uri=uri)
            result.reasons.append(f"cannot read: {exc.strerror or exc}")
            result.verdict = decide([], [], result.reasons)
            return result
        return self._scan(
            lambda: file_blob(path, self.hash_names),
            name=uri,
            uri=uri,
            owner=_owner_name(stat.st_uid),
            size=stat.st_size,
        )

    def scan_stream(
        self,
        stream: Any,
        *,
        name: str,
        uri: str,
        version: str | None = None,
        owner: str = "",
        size: int | None = None,
    ) -> ObjectResult:
        """Scan what ``stream.read`` yields; ``name`` is the file path or S3 key (for externals)."""

        def read() -> Blob:
            return spool(
                stream,
                max_bytes=self.limits.max_object_bytes,
                memory_threshold=self.limits.memory_threshold,
                hash_names=self.hash_names,
                tmpdir=self.tmpdir,
            )

        return self._scan(read, name=name, uri=uri, version=version, owner=owner, size=size)

    def _scan(
        self,
        make_blob: Callable[[], Blob],
        *,
        name: str,
        uri: str,
        version: str | None = None,
        owner: str = "",
        size: int | None = None,
    ) -> ObjectResult:
        started = time.perf_counter()
        walk = _Walk(name=name, owner=owner)
        result = ObjectResult(uri=uri, version=version, size=size)
        blob: Blob | None = None
        try:
            if size is not None and size > self.limits.max_object_bytes:
                raise LimitError(
                    f"object of {size} bytes is over the limit of {self.limits.max_object_bytes}"
                )
            blob = make_blob()
            result.size = blob.size
            self._scan_blob(blob, name, "", 0, walk)
            if walk.matches or "sha256" in blob.hashes:
                # the evidence hash, computed for what is reported (a clean object costs no extra pass)
                result.sha256 = blob.hashes.get("sha256") or _sha256(blob)
        except LimitError as exc:
            walk.unscannable.append(str(exc))
        except OSError as exc:
            walk.errors.append(f"cannot read: {exc.strerror or exc}")
        except Exception as exc:  # the per-object boundary: becomes an `error` verdict with its reason
            walk.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            if blob is not None:
                blob.release()
        result.matches = walk.matches
        result.reasons = [*walk.unscannable, *walk.errors]
        result.verdict = decide(walk.matches, walk.unscannable, walk.errors)
        result.members = walk.members
        result.bytes_scanned = walk.bytes_scanned
        result.filetype = walk.filetype
        result.seconds = time.perf_counter() - started
        return result

    def scan_paths(self, paths: Iterable[Path], concurrency: int = 1) -> Iterator[ObjectResult]:
        """Scan every file under ``paths`` (folders recursively), results in name order.

        At most ``concurrency`` files are scanned at once and few more are queued, so a tree of
        millions of files is never listed into memory first.
        """
        from collections import deque
        from concurrent.futures import Future, ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            pending: deque[Future[ObjectResult]] = deque()
            for path in iter_files(paths):
                pending.append(pool.submit(self.scan_path, path))
                if len(pending) > 2 * concurrency:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    # -- the walk --

    def _scan_blob(self, blob: Blob, name: str, path: str, depth: int, walk: _Walk) -> None:
        filetype = detect(blob.header)
        if depth == 0:
            walk.filetype = filetype
        target = ScanTarget(
            blob=blob,
            filename=name.rsplit("/", 1)[-1],
            filepath=name,
            extension=extension_of(name),
            filetype=filetype,
            owner=walk.owner,
            path=path,
        )
        if self.type_policy is not None:
            violation = self.type_policy.violation(name, filetype)
            if violation:
                walk.matches.append(
                    Match(engine="filetype", rule=violation, path=path, meta=(("filetype", filetype),))
                )
        for engine in self.engines:
            try:
                walk.matches.extend(engine.scan(target))
            except EngineError as exc:
                walk.errors.append(f"{path or 'object'}: {exc}")
        walk.bytes_scanned += blob.size
        # a zip with data in front of it (self-extractors, polyglots, a damaged header) still has its
        # central directory at the end: walk it, so prepending bytes cannot hide the members
        archive_type = filetype if filetype in ARCHIVE_TYPES else ("zip" if has_zip_trailer(blob) else None)
        if archive_type is not None:
            if depth >= self.limits.max_depth:
                walk.unscannable.append(
                    f"{path or 'object'}: archive nested deeper than {self.limits.max_depth} levels"
                )
                return
            self._walk_archive(blob, archive_type, name, path, depth, walk, archive_type != filetype)
        elif filetype == "rar":
            walk.unscannable.append(f"{path or 'object'}: rar archives are not supported")

    def _walk_archive(
        self,
        blob: Blob,
        filetype: str,
        name: str,
        path: str,
        depth: int,
        walk: _Walk,
        by_trailer: bool = False,
    ) -> None:
        limits = self.limits
        container = {"expanded": 0}
        where = path or "object"

        def count_container(n: int) -> None:
            walk.expanded += n
            container["expanded"] += n
            if walk.expanded > limits.max_expanded_bytes:
                raise LimitError(f"{where}: expanded more than {limits.max_expanded_bytes} bytes in total")
            expanded = container["expanded"]
            if expanded > limits.ratio_floor_bytes and expanded > limits.max_ratio * max(blob.size, 1):
                raise LimitError(
                    f"{where}: compression ratio over {limits.max_ratio:g}:1 "
                    f"({expanded} bytes from {blob.size}; a decompression bomb?)"
                )

        def member_path(member: str) -> str:
            return f"{path}{ARCHIVE_SEPARATOR}{member}" if path else member

        def new_member(member: str) -> None:
            walk.members += 1
            if walk.members > limits.max_members:
                raise LimitError(f"{where}: more than {limits.max_members} archive members")

        def writer_for(member: str, compressed: int | None = None) -> SpoolWriter:
            new_member(member)
            own = {"n": 0}

            def on_bytes(n: int) -> None:
                own["n"] += n
                count_container(n)
                if (
                    compressed
                    and own["n"] > limits.ratio_floor_bytes
                    and own["n"] > limits.max_ratio * compressed
                ):
                    raise LimitError(
                        f"{member_path(member)}: compression ratio over {limits.max_ratio:g}:1 "
                        "(a decompression bomb?)"
                    )

            return SpoolWriter(
                max_bytes=limits.max_expanded_bytes,
                memory_threshold=limits.memory_threshold,
                hash_names=self.hash_names,
                tmpdir=self.tmpdir,
                on_bytes=on_bytes,
            )

        def take_blob(member: str, member_blob: Blob) -> None:
            self._scan_blob(member_blob, member, member_path(member), depth + 1, walk)

        def take(member: str, stream: Any, compressed: int | None) -> None:
            writer = writer_for(member, compressed)
            try:
                while chunk := stream.read(1024 * 1024):
                    writer.write(chunk)
            except BaseException:
                writer.abort()
                raise
            member_blob = writer.finish()
            try:
                take_blob(member, member_blob)
            finally:
                member_blob.release()

        def note(reason: str) -> None:
            walk.unscannable.append(f"{where}: {reason}")

        if filetype == "zip":
            walk_zip(blob, take, note, found_by_trailer=by_trailer)
        elif filetype == "tar":
            walk_tar(blob, take, note)
        elif filetype in {"gzip", "bzip2", "xz"}:
            walk_compressed(blob, filetype, name, take, note)
        elif filetype == "7z":
            budget = limits.max_expanded_bytes - walk.expanded
            walk_7z(blob, writer_for, take_blob, note, budget)


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files under ``paths``: files as given, folders recursively in name order (no symlink loops)."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                for filename in sorted(files):
                    candidate = Path(root) / filename
                    if candidate.is_file():
                        yield candidate
        else:
            yield path


def _sha256(blob: Blob) -> str:
    import hashlib

    digest = hashlib.sha256()
    for chunk in blob.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@functools.lru_cache(maxsize=256)
def _owner_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (KeyError, ImportError):
        return str(uid)


__all__ = ["ARCHIVE_SEPARATOR", "Scanner", "iter_files"]
