"""The finding lifecycle as pure functions: what one run does to what the store knew before.

* A FAIL seen for the first time, or again after it was resolved, is NEW (it counts as new).
* A FAIL still open stays NEW (OCSF "New": not yet resolved); a muted one is SUPPRESSED.
* A PASS whose earlier FAIL is not yet resolved resolves it (RESOLVED, with the resolved time);
  a PASS of a finding that failed before and was already resolved stays RESOLVED.
* A FAIL of the same (engine, scope) missing from a later *complete* run is resolved; an
  incomplete run resolves nothing by absence.
* NOT_EVALUATED says nothing about the finding: an open FAIL stays open, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from soryoku.core.finding import Finding, ResultStatus, WorkflowStatus


class Change(StrEnum):
    """What a run did to one finding."""

    NEW = "new"  # a FAIL not open before: first seen, reopened, or no longer suppressed
    OPEN = "open"  # a FAIL that was open and still is
    SUPPRESSED = "suppressed"  # a FAIL muted by the mutelist
    RESOLVED = "resolved"  # an unresolved FAIL that now passes
    PASS = "pass"  # a PASS with nothing to resolve
    UNKNOWN = "unknown"  # NOT_EVALUATED: the stored state is kept


@dataclass(frozen=True, slots=True)
class PriorState:
    """What the store knew about a finding before this run."""

    status_code: ResultStatus
    status_id: WorkflowStatus
    first_seen_ms: int
    resolved_ms: int | None

    @property
    def unresolved_fail(self) -> bool:
        """A FAIL not resolved yet (open or suppressed)."""
        return self.status_code is ResultStatus.FAIL and self.status_id is not WorkflowStatus.RESOLVED

    @property
    def open(self) -> bool:
        """A FAIL that is neither resolved nor suppressed."""
        return self.unresolved_fail and self.status_id is not WorkflowStatus.SUPPRESSED


@dataclass(frozen=True, slots=True)
class Transition:
    """One finding after this run: the finding to report, its change, and what to store."""

    finding: Finding
    change: Change
    resolved_ms: int | None
    keep_stored: bool = False  # NOT_EVALUATED over an unresolved FAIL: the stored row stays as it is


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per uid, in first-seen order; a FAIL outranks other verdicts of the same uid."""
    chosen: dict[str, Finding] = {}
    for finding in findings:
        current = chosen.get(finding.uid)
        if current is None or current.status_code is not ResultStatus.FAIL:
            chosen[finding.uid] = finding
    return list(chosen.values())


def transition(finding: Finding, prior: PriorState | None, seen_ms: int) -> Transition:
    """Apply the lifecycle to one finding of this run (muted findings arrive SUPPRESSED)."""
    muted = finding.status_id is WorkflowStatus.SUPPRESSED
    first_seen = prior.first_seen_ms if prior else seen_ms
    resolved_ms: int | None = None
    keep_stored = False
    status = finding.status_code
    if status is ResultStatus.FAIL:
        workflow = WorkflowStatus.SUPPRESSED if muted else WorkflowStatus.NEW
        if muted:
            change = Change.SUPPRESSED
        else:
            change = Change.OPEN if prior is not None and prior.open else Change.NEW
    elif status is ResultStatus.PASS:
        if prior is not None and prior.unresolved_fail:
            workflow, change, resolved_ms = WorkflowStatus.RESOLVED, Change.RESOLVED, seen_ms
        elif prior is not None and prior.status_id is WorkflowStatus.RESOLVED:
            workflow, change, resolved_ms = WorkflowStatus.RESOLVED, Change.PASS, prior.resolved_ms
        else:
            workflow = WorkflowStatus.SUPPRESSED if muted else WorkflowStatus.NEW
            change = Change.PASS
    else:
        change = Change.UNKNOWN
        if prior is not None and prior.unresolved_fail:
            workflow, keep_stored = prior.status_id, True
        else:
            workflow = WorkflowStatus.SUPPRESSED if muted else WorkflowStatus.NEW
    info = finding.finding_info.model_copy(update={"first_seen_time": first_seen, "last_seen_time": seen_ms})
    updated = finding.model_copy(update={"status_id": workflow, "finding_info": info})
    return Transition(finding=updated, change=change, resolved_ms=resolved_ms, keep_stored=keep_stored)


def apply_lifecycle(
    findings: Iterable[Finding], prior: Mapping[str, PriorState], seen_ms: int
) -> list[Transition]:
    """The transitions of a run's (deduplicated) findings given the stored prior states."""
    return [transition(f, prior.get(f.uid), seen_ms) for f in dedupe(findings)]


def resolved_by_absence(
    unresolved_fail_uids: Iterable[str], seen_uids: set[str], complete: bool
) -> list[str]:
    """Unresolved FAILs of the run's (engine, scope) that a complete run did not see again."""
    if not complete:
        return []
    return sorted(uid for uid in unresolved_fail_uids if uid not in seen_uids)


def activity_span(finding: Finding) -> tuple[int, int] | None:
    """When the activity a finding reports happened (OCSF ``start_time``/``end_time``, ms), if it says.

    A time-windowed run (detect's ``--since``/``--until``) covers a stored finding only when this
    span lies inside its window: activity outside it was not looked at, so its absence proves nothing.
    """
    first = finding.start_time if finding.start_time is not None else finding.end_time
    last = finding.end_time if finding.end_time is not None else finding.start_time
    return (first, last) if first is not None and last is not None else None


__all__ = [
    "Change",
    "PriorState",
    "Transition",
    "activity_span",
    "apply_lifecycle",
    "dedupe",
    "resolved_by_absence",
    "transition",
]
