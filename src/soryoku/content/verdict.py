"""The verdict of one scanned object, the matches behind it, and the limits of a scan."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """Exactly one per object. Only ``clean`` means "nothing found and everything was looked at"."""

    CLEAN = "clean"
    MALICIOUS = "malicious"
    UNSCANNABLE = "unscannable"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Match:
    """One engine's hit: which rule or signature, and where (``path`` inside nested archives)."""

    engine: str
    rule: str
    path: str = ""
    namespace: str = ""
    meta: tuple[tuple[str, Any], ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def author(self) -> str | None:
        """The rule's ``author`` meta (DRL 1.1 asks that messages based on a match keep it)."""
        value = dict(self.meta).get("author")
        return str(value) if value is not None else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (meta as a mapping)."""
        out: dict[str, Any] = {"engine": self.engine, "rule": self.rule, "path": self.path}
        if self.namespace:
            out["namespace"] = self.namespace
        if self.meta:
            out["meta"] = dict(self.meta)
        if self.tags:
            out["tags"] = list(self.tags)
        return out


@dataclass(frozen=True, slots=True)
class Limits:
    """What a scan may expand; past any of them the object is ``unscannable``, never ``clean``.

    ``max_object_bytes`` bounds the object itself; ``max_expanded_bytes`` everything unpacked from
    it; ``max_ratio`` the expanded/compressed ratio of one archive once it expanded more than
    ``ratio_floor_bytes`` (small, highly compressible files are not bombs).
    """

    max_object_bytes: int = 2 * 1024**3
    max_depth: int = 5
    max_members: int = 10_000
    max_expanded_bytes: int = 4 * 1024**3
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1024 * 1024
    memory_threshold: int = 16 * 1024 * 1024


@dataclass(slots=True)
class ObjectResult:
    """The outcome of scanning one object (a file or one S3 object version)."""

    uri: str
    version: str | None = None
    verdict: Verdict = Verdict.CLEAN
    reasons: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    bytes_scanned: int = 0
    members: int = 0
    seconds: float = 0.0
    filetype: str = ""
    sha256: str | None = None
    size: int | None = None
    access_denied: bool = False
    missing: bool = False

    @property
    def key(self) -> str:
        """The evidence key: uri plus version, when there is one."""
        return f"{self.uri}?versionId={self.version}" if self.version else self.uri

    def to_audit(self) -> dict[str, Any]:
        """One line of the per-object audit log."""
        return {
            "uri": self.uri,
            "version": self.version,
            "verdict": self.verdict.value,
            "reasons": list(self.reasons),
            "matches": [m.to_dict() for m in self.matches],
            "bytes_scanned": self.bytes_scanned,
            "members": self.members,
            "seconds": round(self.seconds, 6),
            "filetype": self.filetype,
            "sha256": self.sha256,
            "size": self.size,
            "access_denied": self.access_denied,
            "missing": self.missing,
        }


def decide(matches: list[Match], unscannable: list[str], errors: list[str]) -> Verdict:
    """One verdict from everything seen: a match is certain, so it outranks what could not be seen."""
    if matches:
        return Verdict.MALICIOUS
    if errors:
        return Verdict.ERROR
    if unscannable:
        return Verdict.UNSCANNABLE
    return Verdict.CLEAN


__all__ = ["Limits", "Match", "ObjectResult", "Verdict", "decide"]
