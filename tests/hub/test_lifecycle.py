"""The lifecycle rules as pure functions, one transition at a time (no database)."""

from __future__ import annotations

import pytest

from soryoku.core.finding import ResultStatus, WorkflowStatus
from soryoku.hub.lifecycle import Change, PriorState, apply_lifecycle, dedupe, resolved_by_absence, transition

from .factories import posture

FAIL, PASS, NE = ResultStatus.FAIL, ResultStatus.PASS, ResultStatus.NOT_EVALUATED
NEW, SUPP, RES = WorkflowStatus.NEW, WorkflowStatus.SUPPRESSED, WorkflowStatus.RESOLVED
NOW = 2_000


def _prior(code: ResultStatus, status: WorkflowStatus, resolved: int | None = None) -> PriorState:
    return PriorState(code, status, first_seen_ms=1_000, resolved_ms=resolved)


@pytest.mark.parametrize(
    ("verdict", "muted", "prior", "status", "change", "resolved_ms"),
    [
        (FAIL, False, None, NEW, Change.NEW, None),
        (FAIL, False, _prior(FAIL, NEW), NEW, Change.OPEN, None),
        (FAIL, False, _prior(FAIL, RES, 1_500), NEW, Change.NEW, None),  # reopened
        (FAIL, False, _prior(FAIL, SUPP), NEW, Change.NEW, None),  # suppression lifted
        (FAIL, False, _prior(PASS, NEW), NEW, Change.NEW, None),
        (FAIL, True, _prior(FAIL, NEW), SUPP, Change.SUPPRESSED, None),
        (FAIL, True, None, SUPP, Change.SUPPRESSED, None),
        (PASS, False, None, NEW, Change.PASS, None),
        (PASS, False, _prior(FAIL, NEW), RES, Change.RESOLVED, NOW),
        (PASS, True, _prior(FAIL, SUPP), RES, Change.RESOLVED, NOW),  # fixed while muted
        (PASS, False, _prior(PASS, RES, 1_500), RES, Change.PASS, 1_500),  # stays resolved
        (PASS, True, _prior(PASS, NEW), SUPP, Change.PASS, None),
        (NE, False, _prior(FAIL, NEW), NEW, Change.UNKNOWN, None),
        (NE, False, None, NEW, Change.UNKNOWN, None),
    ],
)
def test_transition(
    verdict: ResultStatus,
    muted: bool,
    prior: PriorState | None,
    status: WorkflowStatus,
    change: Change,
    resolved_ms: int | None,
) -> None:
    finding = posture("c", "b", verdict)
    if muted:
        finding = finding.model_copy(update={"status_id": SUPP})
    result = transition(finding, prior, NOW)
    assert (result.finding.status_id, result.change, result.resolved_ms) == (status, change, resolved_ms)
    assert result.finding.finding_info.first_seen_time == (prior.first_seen_ms if prior else NOW)
    assert result.finding.finding_info.last_seen_time == NOW
    assert result.keep_stored is (verdict is NE and prior is not None and prior.unresolved_fail)
    assert finding.finding_info.first_seen_time is None  # the input is left alone


def test_dedupe_prefers_fail_and_keeps_order() -> None:
    a_pass, a_fail, b = posture("a", "x", PASS), posture("a", "x", FAIL), posture("b", "x", PASS)
    assert dedupe([a_pass, b, a_fail, posture("a", "x", PASS)]) == [a_fail, b]


def test_absence_resolves_only_in_complete_runs() -> None:
    assert resolved_by_absence(["u2", "u1", "u3"], {"u3"}, complete=True) == ["u1", "u2"]
    assert resolved_by_absence(["u1"], set(), complete=False) == []


def test_apply_lifecycle_uses_each_prior() -> None:
    known, fresh = posture("k", "b"), posture("f", "b")
    out = apply_lifecycle([known, fresh], {known.uid: _prior(FAIL, NEW)}, NOW)
    assert [t.change for t in out] == [Change.OPEN, Change.NEW]
