"""Read advisory sources from disk: OSV JSON/YAML files, folders of them, OSV zip archives,
RustSec Markdown, Debian security tracker DSA/DLA lists, Alpine secdb YAML, and the CISA KEV catalog.

Every item read becomes an ``Advisory``, a ``Withdrawn`` marker, a ``KevEntry``, an ``EpssScore``
(FIRST's EPSS CSV, plain or gzip) or a ``Skipped``
note (a file that is not an advisory, with the reason), so an import can account for each file.
"""

from __future__ import annotations

import gzip
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from soryoku.core.errors import InputError
from soryoku.vuln.advisories.alpine_secdb import advisories_from_secdb, is_secdb
from soryoku.vuln.advisories.debian_tracker import advisories_from_tracker_list, looks_like_tracker_list
from soryoku.vuln.advisories.records import Advisory, Withdrawn, advisory_from_osv
from soryoku.vuln.advisories.rustsec import advisory_from_rustsec

# PyPA's YAML has unquoted versions such as 1.10: only a loader that keeps every scalar a string
# reads them right (the safe loader would make a float 1.1 of it).
_YAML_LOADER: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass(frozen=True, slots=True)
class KevEntry:
    """One CISA Known Exploited Vulnerabilities catalog entry."""

    cve: str
    date_added: str
    due_date: str
    ransomware: str
    name: str


@dataclass(frozen=True, slots=True)
class EpssScore:
    """One CVE's EPSS probability of exploitation in the next 30 days, and its percentile."""

    cve: str
    score: float
    percentile: float


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was read but holds no advisory (schema files, unrelated JSON), and why."""

    origin: str
    reason: str


Item = Advisory | Withdrawn | KevEntry | EpssScore | Skipped

_ADVISORY_SUFFIXES = {".json", ".yaml", ".yml", ".md", ".zip", ".csv", ".gz"}


def _epss(text: str, origin: str) -> Iterator[EpssScore]:
    """``cve,epss,percentile`` rows (a leading ``#model_version…`` comment line is allowed)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines or lines[0].replace(" ", "").lower() != "cve,epss,percentile":
        raise InputError(f"{origin}: not an EPSS CSV (expected the header cve,epss,percentile)")
    for number, line in enumerate(lines[1:], start=2):
        cve, _, rest = line.partition(",")
        score, _, percentile = rest.partition(",")
        try:
            yield EpssScore(cve.strip(), float(score), float(percentile))
        except ValueError:
            raise InputError(f"{origin}: line {number}: expected cve,score,percentile") from None


def _decode_json(data: bytes, origin: str) -> Any:
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{origin}: invalid JSON: {exc}") from exc


def _decode_yaml(data: bytes, origin: str) -> Any:
    try:
        return yaml.load(data, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise InputError(f"{origin}: invalid YAML: {exc}") from exc


def _kev_entries(document: dict[str, Any]) -> Iterator[KevEntry]:
    for entry in document.get("vulnerabilities") or []:
        if isinstance(entry, dict) and isinstance(entry.get("cveID"), str):
            yield KevEntry(
                cve=entry["cveID"],
                date_added=str(entry.get("dateAdded") or ""),
                due_date=str(entry.get("dueDate") or ""),
                ransomware=str(entry.get("knownRansomwareCampaignUse") or ""),
                name=str(entry.get("vulnerabilityName") or ""),
            )


def _is_kev(document: Any) -> bool:
    entries = document.get("vulnerabilities") if isinstance(document, dict) else None
    return (
        isinstance(entries, list) and bool(entries) and isinstance(entries[0], dict) and "cveID" in entries[0]
    )


def _from_document(document: Any, origin: str) -> Iterator[Item]:
    if _is_kev(document):
        yield from _kev_entries(document)
    elif is_secdb(document):
        yield from advisories_from_secdb(document, origin)
    elif isinstance(document, dict) and isinstance(document.get("id"), str):
        yield advisory_from_osv(document, origin)
    elif isinstance(document, list) and all(isinstance(d, dict) and "id" in d for d in document):
        for index, record in enumerate(document):
            yield advisory_from_osv(record, f"{origin}[{index}]")
    else:
        yield Skipped(origin, "not an OSV record or KEV catalog")


def read_bytes(data: bytes, origin: str) -> Iterator[Item]:
    """Parse one file's bytes, chosen by the name in ``origin``."""
    suffix = Path(origin).suffix.lower()
    if suffix == ".gz" and origin.lower().endswith(".csv.gz"):
        try:
            text = gzip.decompress(data).decode("utf-8", errors="replace")
        except (OSError, EOFError) as exc:
            raise InputError(f"{origin}: not a readable gzip file ({exc})") from exc
        yield from _epss(text, origin)
    elif suffix == ".csv":
        yield from _epss(data.decode("utf-8", errors="replace"), origin)
    elif suffix == ".json":
        yield from _from_document(_decode_json(data, origin), origin)
    elif suffix in {".yaml", ".yml"}:
        yield from _from_document(_decode_yaml(data, origin), origin)
    elif suffix == ".md":
        text = data.decode("utf-8", errors="replace")
        if "```toml" not in text:
            yield Skipped(origin, "Markdown without a RustSec front matter")
        else:
            yield advisory_from_rustsec(text, origin)
    elif Path(origin).name == "list" and looks_like_tracker_list(data[:512]):
        yield from advisories_from_tracker_list(data.decode("utf-8", errors="replace"), origin)
    else:
        yield Skipped(origin, f"unsupported file type {suffix or '(none)'}")


def read_zip(path: Path) -> Iterator[Item]:
    """Every JSON/YAML member of an OSV archive (e.g. ``PyPI/all.zip`` from osv-vulnerabilities)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: not a readable zip archive ({exc})") from exc
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            origin = f"{path}!{info.filename}"
            if Path(info.filename).suffix.lower() not in {".json", ".yaml", ".yml"}:
                yield Skipped(origin, "not a JSON/YAML member")
                continue
            yield from read_bytes(archive.read(info), origin)


def _walk(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if (Path(name).suffix.lower() in _ADVISORY_SUFFIXES or name == "list") and not name.startswith(
                "."
            ):
                yield Path(root) / name


def read_path(path: Path) -> Iterator[Item]:
    """Everything in a file, zip archive or folder (recursively, hidden entries skipped)."""
    if path.is_dir():
        for file in _walk(path):
            yield from read_path(file)
    elif path.is_file():
        if path.suffix.lower() == ".zip":
            yield from read_zip(path)
        else:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
            yield from read_bytes(data, str(path))
    else:
        raise InputError(f"{path}: no such file or folder (expected OSV files, a zip or a KEV catalog)")


def read_paths(paths: Iterable[Path]) -> Iterator[Item]:
    """``read_path`` over several paths, in order."""
    for path in paths:
        yield from read_path(path)


__all__ = ["EpssScore", "Item", "KevEntry", "Skipped", "read_bytes", "read_path", "read_paths", "read_zip"]
