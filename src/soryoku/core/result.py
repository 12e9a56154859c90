"""What an engine hands back: findings plus an honest account of what it could not evaluate."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(slots=True)
class ScanResult:
    """The outcome of one engine over one scope: a run of the hub."""

    engine: str
    scope: str
    findings: list[Finding] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    started_ms: int = 0
    finished_ms: int = 0

    @property
    def complete(self) -> bool:
        """True when every part of the scope was evaluated."""
        return not self.gaps

    def extend(self, other: ScanResult) -> None:
        """Add another result's findings and gaps to this one."""
        self.findings.extend(other.findings)
        self.gaps.extend(other.gaps)


__all__ = ["Gap", "ScanResult"]
