"""``table``: the terminal report (rich), readable on a terminal and plain in a pipe.

It prints a summary (findings by engine × severity; pass / fail / not evaluated), the FAIL
findings sorted by severity with check id, resource and region, suppressed findings with their
reason, the diff figures when known, and what could not be evaluated. The summary helpers here are
also what the HTML report counts with, so both formats always agree.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from soryoku.core.finding import Finding, ResultStatus, WorkflowStatus
from soryoku.core.severity import Severity
from soryoku.output.base import Report, writer

SEVERITY_ORDER: tuple[Severity, ...] = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.MEDIUM,
    Severity.LOW,
    Severity.INFORMATIONAL,
    Severity.UNKNOWN,
)
SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFORMATIONAL: "dim",
    Severity.UNKNOWN: "dim",
}
STATUS_ORDER: tuple[ResultStatus, ...] = (ResultStatus.FAIL, ResultStatus.PASS, ResultStatus.NOT_EVALUATED)


def is_suppressed(finding: Finding) -> bool:
    """True when the hub marked the finding suppressed (by a mutelist rule)."""
    return finding.status_id is WorkflowStatus.SUPPRESSED


def suppression_reason(finding: Finding) -> str | None:
    """The reason a finding is suppressed, from ``unmapped["suppression"]`` (a string or a dict)."""
    if not is_suppressed(finding):
        return None
    value: Any = (finding.unmapped or {}).get("suppression")
    if isinstance(value, dict):
        reason = value.get("reason")
        return str(reason) if reason else None
    return str(value) if value else None


def rationale(finding: Finding) -> str | None:
    """Why the finding matters: ``finding_info.desc``, else the first vulnerability's description."""
    if finding.finding_info.desc:
        return finding.finding_info.desc
    return next((v.desc for v in finding.vulnerabilities or [] if v.desc), None)


def references(finding: Finding) -> list[str]:
    """The finding's reference links: its remediation's, then its vulnerabilities' (no repeats)."""
    found = list(finding.remediation.references or []) if finding.remediation else []
    found.extend(ref for v in finding.vulnerabilities or [] for ref in v.references or [])
    return list(dict.fromkeys(found))


def is_open_fail(finding: Finding) -> bool:
    """A FAIL that is neither suppressed nor resolved: what a reader must act on."""
    return finding.status_code is ResultStatus.FAIL and finding.status_id not in (
        WorkflowStatus.SUPPRESSED,
        WorkflowStatus.RESOLVED,
    )


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Findings most severe first, then by check id, resource and uid (a stable order)."""
    return sorted(findings, key=lambda f: (-int(f.severity_id), f.check_id, f.resource_uid, f.uid))


def format_time(ms: int) -> str:
    """An OCSF millisecond timestamp as ``YYYY-MM-DD HH:MM:SS UTC``."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts a report opens with."""

    engines: tuple[str, ...]
    by_engine_severity: dict[tuple[str, Severity], int]
    by_status: dict[ResultStatus, int]
    by_severity_open: dict[Severity, int]
    suppressed: int
    total: int

    def engine_total(self, engine: str) -> int:
        """Open FAILs of one engine, all severities."""
        return sum(n for (e, _), n in self.by_engine_severity.items() if e == engine)


def summarise(findings: list[Finding]) -> Summary:
    """Open FAILs by engine × severity, verdicts by status, and the suppressed count."""
    engine_sev: Counter[tuple[str, Severity]] = Counter()
    open_sev: Counter[Severity] = Counter()
    status: Counter[ResultStatus] = Counter()
    suppressed = 0
    for finding in findings:
        status[finding.status_code] += 1
        if is_suppressed(finding):
            suppressed += 1
        if is_open_fail(finding):
            engine_sev[(finding.engine or "unknown", finding.severity_id)] += 1
            open_sev[finding.severity_id] += 1
    engines = tuple(sorted({f.engine or "unknown" for f in findings}))
    return Summary(
        engines=engines,
        by_engine_severity=dict(engine_sev),
        by_status={s: status.get(s, 0) for s in STATUS_ORDER},
        by_severity_open={s: open_sev.get(s, 0) for s in SEVERITY_ORDER},
        suppressed=suppressed,
        total=len(findings),
    )


def _summary_table(summary: Summary) -> Table:
    table = Table(
        title="Open FAIL findings by engine and severity", box=box.SIMPLE_HEAD, title_justify="left"
    )
    table.add_column("engine")
    for severity in SEVERITY_ORDER[:-1]:
        label = "Info" if severity is Severity.INFORMATIONAL else severity.label
        table.add_column(label, justify="right", style=SEVERITY_STYLE[severity])
    table.add_column("total", justify="right", style="bold")
    for engine in summary.engines:
        counts = [summary.by_engine_severity.get((engine, s), 0) for s in SEVERITY_ORDER[:-1]]
        table.add_row(engine, *(str(n) for n in counts), str(summary.engine_total(engine)))
    return table


def _resource_cell(finding: Finding) -> str:
    uid = finding.resource_uid
    return uid if uid else "-"


