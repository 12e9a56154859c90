"""What the store answers about runs: a recorded run's summary, its listing, and a diff of two runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from soryoku.core.finding import Finding
from soryoku.core.result import Coverage, Gap


@dataclass(frozen=True, slots=True)
class RunSummary:
    """The outcome of recording one run.

    ``findings`` are the run's findings with the lifecycle applied (status_id, first/last seen);
    ``new`` are uids of FAILs that were not open before; ``resolved`` uids this run resolved.
    """

    run_id: str
    engine: str
    scope: str
    complete: bool
    findings: list[Finding] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One recorded run, as listed by ``Store.runs``."""

    run_id: str
    engine: str
    scope: str
    started_ms: int
    finished_ms: int
    complete: bool
    gaps: tuple[Gap, ...]
    coverage: Coverage | None  # None: the run covered its whole scope
    finding_count: int
    fail_count: int
    pass_count: int
    suppressed_count: int
    new_count: int
    resolved_count: int


@dataclass(frozen=True, slots=True)
class RunDiff:
    """What changed from ``run_a`` to ``run_b``.

    ``new``: FAILs open in b that were not open in a. ``resolved``: FAILs open in a that pass in b,
    or that b (complete, same engine and scope) did not see again within its coverage.
    ``still_open``: open in both.
    """

    run_a: RunInfo
    run_b: RunInfo
    new: list[Finding]
    resolved: list[Finding]
    still_open: list[Finding]


__all__ = ["RunDiff", "RunInfo", "RunSummary"]
