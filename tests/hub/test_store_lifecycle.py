"""The full lifecycle on a real store: new → still open → resolved → reopened → suppressed → expired.

Every test runs on a SQLite file and on the local PostgreSQL (skipped with the reason when absent).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from soryoku.core.errors import InputError
from soryoku.core.finding import ResultStatus, WorkflowStatus
from soryoku.core.result import Gap
from soryoku.hub.mutelist import parse_mutelist
from soryoku.hub.store import open_store

from .factories import at, posture, run

FAIL, PASS, NOT_EVALUATED = ResultStatus.FAIL, ResultStatus.PASS, ResultStatus.NOT_EVALUATED


def test_full_lifecycle(db: str) -> None:
    b1, b2, b3 = posture("c1", "b1"), posture("c2", "b2"), posture("c3", "b3", PASS)
    mute_c1 = parse_mutelist(
        "rules:\n  - {id: accepted, reason: 'risk accepted in SEC-1', checks: [c1], expires: 2026-11-07}\n"
    )
    with open_store(db) as store:
        # day 1: first seen
        first = store.record(run([b1, b2, b3], 1))
        assert sorted(first.new) == sorted([b1.uid, b2.uid])
        assert first.resolved == []
        assert {f.uid: f.status_id for f in first.findings} == {
            b1.uid: WorkflowStatus.NEW,
            b2.uid: WorkflowStatus.NEW,
            b3.uid: WorkflowStatus.NEW,
        }
        assert all(f.finding_info.first_seen_time == at(1) for f in first.findings)

        # day 2: still open, nothing new, first_seen kept
        second = store.record(run([b1, b2], 2))
        assert second.new == [] and second.resolved == []
        current = {f.uid: f for f in store.current_findings()}
        assert set(current) == {b1.uid, b2.uid}
        assert current[b1.uid].finding_info.first_seen_time == at(1)
        assert current[b1.uid].finding_info.last_seen_time == at(2)

        # day 3: an incomplete run that misses b2 resolves nothing
        gap = Gap("posture", "123456789012/eu-west-1/s3", "AccessDenied: s3:ListAllMyBuckets", ("c2",))
        third = store.record(run([b1], 3, gaps=[gap]))
        assert third.resolved == [] and not third.complete
        assert store.get(b2.uid).status_id is WorkflowStatus.NEW

        # day 4: b1 passes, b2 is gone from a complete run: both resolved
        fourth = store.record(run([posture("c1", "b1", PASS)], 4))
        assert sorted(fourth.resolved) == sorted([b1.uid, b2.uid])
        assert fourth.findings[0].status_id is WorkflowStatus.RESOLVED
        assert store.current_findings() == []
        gone = store.get(b2.uid)
        assert gone.status_id is WorkflowStatus.RESOLVED
        assert gone.status_code is FAIL
        assert gone.unmapped is not None and gone.unmapped["resolved_time"] == at(4)
        resolved = store.current_findings(include_resolved=True, include_passed=True)
        assert {f.uid for f in resolved} == {b1.uid, b2.uid, b3.uid}

        # day 5: b1 fails again: reopened, counted as new, first_seen still day 1
        fifth = store.record(run([b1], 5))
        assert fifth.new == [b1.uid]
        reopened = store.get(b1.uid)
        assert reopened.status_id is WorkflowStatus.NEW
        assert reopened.finding_info.first_seen_time == at(1)
        assert reopened.unmapped is None

        # day 6: muted until day 7 (2026-11-07): suppressed, not new, kept and marked
        sixth = store.record(run([b1], 6), mutelist=mute_c1)
        assert sixth.new == [] and sixth.suppressed == [b1.uid]
        muted = store.get(b1.uid)
        assert muted.status_id is WorkflowStatus.SUPPRESSED
        assert muted.unmapped is not None
        assert muted.unmapped["suppression"]["reason"] == "risk accepted in SEC-1"
        assert muted.unmapped["suppression"]["rule"] == "accepted"
        assert [f.uid for f in store.current_findings()] == [b1.uid]

        # day 8: the rule expired: the finding is open again and counts as new
        eighth = store.record(run([b1], 8), mutelist=mute_c1)
        assert eighth.new == [b1.uid] and eighth.suppressed == []
        assert store.get(b1.uid).status_id is WorkflowStatus.NEW

        runs = store.runs(limit=None)
        assert [r.run_id for r in runs] == [
            r.run_id for r in (eighth, sixth, fifth, fourth, third, second, first)
        ]
        assert [r.new_count for r in runs] == [1, 0, 1, 0, 0, 0, 2]
        assert [r.resolved_count for r in runs] == [0, 0, 0, 2, 0, 0, 0]
        assert runs[4].gaps == (gap,) and not runs[4].complete
        assert runs[1].suppressed_count == 1

        # the past stays as it was: day 6's run shows b1 suppressed, day 1's run shows it new
        assert [f.status_id for f in store.run_findings(sixth.run_id)] == [WorkflowStatus.SUPPRESSED]
        day1 = {f.uid: f.status_id for f in store.run_findings(first.run_id)}
        assert day1[b1.uid] is WorkflowStatus.NEW


def test_diff_between_runs(db: str) -> None:
    keep, fixed, gone, added = (posture(c, c) for c in ("keep", "fixed", "gone", "added"))
    with open_store(db) as store:
        a = store.record(run([keep, fixed, gone], 1))
        b = store.record(run([keep, posture("fixed", "fixed", PASS), added], 2))
        diff = store.diff(a.run_id, b.run_id)
        assert [f.uid for f in diff.new] == [added.uid]
        assert sorted(f.uid for f in diff.resolved) == sorted([fixed.uid, gone.uid])
        assert all(f.status_id is WorkflowStatus.RESOLVED for f in diff.resolved)
        assert [f.uid for f in diff.still_open] == [keep.uid]
        # the same two runs the other way round: what was added is now "resolved" (gone)
        back = store.diff(b.run_id[:8], a.run_id[:8])
        assert [f.uid for f in back.resolved] == [added.uid]
        assert sorted(f.uid for f in back.new) == sorted([fixed.uid, gone.uid])


def test_incomplete_run_diff_does_not_resolve_by_absence(db: str) -> None:
    x = posture("x", "x")
    with open_store(db) as store:
        a = store.record(run([x], 1))
        b = store.record(run([], 2, gaps=[Gap("posture", "s", "throttled")]))
        diff = store.diff(a.run_id, b.run_id)
        assert diff.resolved == [] and diff.new == [] and diff.still_open == []
        assert store.get(x.uid).status_id is WorkflowStatus.NEW


def test_other_scope_and_engine_do_not_resolve(db: str) -> None:
    x = posture("x", "x")
    with open_store(db) as store:
        store.record(run([x], 1, scope="111111111111/eu-west-1"))
        assert store.record(run([], 2, scope="222222222222/eu-west-1")).resolved == []
        assert store.record(run([], 2, scope="111111111111/eu-west-1", engine="detect")).resolved == []
        assert store.record(run([], 3, scope="111111111111/eu-west-1")).resolved == [x.uid]


def test_not_evaluated_keeps_an_open_fail(db: str) -> None:
    x = posture("x", "x")
    with open_store(db) as store:
        store.record(run([x], 1))
        summary = store.record(run([posture("x", "x", NOT_EVALUATED)], 2))
        assert summary.resolved == [] and summary.new == []
        kept = store.get(x.uid)
        assert kept.status_code is FAIL and kept.status_id is WorkflowStatus.NEW
        assert kept.finding_info.last_seen_time == at(1)
        assert store.record(run([posture("x", "x", PASS)], 3)).resolved == [x.uid]


def test_queries_filter_and_order(db: str) -> None:
    from soryoku.core.severity import Severity

    low = posture("s3_low", "l", severity=Severity.LOW, region="us-east-1")
    crit = posture("s3_crit", "c", severity=Severity.CRITICAL)
    other = posture("ec2_open", "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1")
    with open_store(db) as store:
        store.record(run([low, crit, other], 1))
        store.record(run([posture("vuln_x", "v")], 1, engine="vuln", scope="image"))
        assert store.current_findings(engine="posture")[0].uid == crit.uid
        assert len(store.current_findings()) == 4
        assert [f.uid for f in store.current_findings(check="s3_*")] == [crit.uid, low.uid]
        assert [f.uid for f in store.current_findings(min_severity=Severity.CRITICAL)] == [crit.uid]
        assert [f.uid for f in store.current_findings(region="us-east-1")] == [low.uid]
        assert len(store.current_findings(account="123456789012", engine="posture")) == 3
        assert store.current_findings(statuses=[WorkflowStatus.SUPPRESSED]) == []
        assert store.get(crit.uid[:20]).uid == crit.uid
        with pytest.raises(InputError, match="no such finding"):
            store.get("soryoku-doesnotexist")
        with pytest.raises(InputError, match="several findings"):
            store.get("soryoku-")
        with pytest.raises(InputError, match="no such run"):
            store.run_findings("feedface")
        runs = store.runs(limit=1)
        assert len(runs) == 1 and runs[0].engine == "vuln"
        assert store.previous_run(runs[0].run_id) is None


def test_many_findings_cross_chunk_boundaries(db: str) -> None:
    first = [posture("bulk", f"bucket-{i}") for i in range(1_200)]
    with open_store(db) as store:
        assert len(store.record(run(first, 1)).new) == 1_200
        half = [posture("bulk", f"bucket-{i}", PASS if i % 2 else FAIL) for i in range(1_200)]
        summary = store.record(run(half, 2))
        assert summary.new == [] and len(summary.resolved) == 600
        assert len(store.current_findings()) == 600
        runs = store.runs(limit=2)
        diff = store.diff(runs[1].run_id, runs[0].run_id)
        assert (len(diff.new), len(diff.resolved), len(diff.still_open)) == (0, 600, 600)


def test_duplicate_uids_in_one_run_are_stored_once(db: str) -> None:
    x = posture("x", "x")
    with open_store(db) as store:
        summary = store.record(run([posture("x", "x", PASS), x, x], 1))
        assert [f.status_code for f in summary.findings] == [FAIL]
        assert summary.new == [x.uid]


def test_store_is_reopened_with_its_data(tmp_path: Path) -> None:
    path = str(tmp_path / "again.db")
    x = posture("x", "x")
    with open_store(path) as store:
        store.record(run([x], 1))
    with open_store(path) as store:
        assert store.record(run([x], 2)).new == []


def test_concurrent_recorders_on_one_sqlite_file_wait_for_each_other(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = str(tmp_path / "shared.db")
    with open_store(path):
        pass

    def record(worker: int) -> int:
        findings = [posture("bulk", f"w{worker}-{i}") for i in range(300)]
        with open_store(path) as store:
            return len(store.record(run(findings, 1, scope=f"scope-{worker}")).new)

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(record, range(4))) == [300] * 4
    with open_store(path) as store:
        assert len(store.runs()) == 4
        assert len(store.current_findings()) == 1_200


def test_partial_run_resolves_only_inside_its_coverage(db: str) -> None:
    from soryoku.core.result import Coverage

    in_region, other_region = posture("c1", "b1"), posture("c1", "b2", region="us-east-1")
    other_check, global_check = posture("c2", "b3"), posture("g1", "arn:aws:iam::123456789012:user/u")
    with open_store(db) as store:
        store.record(run([in_region, other_region, other_check, global_check], 1))
        partial = run([], 2)
        partial.coverage = Coverage({"c1": frozenset({"eu-west-1"}), "g1": None})
        summary = store.record(partial)
        # c1 in eu-west-1 and the global check were looked at and not seen again: resolved
        assert sorted(summary.resolved) == sorted([in_region.uid, global_check.uid])
        assert {f.uid for f in store.current_findings()} == {other_region.uid, other_check.uid}
        latest = store.runs(limit=1)[0]
        assert latest.complete and latest.coverage == partial.coverage
        # the diff of the same two runs agrees: what the partial run did not look at is not "resolved"
        first = store.runs(limit=2)[1]
        diff = store.diff(first.run_id, latest.run_id)
        assert sorted(f.uid for f in diff.resolved) == sorted([in_region.uid, global_check.uid])


def test_coverage_round_trips_and_answers_per_check_and_region() -> None:
    from soryoku.core.result import Coverage

    coverage = Coverage({"c1": frozenset({"eu-west-1", "us-east-1"}), "g1": None})
    assert Coverage.from_json(coverage.to_json()) == coverage
    assert coverage.covers("c1", "us-east-1") and not coverage.covers("c1", "ap-south-1")
    assert coverage.covers("g1", "anywhere") and coverage.covers("g1", None)
    assert not coverage.covers("c2", "eu-west-1")


def test_a_time_window_covers_only_activity_wholly_inside_it() -> None:
    from soryoku.core.result import Coverage

    window = Coverage(None, since_ms=1_000, until_ms=2_000)
    assert Coverage.from_json(window.to_json()) == window
    assert window.timed and window.covers("any_rule", "eu-west-1", (1_000, 1_999))
    assert not window.covers("any_rule", None, (999, 1_500)), "began before the window"
    assert not window.covers("any_rule", None, (1_500, 2_000)), "went on after it"
    assert not window.covers("any_rule", None, None), "a finding with no activity time is never inside"
    narrowed = Coverage({"r1": None}, since_ms=1_000)
    assert narrowed.covers("r1", None, (5_000, 6_000)) and not narrowed.covers("r2", None, (5_000, 6_000))
    assert Coverage({"c1": None}).to_json() == {"checks": {"c1": None}}, (
        "untimed coverage is stored as before"
    )
