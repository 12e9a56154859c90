"""Hash lists: SHA-256 / SHA-1 / MD5 of known-bad files, plain or CSV (MalwareBazaar export).

Lookup is one dict access per algorithm; the hashes are computed while the data is read.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import string
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from soryoku.content.engines.base import ScanTarget
from soryoku.content.verdict import Match
from soryoku.core.errors import ConfigError

_ALGORITHMS = {64: "sha256", 40: "sha1", 32: "md5"}
_HEX = frozenset(string.hexdigits)
_NAME_COLUMNS = ("signature", "malware", "name", "family")


def _is_hash(value: str) -> str | None:
    value = value.strip().lower()
    if len(value) in _ALGORITHMS and set(value) <= _HEX:
        return _ALGORITHMS[len(value)]
    return None


def _rows(lines: Iterable[str]) -> Iterable[tuple[list[str], list[str] | None]]:
    header: list[str] | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        commented = line.startswith("#")
        body = line.lstrip("#").strip()
        fields = [f.strip() for f in next(csv.reader([body], skipinitialspace=True))] if body else []
        lowered = [f.lower() for f in fields]
        if any("sha256" in f or "md5" in f or "sha1" in f for f in lowered) and not any(
            _is_hash(f) for f in fields
        ):
            header = lowered
            continue
        if commented:
            continue
        if len(fields) == 1 and " " in fields[0]:
            fields = fields[0].split()  # "hash  name" as sha256sum prints it
        yield fields, header


def _read_list(path: Path) -> str:
    """A list's text; ``.gz`` and ``.zip`` (as MalwareBazaar ships its exports) are unpacked."""
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as stream:
            return stream.read()
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
            return "\n".join(archive.read(name).decode("utf-8", errors="replace") for name in names)
    return path.read_text(encoding="utf-8", errors="replace")


class HashListEngine:
    """Known-bad hashes from list files; ``rule`` is the list's malware name where it gives one."""

    name = "hashlist"

    def __init__(self, entries: dict[str, dict[str, str]], sources: Sequence[str]) -> None:
        self.entries = entries
        self.sources = tuple(sources)
        self.hash_names = frozenset(algo for algo, table in entries.items() if table)
        digest = hashlib.sha256()
        for algo in sorted(entries):
            for value in sorted(entries[algo]):
                digest.update(f"{algo}:{value}\n".encode())
        self.version = f"hashlist-{sum(len(t) for t in entries.values())}+{digest.hexdigest()[:12]}"

    @classmethod
    def from_files(cls, paths: Sequence[Path]) -> HashListEngine:
        """Read every list; ConfigError naming the file when one has no hash at all."""
        entries: dict[str, dict[str, str]] = {"sha256": {}, "sha1": {}, "md5": {}}
        for path in paths:
            try:
                text = _read_list(path)
            except (OSError, zipfile.BadZipFile, EOFError) as exc:
                raise ConfigError(f"--hash-list {str(path)!r}: cannot read ({exc})") from exc
            found = 0
            for fields, header in _rows(text.splitlines()):
                label = path.name
                if header is not None:
                    for column in _NAME_COLUMNS:
                        if column in header and header.index(column) < len(fields):
                            value = fields[header.index(column)].strip()
                            if value and value.lower() not in {"n/a", "null", ""}:
                                label = value
                                break
                for value in fields:
                    algo = _is_hash(value)
                    if algo:
                        entries[algo][value.strip().lower()] = label
                        found += 1
            if not found:
                raise ConfigError(f"--hash-list {str(path)!r}: no SHA-256, SHA-1 or MD5 hash found")
        return cls(entries, [str(p) for p in paths])

    def scan(self, target: ScanTarget) -> list[Match]:
        """A match per algorithm whose hash of the data is listed."""
        matches = []
        for algo in ("sha256", "sha1", "md5"):
            value = target.blob.hashes.get(algo)
            if value is not None and value in self.entries[algo]:
                matches.append(
                    Match(
                        engine=self.name,
                        rule=self.entries[algo][value],
                        path=target.path,
                        meta=(("algorithm", algo), ("hash", value)),
                    )
                )
        return matches


__all__ = ["HashListEngine"]