def _fail_table(findings: list[Finding], title: str, with_reason: bool) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", expand=False)
    table.add_column("severity", no_wrap=True, min_width=8)
    table.add_column("engine", no_wrap=True, min_width=7)
    table.add_column("check", overflow="fold", min_width=24 if with_reason else 28)
    table.add_column("title", overflow="fold")
    table.add_column("resource", overflow="fold", min_width=30 if with_reason else 44)
    table.add_column("region", no_wrap=True, min_width=14)
    if with_reason:
        table.add_column("suppressed because", overflow="fold", min_width=30)
    for finding in by_severity(findings):
        cells: list[str | Text] = [
            Text(finding.severity_id.label, style=SEVERITY_STYLE[finding.severity_id]),
            finding.engine,
            finding.check_id,
            finding.finding_info.title,
            _resource_cell(finding),
            finding.region or "-",
        ]
        if with_reason:
            cells.append(suppression_reason(finding) or "(no reason given)")
        table.add_row(*cells)
    return table


def _gap_table(report: Report) -> Table:
    table = Table(title=f"Not evaluated ({len(report.gaps)})", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("engine", no_wrap=True, min_width=7)
    table.add_column("scope", overflow="fold")
    table.add_column("reason", overflow="fold")
    table.add_column("checks", overflow="fold")
    for gap in sorted(report.gaps, key=lambda g: (g.engine, g.scope, g.reason)):
        table.add_row(gap.engine, gap.scope, gap.reason, ", ".join(gap.checks) or "all in scope")
    return table


def _compliance_tables(findings: list[Finding]) -> list[Table]:
    """Per standard: the requirements that are not passing, and the totals in the title."""
    from soryoku.output.compliance import compliance_view

    tables = []
    for standard in compliance_view(findings):
        title = (
            f"Compliance {standard.name}: {standard.count('pass')} passed, {standard.count('fail')} failed, "
            f"{standard.count('unknown')} not evaluated, {standard.count('suppressed')} suppressed "
            f"of {len(standard.requirements)} requirements"
        )
        # Text, not str: standard names, ids and resources are data, never rich markup
        table = Table(title=Text(title), box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("requirement", no_wrap=True)
        table.add_column("state", no_wrap=True)
        table.add_column("pass", justify="right")
        table.add_column("fail", justify="right")
        table.add_column("n/e", justify="right")
        table.add_column("failing resources", overflow="fold")
        for requirement in standard.requirements:
            if requirement.state == "pass":
                continue
            failing = sorted({f.resource for f in requirement.failing if not f.suppressed})
            shown = ", ".join(failing[:3]) + (f" (+{len(failing) - 3} more)" if len(failing) > 3 else "")
            table.add_row(
                Text(requirement.id),
                {"fail": "FAILED", "unknown": "not evaluated", "suppressed": "suppressed"}[requirement.state],
                str(requirement.passed),
                str(requirement.failed),
                str(requirement.not_evaluated),
                Text(shown),
            )
        tables.append(table)
    return tables


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@writer("table", description="terminal summary and FAIL findings (rich)", extension="txt")
def write_table(report: Report, stream: IO[str]) -> None:
    """Write the terminal report; colours only when ``stream`` is a terminal."""
    terminal = _is_terminal(stream)
    target: IO[str] = stream if terminal else io.StringIO()
    console = Console(
        file=target,
        force_terminal=terminal,
        no_color=not terminal,
        color_system="auto" if terminal else None,
        width=None if terminal else 160,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    summary = summarise(report.findings)
    console.print(Text(report.title, style="bold"))
    header = f"generated {format_time(report.generated_ms)}"
    if report.scope:
        header = f"scope {report.scope} · {header}"
    console.print(header)
    counts = summary.by_status
    line = (
        f"{summary.total} results: {counts[ResultStatus.FAIL]} fail, {counts[ResultStatus.PASS]} pass, "
        f"{counts[ResultStatus.NOT_EVALUATED]} not evaluated; {summary.suppressed} suppressed; "
        f"{len(report.gaps)} gaps"
    )
    console.print(line)
    if report.diff_new is not None or report.diff_resolved is not None:
        console.print(
            f"since the previous run: {report.diff_new or 0} new, {report.diff_resolved or 0} resolved"
        )
    console.print()
    console.print(_summary_table(summary))
    open_fails = [f for f in report.findings if is_open_fail(f)]
    if open_fails:
        console.print(_fail_table(open_fails, f"FAIL findings ({len(open_fails)})", with_reason=False))
    else:
        console.print("No open FAIL findings.")
    for compliance_table in _compliance_tables(report.findings):
        console.print(compliance_table)
    suppressed = [f for f in report.findings if is_suppressed(f) and f.status_code is ResultStatus.FAIL]
    if suppressed:
        console.print(_fail_table(suppressed, f"Suppressed ({len(suppressed)})", with_reason=True))
    not_evaluated = [f for f in report.findings if f.status_code is ResultStatus.NOT_EVALUATED]
    if not_evaluated:
        console.print(
            _fail_table(not_evaluated, f"Not evaluated results ({len(not_evaluated)})", with_reason=False)
        )
    if report.gaps:
        console.print(_gap_table(report))
    else:
        console.print("Everything in scope was evaluated.")
    if isinstance(target, io.StringIO):
        # a pipe or file gets plain text without rich's padding at line ends
        stream.write("\n".join(line.rstrip() for line in target.getvalue().splitlines()) + "\n")


__all__ = [
    "SEVERITY_ORDER",
    "Summary",
    "by_severity",
    "format_time",
    "is_open_fail",
    "is_suppressed",
    "rationale",
    "references",
    "summarise",
    "suppression_reason",
    "write_table",
]
