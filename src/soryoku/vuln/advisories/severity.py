"""Severity of an advisory from its CVSS vectors (scored by the ``cvss`` library) or its labels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

from soryoku.core.severity import Severity

# Newest scoring system first: when a record carries several, the newest one speaks.
_CVSS_TYPES = ("CVSS_V4", "CVSS_V3", "CVSS_V2")

_LABELS = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "important": Severity.HIGH,
    "moderate": Severity.MEDIUM,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "negligible": Severity.INFORMATIONAL,
    "unimportant": Severity.INFORMATIONAL,
    "none": Severity.INFORMATIONAL,
}


@dataclass(frozen=True, slots=True)
class Rating:
    """The severity of an advisory and where it came from."""

    severity: Severity
    score: float | None = None
    vector: str | None = None


UNRATED = Rating(Severity.UNKNOWN)


def severity_of_score(score: float) -> Severity:
    """CVSS qualitative rating of a base score (v3/v4 scale)."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    if score > 0.0:
        return Severity.LOW
    return Severity.INFORMATIONAL


@lru_cache(maxsize=65_536)
def score_vector(kind: str, vector: str) -> float | None:
    """The base score of a CVSS vector, or ``None`` when the vector is malformed."""
    try:
        if kind == "CVSS_V4":
            return float(CVSS4(vector).base_score)
        if kind == "CVSS_V3":
            return float(CVSS3(vector).scores()[0])
        if kind == "CVSS_V2":
            return float(CVSS2(vector).scores()[0])
    except (CVSSError, ValueError, KeyError, IndexError):
        return None
    return None


def label_severity(label: str) -> Severity | None:
    """A distro or database label (``HIGH``, ``moderate``, ``important`` …) as a Severity."""
    return _LABELS.get(label.strip().lower())


def rate(severity_entries: list[dict[str, Any]], labels: list[str]) -> Rating:
    """Rate an OSV record: its CVSS vectors first (newest system first), then its labels."""
    by_type = {str(e.get("type", "")): str(e.get("score", "")) for e in severity_entries}
    for kind in _CVSS_TYPES:
        vector = by_type.get(kind)
        if vector:
            score = score_vector(kind, vector)
            if score is not None:
                return Rating(severity_of_score(score), score, vector)
    for kind, value in by_type.items():
        if kind not in _CVSS_TYPES and (found := label_severity(value)) is not None:
            return Rating(found)
    ranked = [s for s in (label_severity(label) for label in labels) if s is not None]
    return Rating(max(ranked)) if ranked else UNRATED


__all__ = ["UNRATED", "Rating", "label_severity", "rate", "score_vector", "severity_of_score"]
