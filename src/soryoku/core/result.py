"""What an engine hands back: findings plus an honest account of what it could not evaluate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from soryoku.core.finding import Finding


@dataclass(frozen=True, slots=True)
class Gap:
    """Something an engine could not evaluate, and why (shown in every output, never dropped).

    ``scope`` names where (e.g. ``123456789012/eu-west-1/s3`` or a file path); ``reason`` says why
    (``AccessDenied: …``, ``region not enabled``, ``API not available``, ``encrypted archive``).
    ``checks`` lists the checks/rules that were therefore not evaluated, when known.
    """

    engine: str
    scope: str
    reason: str
    checks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    """The part of its scope a run evaluated, when that is less than the whole scope.

    A run restricted by ``--checks``/``--services``/``--region`` (or a fix's re-check) sees only part
    of what an earlier full run saw; only stored findings inside its coverage can be resolved by
    their absence. ``checks`` maps each evaluated check id to the regions it was evaluated in, or
    to None when it was evaluated everywhere it applies (a global check); ``checks=None`` means
    every check. ``since_ms``/``until_ms`` bound the activity a time-windowed run looked at (detect's
    ``--since``/``--until``): a finding is inside only when its whole activity (first to last seen)
    falls in ``[since_ms, until_ms)``.
    """

    checks: Mapping[str, frozenset[str] | None] | None = None
    since_ms: int | None = None
    until_ms: int | None = None

    @property
    def timed(self) -> bool:
        """True when the run looked at a time window (covering needs each finding's activity span)."""
        return self.since_ms is not None or self.until_ms is not None

    def covers(self, check_id: str, region: str | None, span: tuple[int, int] | None = None) -> bool:
        """True when the run evaluated ``check_id`` in ``region`` (and, if timed, the activity ``span``)."""
        if self.checks is not None:
            if check_id not in self.checks:
                return False
            regions = self.checks[check_id]
            if regions is not None and (region or "") not in regions:
                return False
        if not self.timed:
            return True
        if span is None:  # a finding with no activity time cannot be placed inside the window
            return False
        first, last = span
        return (self.since_ms is None or first >= self.since_ms) and (
            self.until_ms is None or last < self.until_ms
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (regions sorted), as stored with the run."""
        data: dict[str, Any] = {
            "checks": None
            if self.checks is None
            else {
                check: sorted(regions) if regions is not None else None
                for check, regions in sorted(self.checks.items())
            }
        }
        if self.timed:
            data["since_ms"], data["until_ms"] = self.since_ms, self.until_ms
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Coverage:
        """The inverse of ``to_json``."""
        checks = data.get("checks")
        return cls(
            None
            if checks is None
            else {
                str(check): frozenset(regions) if regions is not None else None
                for check, regions in dict(checks).items()
            },
            data.get("since_ms"),
            data.get("until_ms"),
        )


@dataclass(slots=True)
class ScanResult:
    """The outcome of one engine over one scope: a run of the hub."""

    engine: str
    scope: str
    findings: list[Finding] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    started_ms: int = 0
    finished_ms: int = 0
    coverage: Coverage | None = None  # None: the run covered its whole scope

    @property
    def complete(self) -> bool:
        """True when every part of what the run set out to evaluate was evaluated."""
        return not self.gaps

    def extend(self, other: ScanResult) -> None:
        """Add another result's findings and gaps to this one."""
        self.findings.extend(other.findings)
        self.gaps.extend(other.gaps)


__all__ = ["Coverage", "Gap", "ScanResult"]
