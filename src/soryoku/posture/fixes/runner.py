"""Plan, apply and re-check fixes for the FAIL findings given; nothing a finding does not name is touched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from soryoku.aws.failures import failure_reason
from soryoku.core.finding import Finding, ResultStatus
from soryoku.posture.fixes import history
from soryoku.posture.fixes.base import FIXES, ApiCall, Aws, Change, Fix, FixTarget

ENGINE = "posture"


@dataclass(frozen=True, slots=True)
class PlannedFix:
    """A finding, its fix, and the changes it would make (empty: nothing to do; ``error``: cannot plan)."""

    target: FixTarget
    fix: Fix
    changes: tuple[Change, ...] = ()
    error: str | None = None
    duplicate_of: str | None = None  # the check whose identical change covers this finding too


@dataclass(slots=True)
class AppliedFix:
    """What applying a planned fix did: per change, "applied" or the error."""

    planned: PlannedFix
    outcomes: list[str] = field(default_factory=list)
    recheck: str | None = None  # PASS / FAIL / NOT_EVALUATED / not found

    @property
    def ok(self) -> bool:
        """True when every change was applied."""
        return all(o == "applied" for o in self.outcomes)


def fixable(findings: Iterable[Finding], checks: Iterable[str] = ()) -> list[Finding]:
    """The posture FAIL findings that have a registered fix (and whose check is in ``checks``, if given)."""
    FIXES.load()
    wanted = set(checks)
    return [
        f
        for f in findings
        if f.engine == ENGINE
        and f.status_code == ResultStatus.FAIL
        and f.check_id in FIXES
        and (not wanted or f.check_id in wanted)
        and f.resources
    ]


def plan_fixes(findings: Iterable[Finding], aws: Aws, default_region: str) -> list[PlannedFix]:
    """Plan a fix for each finding: read the resource's current state, compute the exact changes."""
    FIXES.load()
    planned: list[PlannedFix] = []
    seen: dict[str, str] = {}
    for finding in findings:
        target = FixTarget.from_finding(finding, default_region)
        fix = FIXES.get(target.check_id)
        if target.account_id and target.account_id != aws.account_id:
            reason = f"belongs to account {target.account_id}; these credentials reach {aws.account_id}"
            planned.append(PlannedFix(target, fix, error=reason))
            continue
        try:
            changes = fix.plan(target, aws)
        except (BotoCoreError, ClientError) as exc:
            planned.append(
                PlannedFix(target, fix, error=f"cannot read the current state: {failure_reason(exc)}")
            )
            continue
        fresh: list[Change] = []
        duplicate_of = None
        for change in changes:
            key = change.call.render()
            if key in seen:
                duplicate_of = seen[key]
                continue
            seen[key] = target.check_id
            fresh.append(change)
        planned.append(
            PlannedFix(target, fix, tuple(fresh), duplicate_of=duplicate_of if not fresh else None)
        )
    return planned


def _call(aws: Aws, call: ApiCall) -> Mapping[str, Any]:
    client = aws.client(call.service, call.region)
    response: Mapping[str, Any] = getattr(client, call.operation)(**call.params)
    return response


def principal_of(aws: Aws, region: str) -> str:
    """The ARN of the caller (recorded with every change); ``unknown`` when STS does not answer."""
    try:
        return str(aws.client("sts", region).get_caller_identity()["Arn"])
    except (BotoCoreError, ClientError) as exc:
        return f"unknown ({failure_reason(exc)})"


def apply_fixes(planned: Iterable[PlannedFix], aws: Aws, log: Path, *, region: str) -> list[AppliedFix]:
    """Make each planned change and record it (with its undo call) in the fix history ``log``."""
    principal = principal_of(aws, region)
    applied: list[AppliedFix] = []
    for plan in planned:
        result = AppliedFix(plan)
        applied.append(result)
        for change in plan.changes:
            try:
                response = _call(aws, change.call)
            except (BotoCoreError, ClientError) as exc:
                outcome = f"error: {failure_reason(exc)}"
                undo = None
            else:
                outcome = "applied"
                undo = change.undo or (
                    change.undo_from_response(response) if change.undo_from_response else None
                )
            result.outcomes.append(outcome)
            history.append(
                log,
                history.HistoryEntry(
                    time=datetime.now(UTC).isoformat(timespec="seconds"),
                    principal=principal,
                    account=plan.target.account_id or aws.account_id,
                    region=change.call.region,
                    check=plan.target.check_id,
                    finding=plan.target.finding_uid,
                    resource=plan.target.resource_uid,
                    call=change.call.to_json(),
                    before=change.before,
                    after=change.after,
                    undo=undo.to_json() if undo is not None else None,
                    outcome=outcome,
                ),
            )
    return applied


def attach_rechecks(applied: Iterable[AppliedFix], findings: Iterable[Finding]) -> None:
    """Set each applied fix's re-check verdict from a fresh scan's findings (matched by finding uid)."""
    verdicts = {f.uid: str(f.status_code) for f in findings}
    for result in applied:
        result.recheck = verdicts.get(result.planned.target.finding_uid, "not found (resource gone?)")


__all__ = [
    "AppliedFix",
    "PlannedFix",
    "apply_fixes",
    "attach_rechecks",
    "fixable",
    "plan_fixes",
    "principal_of",
]
