"""What every command shares: the common options, storing a run, writing it, and exit codes."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from soryoku.core.errors import ExitCode, InputError
from soryoku.core.finding import Finding, ResultStatus, WorkflowStatus
from soryoku.core.result import ScanResult
from soryoku.core.severity import Severity
from soryoku.output.base import Report, get_writer, write_report

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json-ocsf, jsonl, csv, html, sarif, json-asff (default: table on a terminal, "
        "else by --output's extension, else json-ocsf).",
    ),
]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]
SeverityOption = Annotated[
    str | None, typer.Option("--severity", help="Show only findings at or above this severity.")
]
FailOnOption = Annotated[
    str,
    typer.Option(
        "--fail-on",
        help="Exit 1 when a FAIL at or above this severity remains (none: never).",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but the output.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Tracebacks and debug output.")]
DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="SORYOKU_DB", help="Findings store: a SQLite path or a database URL."),
]


def _validate_mutelist(value: Path | None) -> Path | None:
    """Load the mutelist while options are parsed, so a bad file fails before any scanning."""
    if value is not None:
        from soryoku.hub.mutelist import load_mutelist

        load_mutelist(value)
    return value


MutelistOption = Annotated[
    Path | None,
    typer.Option(
        "--mutelist",
        help="YAML file of suppressions (see docs/findings.md).",
        callback=_validate_mutelist,
    ),
]
# Which AWS account(s): the same options on every command that reaches AWS.
DEFAULT_ORG_ROLE = "OrganizationAccountAccessRole"
ProfileOption = Annotated[str | None, typer.Option("--profile", help="AWS profile to use.")]
RoleArnOption = Annotated[str | None, typer.Option("--role-arn", help="Assume this role first.")]
ExternalIdOption = Annotated[str | None, typer.Option("--external-id", help="External id for --role-arn.")]
OrgOption = Annotated[bool, typer.Option("--org", help="Every account of the Organization.")]
OrgRoleOption = Annotated[str, typer.Option("--org-role", help="Role assumed in member accounts.")]
RegionsOption = Annotated[list[str] | None, typer.Option("--region", help="Region (repeatable).")]

NoStoreOption = Annotated[bool, typer.Option("--no-store", help="Do not record this run in the store.")]

_EXTENSION_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".json": "json-ocsf",
    ".jsonl": "jsonl",
    ".csv": "csv",
    ".sarif": "sarif",
    ".asff": "json-asff",
}


@dataclass(slots=True)
class OutputChoice:
    """The resolved common options of a command."""

    fmt: str
    output: Path | None
    min_severity: Severity
    fail_on: Severity | None
    quiet: bool


def console(stderr: bool = True) -> Console:
    """A rich console; progress and summaries go to stderr so stdout stays machine-readable."""
    return Console(stderr=stderr, highlight=False)


def resolve_output(
    fmt: str | None, output: Path | None, severity: str | None, fail_on: str, quiet: bool
) -> OutputChoice:
    """Validate the common options before any work starts (bad input fails fast, exit 2)."""
    if fmt is None:
        if output is not None and output.suffix.lower() in _EXTENSION_FORMATS:
            fmt = _EXTENSION_FORMATS[output.suffix.lower()]
        elif output is None and sys.stdout.isatty():
            fmt = "table"
        else:
            fmt = "json-ocsf" if output is None else "table"
    get_writer(fmt)
    min_severity = Severity.parse(severity) if severity else Severity.UNKNOWN
    fail = None if fail_on.strip().lower() in {"none", "never", "off"} else Severity.parse(fail_on)
    if output is not None and output.exists() and output.is_dir():
        raise InputError(f"--output {str(output)!r}: is a directory, expected a file path")
    return OutputChoice(fmt=fmt, output=output, min_severity=min_severity, fail_on=fail, quiet=quiet)


def visible(findings: list[Finding], min_severity: Severity) -> list[Finding]:
    """Findings at or above ``min_severity`` (PASS results are kept; they carry a severity too)."""
    return [f for f in findings if f.severity_id >= min_severity]


def exit_code_for(findings: list[Finding], complete: bool, fail_on: Severity | None) -> ExitCode:
    """0 nothing at or above --fail-on; 1 an open FAIL at or above it; 3 the scan was incomplete.

    A FAIL outranks incompleteness: what was found is certain, what was not evaluated is not.
    """
    if fail_on is not None and any(
        f.status_code is ResultStatus.FAIL
        and f.status_id is not WorkflowStatus.SUPPRESSED
        and f.severity_id >= fail_on
        for f in findings
    ):
        return ExitCode.FINDINGS
    return ExitCode.OK if complete else ExitCode.INCOMPLETE


def emit(report: Report, choice: OutputChoice) -> ExitCode:
    """Write the report as chosen and return the exit code (does not exit)."""
    all_findings = report.findings
    report.findings = visible(all_findings, choice.min_severity)
    write_report(report, choice.fmt, choice.output)
    if choice.output is not None and not choice.quiet:
        console().print(f"wrote {choice.fmt} to {choice.output}")
    return exit_code_for(all_findings, not report.gaps, choice.fail_on)


def env_flag(name: str) -> bool:
    """True when environment variable ``name`` is set to a true-looking value."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


__all__ = [
    "DEFAULT_ORG_ROLE",
    "DbOption",
    "ExternalIdOption",
    "FailOnOption",
    "FormatOption",
    "MutelistOption",
    "NoStoreOption",
    "OrgOption",
    "OrgRoleOption",
    "OutputChoice",
    "OutputOption",
    "ProfileOption",
    "QuietOption",
    "RegionsOption",
    "RoleArnOption",
    "ScanResult",
    "SeverityOption",
    "VerboseOption",
    "console",
    "emit",
    "env_flag",
    "exit_code_for",
    "finish",
    "record",
    "resolve_output",
    "visible",
]


def record(
    results: list[ScanResult],
    *,
    db: str | None,
    mutelist: Path | None,
    store_run: bool = True,
    title: str = "soryoku report",
) -> Report:
    """Record each result as a run in the hub (lifecycle, suppressions) and build the report."""
    from soryoku.hub.mutelist import load_mutelist
    from soryoku.hub.store import open_store

    rules = load_mutelist(mutelist) if mutelist else None
    findings: list[Finding] = []
    gaps = [gap for result in results for gap in result.gaps]
    run_ids: list[str] = []
    new = resolved = 0
    if store_run:
        with open_store(db) as store:
            for result in results:
                summary = store.record(result, mutelist=rules)
                findings.extend(summary.findings)
                run_ids.append(summary.run_id)
                new += len(summary.new)
                resolved += len(summary.resolved)
    else:
        for result in results:
            findings.extend(rules.apply(result.findings) if rules else result.findings)
    scope = ", ".join(sorted({r.scope for r in results}))
    return Report(
        findings=findings,
        gaps=gaps,
        title=title,
        scope=scope,
        run_ids=run_ids,
        diff_new=new if store_run else None,
        diff_resolved=resolved if store_run else None,
    )


def finish(
    results: list[ScanResult],
    choice: OutputChoice,
    *,
    db: str | None,
    mutelist: Path | None,
    store_run: bool = True,
    title: str = "soryoku report",
) -> ExitCode:
    """Record the results in the hub, write the report as chosen, and return the exit code.

    Every engine's command ends here, so storing, suppressing, diffing and writing are the same
    for all of them.
    """
    report = record(results, db=db, mutelist=mutelist, store_run=store_run, title=title)
    return emit(report, choice)
