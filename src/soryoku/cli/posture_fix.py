"""``soryoku posture fix``: safe, reversible fixes for open posture FAILs (dry run unless --apply)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from soryoku.aws.clients import ClientFactory
from soryoku.aws.session import AwsTarget, base_session, caller_account, role_target, session_region
from soryoku.cli.common import (
    DbOption,
    ExternalIdOption,
    MutelistOption,
    NoStoreOption,
    ProfileOption,
    QuietOption,
    RoleArnOption,
    record,
)
from soryoku.core.errors import ExitCode, InputError
from soryoku.core.finding import Finding, WorkflowStatus
from soryoku.core.result import ScanResult
from soryoku.posture.engine import PostureOptions, run_posture
from soryoku.posture.fixes import history
from soryoku.posture.fixes.base import FIXES, Change
from soryoku.posture.fixes.runner import (
    AppliedFix,
    PlannedFix,
    apply_fixes,
    attach_rechecks,
    fixable,
    plan_fixes,
)
from soryoku.posture.selection import split_names

_OPEN = (WorkflowStatus.NEW, WorkflowStatus.IN_PROGRESS)


def _show(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)


def _target(profile: str | None, role_arn: str | None, external_id: str | None) -> AwsTarget:
    session = base_session(profile)
    if role_arn:
        return role_target(session, role_arn, external_id=external_id)
    return AwsTarget(caller_account(session), session)


def _validate_checks(checks: tuple[str, ...]) -> None:
    FIXES.load()
    unknown = sorted(c for c in checks if c not in FIXES)
    if unknown:
        known = ", ".join(sorted(f.id for f in FIXES))
        raise InputError(f"--checks {', '.join(unknown)}: no fix for these check ids (fixable: {known})")


def _stored_findings(db: str | None, regions: tuple[str, ...]) -> list[Finding]:
    from soryoku.hub.store import open_store

    with open_store(db) as store:
        found = store.current_findings(engine="posture", statuses=_OPEN)
    return [f for f in found if not regions or f.region in regions]


def _scanned_findings(options: PostureOptions) -> list[Finding]:
    return [finding for result in run_posture(options) for finding in result.findings]


def _recheck(
    applied: list[AppliedFix],
    options: PostureOptions,
    *,
    db: str | None,
    mutelist: Path | None,
    store_run: bool,
) -> None:
    """Re-scan what was fixed and record it: a partial run (its coverage is the fixed checks in the
    fixed regions), so a fixed finding is resolved and nothing outside the re-check is touched."""
    results: list[ScanResult] = run_posture(options)
    attach_rechecks(applied, [f for result in results for f in result.findings])
    if store_run:
        record(results, db=db, mutelist=mutelist)


def _print_change(change: Change) -> None:
    typer.echo(f"    call:   {change.call.render()}")
    typer.echo(f"    before: {_show(change.before)}")
    typer.echo(f"    after:  {_show(change.after)}")
    if change.undo is not None:
        typer.echo(f"    undo:   {change.undo.render()}")
    elif change.undo_from_response is not None:
        typer.echo("    undo:   derived from the call's answer (recorded in the fix history)")
    if change.note:
        typer.echo(f"    note:   {change.note}")


def _print_plan(plan: PlannedFix) -> None:
    target = plan.target
    typer.echo(f"{target.check_id}  {target.resource_uid}  ({target.region})")
    if plan.error:
        typer.echo(f"    skipped: {plan.error}")
    elif plan.duplicate_of:
        typer.echo(f"    covered by the same change as {plan.duplicate_of}")
    elif not plan.changes:
        typer.echo("    nothing to change: the resource is already compliant")
    for change in plan.changes:
        _print_change(change)


def _print_history(db: str | None) -> None:
    path = history.fix_log_path(db)
    entries = list(history.read(path))
    if not entries:
        typer.echo(f"no fixes recorded in {path}")
        return
    for entry in entries:
        call = entry.call
        typer.echo(
            f"{entry.time}  {entry.principal}  {entry.check}  {entry.resource}  "
            f"{call.get('service')}.{call.get('operation')}  {entry.outcome}"
        )
        typer.echo(f"    before: {_show(entry.before)}  after: {_show(entry.after)}")
        if entry.undo:
            undo = f"{entry.undo.get('service')}.{entry.undo.get('operation')}"
            typer.echo(f"    undo:   {undo}({_show(entry.undo.get('params'))})")


def _report(applied: list[AppliedFix]) -> ExitCode:
    code = ExitCode.OK
    for result in applied:
        target = result.planned.target
        outcome = "applied" if result.ok else "; ".join(o for o in result.outcomes if o != "applied")
        typer.echo(f"{target.check_id}  {target.resource_uid}: {outcome}; re-check: {result.recheck}")
        if not result.ok or result.recheck != "PASS":
            code = ExitCode.FINDINGS
    return code


def fix_command(
    checks: Annotated[list[str] | None, typer.Option("--checks", help="Only fix these check ids.")] = None,
    region: Annotated[
        list[str] | None, typer.Option("--region", help="Only findings of this region.")
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Make the changes (default: dry run).")] = False,
    scan: Annotated[bool, typer.Option("--scan", help="Scan first instead of reading the store.")] = False,
    show_history: Annotated[bool, typer.Option("--history", help="List the fixes applied so far.")] = False,
    profile: ProfileOption = None,
    role_arn: RoleArnOption = None,
    external_id: ExternalIdOption = None,
    db: DbOption = None,
    mutelist: MutelistOption = None,
    no_store: NoStoreOption = False,
    quiet: QuietOption = False,
) -> None:
    """Fix open posture FAILs whose fix is safe and reversible; a dry run unless --apply.

    Reads the open FAIL findings from the store (or scans first with --scan), prints each API call
    with the state before and after and the call that undoes it. With --apply it makes the calls,
    records each in the fix history (see --history) and re-checks the resources; the re-check is
    recorded in the store as a partial run (unless --no-store), which resolves the fixed findings
    and leaves every other finding as it was. Exit 0 all fixed
    (or dry run), 1 a change failed or a resource still FAILs, 2 bad input.
    """
    wanted = split_names(checks or [])
    regions = split_names(region) if region else ()
    _validate_checks(wanted)
    if show_history:
        _print_history(db)
        raise typer.Exit(ExitCode.OK)
    target = _target(profile, role_arn, external_id)
    home = session_region(target.session)
    fix_ids = wanted or tuple(sorted(f.id for f in FIXES))
    base = PostureOptions(
        profile=profile, role_arn=role_arn, external_id=external_id, regions=regions or None
    )
    if scan:
        options = replace(base, checks=fix_ids)
        findings = _scanned_findings(options)
    else:
        findings = _stored_findings(db, regions)
    selected = fixable(findings, wanted)
    if not selected:
        typer.echo("no open FAIL finding has a fix" + (" among --checks" if wanted else ""))
        raise typer.Exit(ExitCode.OK)
    factory = ClientFactory(target.session, target.account_id)
    planned = plan_fixes(selected, factory, home)
    if not quiet or not apply:
        for plan in planned:
            _print_plan(plan)
    to_apply = [p for p in planned if p.changes]
    changes = sum(len(p.changes) for p in to_apply)
    if not apply:
        typer.echo(
            f"dry run: {changes} change(s) for {len(to_apply)} finding(s); run with --apply to make them"
        )
        raise typer.Exit(ExitCode.OK)
    log = history.fix_log_path(db)
    applied = apply_fixes(to_apply, factory, log, region=home)
    # findings fixed by another finding's identical change are re-checked (and resolved) too
    touched = [p for p in planned if p.changes or p.duplicate_of]
    recheck_regions = tuple(sorted({p.target.region for p in touched}))
    recheck_checks = tuple(sorted({p.target.check_id for p in touched}))
    if applied:
        options = replace(base, checks=recheck_checks, regions=recheck_regions)
        _recheck(applied, options, db=db, mutelist=mutelist, store_run=not no_store)
    typer.echo(f"applied {changes} change(s); recorded in {log}")
    raise typer.Exit(_report(applied))


def register(posture_app: typer.Typer) -> None:
    """Add ``soryoku posture fix``."""
    posture_app.command("fix")(fix_command)


__all__ = ["fix_command", "register"]
