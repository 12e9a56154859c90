"""The columnar log store: Parquet files partitioned by source/account/region/day, and its state.

``<root>/<source>/account=<id>/region=<name>/day=<YYYY-MM-DD>/<batch>-<n>.parquet`` — the same
layout Athena or Trino can read from S3. The state file records which input objects were already
normalised (key + version), so a re-run reads only new files.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from soryoku.core.errors import ConfigError, InputError

SOURCES = ("cloudtrail", "flow", "dns")
_STATE_VERSION = 1
# Above this many part files a summary is merged into one when an ingest ends.
_COMPACT_AT = 16


@dataclass(slots=True)
class LogStore:
    """A folder of Parquet partitions per source."""

    root: Path

    def __post_init__(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"--store {str(self.root)!r}: is a file, expected a folder")

    def source_dir(self, source: str) -> Path:
        """The folder of one source's partitions."""
        return self.root / source

    def has(self, source: str) -> bool:
        """True when the source has at least one Parquet file."""
        directory = self.source_dir(source)
        return directory.is_dir() and any(directory.rglob("*.parquet"))

    def glob(self, source: str) -> str:
        """The glob DuckDB reads the source from."""
        return str(self.source_dir(source) / "**" / "*.parquet")

    @property
    def summaries_dir(self) -> Path:
        """The folder of the CloudTrail summaries (``soryoku.detect.summaries``)."""
        return self.root / "summaries"

    @property
    def manifest_path(self) -> Path:
        """What the summaries cover."""
        return self.summaries_dir / "manifest.json"

    def summary_files(self, name: str) -> list[Path]:
        """The part files of one summary."""
        folder = self.summaries_dir / name
        return sorted(folder.glob("*.parquet")) if folder.is_dir() else []

    def summary_glob(self, name: str) -> str:
        """The glob DuckDB reads one summary's parts from."""
        return str(self.summaries_dir / name / "*.parquet")

    def write_summary(self, name: str, table: pa.Table) -> None:
        """Add one batch's part of a summary."""
        if table.num_rows == 0:
            return
        folder = self.summaries_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f"{uuid.uuid4().hex}.parquet"
        written = part.with_suffix(".writing")  # not globbed: a crash mid-write leaves no part
        pq.write_table(table, written, compression="zstd")
        written.replace(part)

    def compact_summary(self, name: str, merge: Callable[[list[Path], Path], None]) -> None:
        """Merge a summary's parts into one file once there are many (``merge`` writes the reduced parts).

        Crash-safe: the merged file is written under a pending name next to a list of the parts it
        replaces; the parts are deleted, then the file is renamed. ``recover`` finishes an
        interrupted merge.
        """
        self.recover(name)
        parts = self.summary_files(name)
        if len(parts) <= _COMPACT_AT:
            return
        folder = self.summaries_dir / name
        stem = f"merged-{uuid.uuid4().hex}"
        merge(parts, folder / f"{stem}.pending")
        (folder / f"{stem}.replaces").write_text("\n".join(p.name for p in parts), encoding="utf-8")
        self.recover(name)

    def recover(self, name: str) -> None:
        """Finish merges of one summary that were interrupted (see ``compact_summary``)."""
        folder = self.summaries_dir / name
        if not folder.is_dir():
            return
        for listing in sorted(folder.glob("*.replaces")):
            for part in listing.read_text(encoding="utf-8").splitlines():
                (folder / part).unlink(missing_ok=True)
            pending = listing.with_suffix(".pending")
            if pending.exists():
                pending.replace(listing.with_suffix(".parquet"))
            listing.unlink()
        for orphan in folder.glob("*.pending"):  # written, but its merge never started
            orphan.unlink()

    def write(self, source: str, table: pa.Table) -> None:
        """Append ``table`` to the source's partitions (one new file per partition touched)."""
        if table.num_rows == 0:
            return
        days = pc.cast(pc.cast(table.column("time"), pa.date32()), pa.string())
        accounts = pc.fill_null(table.column("account"), "unknown")
        regions = pc.fill_null(table.column("region"), "unknown")
        keys = pa.table({"account": accounts, "region": regions, "day": days})
        combos = keys.group_by(["account", "region", "day"]).aggregate([]).to_pylist()
        batch = uuid.uuid4().hex
        for combo in combos:
            if len(combos) == 1:
                part = table
            else:
                mask = pc.and_(
                    pc.and_(pc.equal(accounts, combo["account"]), pc.equal(regions, combo["region"])),
                    pc.equal(days, combo["day"]),
                )
                part = table.filter(mask)
            folder = (
                self.source_dir(source)
                / f"account={combo['account']}"
                / f"region={combo['region']}"
                / f"day={combo['day']}"
            )
            folder.mkdir(parents=True, exist_ok=True)
            # Partition values live in the path (hive layout); readers add them back as columns.
            stored = part.drop_columns(["account", "region"])
            pq.write_table(
                stored,
                folder / f"{batch}.parquet",
                compression="zstd",
                row_group_size=128 * 1024,
                **_encodings(stored.schema),
            )


# Columns unique (or nearly) per record: a dictionary would not pay for building it.
_UNIQUE = frozenset({"time", "event_id", "key"})


def _encodings(schema: pa.Schema) -> dict[str, list[str]]:
    """Dictionaries for the repetitive columns only, and no min/max statistics for the JSON texts
    (kilobytes long, never filtered on): both cost CPU at every write for nothing."""
    small = [f.name for f in schema if not pa.types.is_large_string(f.type)]
    return {"use_dictionary": [n for n in small if n not in _UNIQUE], "write_statistics": small}


@dataclass(slots=True)
class IngestState:
    """Which input objects were normalised already: ``{location: {key: version}}``."""

    path: Path
    seen: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> IngestState:
        """Read the state file (a missing file is an empty state)."""
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ConfigError(f"--state {str(path)!r}: unreadable state file ({error})") from error
        if not isinstance(data, dict) or data.get("version") != _STATE_VERSION:
            raise ConfigError(f"--state {str(path)!r}: not a soryoku detect state file (version 1)")
        seen = data.get("seen", {})
        return cls(path, {str(k): {str(a): str(b) for a, b in v.items()} for k, v in seen.items()})

    def is_new(self, location: str, key: str, version: str) -> bool:
        """True when this object (or this version of it) was not normalised yet."""
        return self.seen.get(location, {}).get(key) != version

    def mark(self, location: str, key: str, version: str) -> None:
        """Record an object as normalised."""
        self.seen.setdefault(location, {})[key] = version

    def save(self) -> None:
        """Write the state atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(json.dumps({"version": _STATE_VERSION, "seen": self.seen}), encoding="utf-8")
        tmp.replace(self.path)
