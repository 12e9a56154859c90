"""Advisories as soryoku keeps them, and the conversion of OSV records into them (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from soryoku.core.errors import InputError
from soryoku.core.severity import Severity
from soryoku.vuln.advisories.severity import Rating, rate
from soryoku.vuln.ecosystems import normalise_name, split_osv_ecosystem


@dataclass(frozen=True, slots=True)
class Affected:
    """One package an advisory affects: the version ranges and the explicit versions.

    ``ranges`` keeps OSV's range objects (``type`` + ``events``); RustSec advisories use a range
    of type ``RUSTSEC`` with ``patched``/``unaffected`` requirement lists instead of events.
    """

    ecosystem: str
    release: str
    name: str
    ranges: tuple[dict[str, Any], ...]
    versions: tuple[str, ...]
    purl: str | None = None


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """An advisory its publisher withdrew: ignored, and removed from the database if present."""

    id: str


@dataclass(frozen=True, slots=True)
class Advisory:
    """One advisory record (OSV, RustSec …) reduced to what matching and reporting need."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    details: str
    rating: Rating
    published: str
    modified: str
    references: tuple[str, ...]
    affected: tuple[Affected, ...]

    @property
    def severity(self) -> Severity:
        """The rated severity."""
        return self.rating.severity


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(v) for v in value if v is not None]


def _label(block: Any) -> list[str]:
    if isinstance(block, dict) and isinstance(block.get("severity"), str):
        return [block["severity"]]
    return []


def advisory_from_osv(record: dict[str, Any], origin: str) -> Advisory | Withdrawn:
    """Convert an OSV record (``Withdrawn`` when it is). InputError names ``origin`` if invalid."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise InputError(f"{origin}: not an OSV record (expected a mapping with an 'id')")
    if record.get("withdrawn"):
        return Withdrawn(record["id"])
    labels = _label(record.get("database_specific"))
    affected: list[Affected] = []
    for entry in record.get("affected") or []:
        if not isinstance(entry, dict):
            continue
        package = entry.get("package") or {}
        eco_name, name = str(package.get("ecosystem", "")), str(package.get("name", ""))
        if not eco_name or not name:
            continue
        key, release = split_osv_ecosystem(eco_name)
        labels += _label(entry.get("ecosystem_specific")) + _label(entry.get("database_specific"))
        ranges = tuple(
            {"type": str(r.get("type", "")), "events": [dict(e) for e in r.get("events") or []]}
            for r in entry.get("ranges") or []
            if isinstance(r, dict)
        )
        affected.append(
            Affected(
                ecosystem=key,
                release=release,
                name=normalise_name(key, name),
                ranges=ranges,
                versions=tuple(_strings(entry.get("versions"))),
                purl=package.get("purl"),
            )
        )
    references = tuple(
        str(r["url"]) for r in record.get("references") or [] if isinstance(r, dict) and "url" in r
    )
    return Advisory(
        id=record["id"],
        aliases=tuple(a for a in _strings(record.get("aliases")) if a != record["id"]),
        summary=str(record.get("summary") or ""),
        details=str(record.get("details") or ""),
        rating=rate([s for s in record.get("severity") or [] if isinstance(s, dict)], labels),
        published=str(record.get("published") or ""),
        modified=str(record.get("modified") or ""),
        references=references,
        affected=tuple(affected),
    )


__all__ = ["Advisory", "Affected", "Withdrawn", "advisory_from_osv"]
