"""``soryoku findings list|show|diff|runs``: read the findings store."""

from __future__ import annotations

import fnmatch
import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from soryoku.cli.common import (
    DbOption,
    FailOnOption,
    FormatOption,
    OutputChoice,
    OutputOption,
    QuietOption,
    SeverityOption,
    VerboseOption,
    console,
    exit_code_for,
    resolve_output,
    visible,
)
from soryoku.core.errors import ExitCode, InputError
from soryoku.core.finding import Finding, WorkflowStatus
from soryoku.core.severity import Severity
from soryoku.hub.runs import RunDiff, RunInfo
from soryoku.hub.store import Store, open_store
from soryoku.output.base import Report, write_report
from soryoku.output.table import format_time, is_open_fail, suppression_reason

findings_app = typer.Typer(
    name="findings",
    help="Query the findings store: current findings, one finding, runs, and what changed.",
    no_args_is_help=True,
)


class StatusFilter(StrEnum):
    """Which findings ``list`` shows."""

    OPEN = "open"
    RESOLVED = "resolved"
    SUPPRESSED = "suppressed"
    ALL = "all"


EngineOption = Annotated[str | None, typer.Option("--engine", help="Only this engine (posture, detect, …).")]
ScopeOption = Annotated[
    str | None, typer.Option("--scope", help="Only this scope (account/region, path, …).")
]
StatusOption = Annotated[
    StatusFilter,
    typer.Option(
        "--status",
        case_sensitive=False,
        help="open: unresolved FAILs; suppressed: muted by a mutelist; resolved: fixed or gone; "
        "all: everything, PASS and NOT_EVALUATED results included.",
    ),
]
CheckOption = Annotated[str | None, typer.Option("--check", help="Only check ids matching this glob.")]
AccountOption = Annotated[str | None, typer.Option("--account", help="Only this AWS account id.")]
RegionOption = Annotated[str | None, typer.Option("--region", help="Only this region.")]


def _thresholds(severity: str | None, fail_on: str) -> tuple[Severity, Severity | None]:
    """--severity and --fail-on parsed as every command parses them."""
    minimum = Severity.parse(severity) if severity else Severity.UNKNOWN
    fail_at = None if fail_on.strip().lower() in {"none", "never", "off"} else Severity.parse(fail_on)
    return minimum, fail_at


def _open_only(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if is_open_fail(f)]


def _write(report: Report, choice: OutputChoice, decisive: list[Finding]) -> ExitCode:
    """Write ``report`` as chosen; the exit code looks only at ``decisive`` open FAILs."""
    report.findings = visible(report.findings, choice.min_severity)
    write_report(report, choice.fmt, choice.output)
    if choice.output is not None and not choice.quiet:
        console().print(f"wrote {choice.fmt} to {choice.output}")
    return exit_code_for(visible(_open_only(decisive), choice.min_severity), True, choice.fail_on)


def _select(
    store: Store,
    status: StatusFilter,
    *,
    engine: str | None,
    scope: str | None,
    check: str | None,
    account: str | None,
    region: str | None,
    choice: OutputChoice,
) -> list[Finding]:
    wide = status in {StatusFilter.RESOLVED, StatusFilter.ALL}
    statuses = {
        StatusFilter.OPEN: [WorkflowStatus.NEW, WorkflowStatus.IN_PROGRESS],
        StatusFilter.SUPPRESSED: [WorkflowStatus.SUPPRESSED],
        StatusFilter.RESOLVED: [WorkflowStatus.RESOLVED],
        StatusFilter.ALL: None,
    }[status]
    found = store.current_findings(
        engine=engine,
        scope=scope,
        include_resolved=wide,
        include_passed=wide,
        statuses=statuses,
        min_severity=choice.min_severity,
        check=check,
        account=account,
        region=region,
    )
    return _open_only(found) if status is StatusFilter.OPEN else found


def _matches(
    finding: Finding,
    status: StatusFilter,
    *,
    engine: str | None,
    check: str | None,
    account: str | None,
    region: str | None,
) -> bool:
    """The filters of ``list`` applied to one finding of a past run."""
    wanted = {
        StatusFilter.OPEN: is_open_fail(finding),
        StatusFilter.SUPPRESSED: finding.status_id is WorkflowStatus.SUPPRESSED,
        StatusFilter.RESOLVED: finding.status_id is WorkflowStatus.RESOLVED,
        StatusFilter.ALL: True,
    }[status]
    return (
        wanted
        and (engine is None or finding.engine == engine)
        and (check is None or fnmatch.fnmatchcase(finding.check_id, check))
        and (account is None or finding.account_uid == account)
        and (region is None or finding.region == region)
    )


def _run_report(store: Store, run_id: str, status: StatusFilter, **filters: str | None) -> Report:
    info = store.run(run_id)
    found = [f for f in store.run_findings(info.run_id) if _matches(f, status, **filters)]
    return Report(
        findings=found,
        gaps=list(info.gaps),
        title=f"soryoku run {info.run_id[:12]} ({status.value})",
        scope=info.scope,
        generated_ms=info.finished_ms,
        run_ids=[info.run_id],
    )


@findings_app.command("list")
def list_findings(
    engine: EngineOption = None,
    status: StatusOption = StatusFilter.OPEN,
    check: CheckOption = None,
    scope: ScopeOption = None,
    account: AccountOption = None,
    region: RegionOption = None,
    run: Annotated[
        str | None,
        typer.Option("--run", help="List what this past run saw, as it was then (and its gaps)."),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    severity: SeverityOption = None,
    fail_on: FailOnOption = "none",
    db: DbOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """The latest state of each finding in the store (default: open FAILs), in any output format."""
    choice = resolve_output(fmt, output, severity, fail_on, quiet)
    if run is not None:
        with open_store(db) as store:
            report = _run_report(
                store, run, status, engine=engine, check=check, account=account, region=region
            )
        raise typer.Exit(_write(report, choice, report.findings))
    with open_store(db) as store:
        found = _select(
            store,
            status,
            engine=engine,
            scope=scope,
            check=check,
            account=account,
            region=region,
            choice=choice,
        )
        report = Report(findings=found, title=f"soryoku findings ({status.value})", scope=store.display)
    raise typer.Exit(_write(report, choice, found))


def _show_text(finding: Finding) -> str:
    lines = [
        finding.finding_info.title,
        f"  uid          {finding.uid}",
        f"  check        {finding.check_id}",
        f"  engine       {finding.engine}",
        f"  class        {finding.class_name} ({int(finding.class_uid)})",
        f"  result       {finding.status_code.value}",
        f"  status       {finding.status}",
        f"  severity     {finding.severity}",
    ]
    for resource in finding.resources:
        where = f" in {resource.region}" if resource.region else ""
        lines.append(f"  resource     {resource.uid} ({resource.type}){where}")
    if finding.account_uid:
        lines.append(f"  account      {finding.account_uid}")
    info = finding.finding_info
    if info.first_seen_time:
        lines.append(f"  first seen   {format_time(info.first_seen_time)}")
    if info.last_seen_time:
        lines.append(f"  last seen    {format_time(info.last_seen_time)}")
    resolved = (finding.unmapped or {}).get("resolved_time")
    if isinstance(resolved, int):
        lines.append(f"  resolved     {format_time(resolved)}")
    reason = suppression_reason(finding)
    if reason:
        lines.append(f"  suppressed   {reason}")
    if finding.compliance and finding.compliance.requirements:
        lines.append(f"  controls     {', '.join(finding.compliance.requirements)}")
    if finding.message:
        lines.append(f"  message      {finding.message}")
    if info.desc:
        lines.append(f"  description  {info.desc}")
    if finding.remediation:
        lines.append(f"  remediation  {finding.remediation.desc}")
        lines.extend(f"               {ref}" for ref in finding.remediation.references or [])
    return "\n".join(lines) + "\n"


@findings_app.command("show")
def show(
    uid: Annotated[str, typer.Argument(help="The finding's uid, or a unique prefix of it.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """One finding in full: its latest state, lifecycle times, suppression and remediation."""
    choice = resolve_output(fmt, output, None, "none", quiet) if fmt or output else None
    with open_store(db) as store:
        finding = store.get(uid)
    if choice is None:
        typer.echo(_show_text(finding), nl=False)
        return
    _write(Report(findings=[finding], title=f"soryoku finding {finding.uid}"), choice, [])


def _diff_runs(store: Store, run_a: str | None, run_b: str | None, engine: str | None) -> tuple[str, str]:
    if run_a and run_b:
        return run_a, run_b
    if run_a:
        later = store.run(run_a)
    else:
        latest = store.runs(limit=1, engine=engine)
        if not latest:
            where = f" of engine {engine!r}" if engine else ""
            raise InputError(f"findings diff: no runs{where} in {store.display}; run a scan first")
        later = latest[0]
    earlier = store.previous_run(later.run_id)
    if earlier is None:
        raise InputError(
            f"findings diff: run {later.run_id[:12]} ({later.engine}, {later.scope}) has no earlier run "
            "of the same engine and scope; give two run ids"
        )
    return earlier.run_id, later.run_id


def _completeness(run: RunInfo) -> str:
    """``complete``, ``incomplete``, or ``partial (N checks, activity from …)`` for part of the scope."""
    if not run.complete:
        return "incomplete"
    coverage = run.coverage
    if coverage is None:
        return "complete"
    parts = [] if coverage.checks is None else [f"{len(coverage.checks)} checks"]
    if coverage.since_ms is not None:
        parts.append(f"activity from {format_time(coverage.since_ms)}")
    if coverage.until_ms is not None:
        parts.append(f"activity before {format_time(coverage.until_ms)}")
    return f"partial ({', '.join(parts)})"


def _complete_cell(run: RunInfo) -> str:
    if not run.complete:
        return f"no ({len(run.gaps)} gaps)"
    return "yes" if run.coverage is None else _completeness(run)


def _run_label(run: RunInfo) -> str:
    complete = _completeness(run)
    return f"{run.run_id[:12]} {run.engine} {run.scope} {format_time(run.finished_ms)} ({complete})"


def _diff_text(diff: RunDiff) -> str:
    lines = [
        f"from {_run_label(diff.run_a)}",
        f"to   {_run_label(diff.run_b)}",
        f"{len(diff.new)} new, {len(diff.resolved)} resolved, {len(diff.still_open)} still open",
    ]
    for title, group in (("new", diff.new), ("resolved", diff.resolved)):
        if group:
            lines.append(f"{title}:")
            lines.extend(f"  {f.severity:<13} {f.check_id}  {f.resource_uid}  {f.uid}" for f in group)
    if not diff.run_b.complete:
        lines.append("note: the later run was incomplete, so nothing it missed counts as resolved")
    elif diff.run_b.coverage is not None:
        lines.append(
            "note: the later run covered part of the scope; only what it looked at counts as resolved"
        )
    return "\n".join(lines) + "\n"


@findings_app.command("diff")
def diff(
    run_a: Annotated[
        str | None,
        typer.Argument(help="The earlier run (or, alone, the later run to compare with its previous)."),
    ] = None,
    run_b: Annotated[str | None, typer.Argument(help="The later run.")] = None,
    engine: EngineOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    severity: SeverityOption = None,
    fail_on: FailOnOption = "none",
    db: DbOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """What changed between two runs: new and resolved FAILs (default: the last two runs of a scope).

    With --format the new and resolved findings are written in that format; --fail-on looks at new
    FAILs only.
    """
    choice = resolve_output(fmt, output, severity, fail_on, quiet) if fmt or output else None
    min_severity, fail_at = _thresholds(severity, fail_on)
    with open_store(db) as store:
        first, second = _diff_runs(store, run_a, run_b, engine)
        changes = store.diff(first, second)
    if choice is None:
        shown = RunDiff(
            run_a=changes.run_a,
            run_b=changes.run_b,
            new=visible(changes.new, min_severity),
            resolved=visible(changes.resolved, min_severity),
            still_open=visible(changes.still_open, min_severity),
        )
        typer.echo(_diff_text(shown), nl=False)
        code = exit_code_for(visible(changes.new, min_severity), True, fail_at)
        raise typer.Exit(int(code))
    report = Report(
        findings=changes.new + changes.resolved,
        title=f"soryoku diff {changes.run_a.run_id[:12]} → {changes.run_b.run_id[:12]}",
        scope=changes.run_b.scope,
        run_ids=[changes.run_a.run_id, changes.run_b.run_id],
        diff_new=len(changes.new),
        diff_resolved=len(changes.resolved),
    )
    raise typer.Exit(_write(report, choice, changes.new))


class RunsFormat(StrEnum):
    """Output of ``runs``."""

    TABLE = "table"
    JSON = "json"


@findings_app.command("runs")
def runs(
    engine: EngineOption = None,
    scope: ScopeOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many runs, newest first.")] = 20,
    fmt: Annotated[RunsFormat, typer.Option("--format", "-f", case_sensitive=False)] = RunsFormat.TABLE,
    db: DbOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """The recorded runs, newest first: scope, completeness and what each changed."""
    with open_store(db) as store:
        found = store.runs(limit=limit, engine=engine, scope=scope)
    if fmt is RunsFormat.JSON:
        rows = [
            {
                "run_id": r.run_id,
                "engine": r.engine,
                "scope": r.scope,
                "started_ms": r.started_ms,
                "finished_ms": r.finished_ms,
                "complete": r.complete,
                "coverage": r.coverage.to_json() if r.coverage else None,
                "findings": r.finding_count,
                "fail": r.fail_count,
                "pass": r.pass_count,
                "suppressed": r.suppressed_count,
                "new": r.new_count,
                "resolved": r.resolved_count,
                "gaps": [{"scope": g.scope, "reason": g.reason, "checks": list(g.checks)} for g in r.gaps],
            }
            for r in found
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(box=box.SIMPLE_HEAD)
    for column in (
        "run",
        "engine",
        "scope",
        "finished",
        "complete",
        "fail",
        "pass",
        "muted",
        "new",
        "resolved",
    ):
        table.add_column(
            column, justify="right" if column in {"fail", "pass", "muted", "new", "resolved"} else "left"
        )
    for r in found:
        table.add_row(
            r.run_id[:12],
            r.engine,
            r.scope,
            format_time(r.finished_ms),
            _complete_cell(r),
            str(r.fail_count),
            str(r.pass_count),
            str(r.suppressed_count),
            str(r.new_count),
            str(r.resolved_count),
        )
    # In a pipe rich would squeeze the table into 80 columns; keep whole lines there instead.
    Console(highlight=False, width=None if sys.stdout.isatty() else 200).print(table)


def register(app: typer.Typer) -> None:
    """Add ``soryoku findings`` to the root app."""
    app.add_typer(findings_app)


__all__ = ["findings_app", "register"]
