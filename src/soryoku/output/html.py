"""``html``: one self-contained report a person would rather read than the JSON.

Jinja2 with autoescaping renders ``templates/report.html.j2`` over data prepared here: the header
(scope, time, diff), a summary by engine and severity with inline SVG charts (no scripts, no
external assets, no web fonts), the compliance section built from the findings' own compliance
data (one template for every framework), the findings grouped by check in collapsible sections,
and what could not be evaluated.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import IO

from jinja2 import Environment, PackageLoader, StrictUndefined

from soryoku import __version__
from soryoku.core.finding import Finding, ResultStatus, WorkflowStatus
from soryoku.core.severity import Severity
from soryoku.output.base import Report, writer
from soryoku.output.compliance import (
    StandardView,
    compliance_view,
)
from soryoku.output.table import (
    SEVERITY_ORDER,
    Summary,
    by_severity,
    format_time,
    is_open_fail,
    rationale,
    references,
    summarise,
    suppression_reason,
)

SEVERITY_COLOURS = {
    Severity.CRITICAL: "#8e1b1b",
    Severity.HIGH: "#d9480f",
    Severity.MEDIUM: "#e8a317",
    Severity.LOW: "#2f6fb3",
    Severity.INFORMATIONAL: "#6b7785",
    Severity.UNKNOWN: "#9aa4ae",
}
STATUS_COLOURS = {
    ResultStatus.FAIL: "#c92a2a",
    ResultStatus.PASS: "#2b8a3e",
    ResultStatus.NOT_EVALUATED: "#868e96",
}
STATUS_LABELS = {
    ResultStatus.FAIL: "Fail",
    ResultStatus.PASS: "Pass",
    ResultStatus.NOT_EVALUATED: "Not evaluated",
}
DONUT_RADIUS = 52.0
BAR_WIDTH = 420.0
FAILING_SHOWN = 8  # failing resources listed per requirement before "N more"


def safe_url(url: str) -> str | None:
    """``url`` when it is an http(s) link that may become an ``href``; ``None`` otherwise."""
    return url if re.match(r"^https?://[^\s\"'<>]+$", url) else None


@dataclass(frozen=True, slots=True)
class Segment:
    """One coloured piece of a chart."""

    label: str
    count: int
    colour: str
    length: float = 0.0
    offset: float = 0.0


@dataclass(frozen=True, slots=True)
class Donut:
    """An SVG donut: segments as dashes along one circle."""

    total: int
    circumference: float
    segments: list[Segment]


@dataclass(frozen=True, slots=True)
class BarRow:
    """One stacked horizontal bar (an engine, or a status line)."""

    label: str
    total: int
    segments: list[Segment]


def donut(parts: list[tuple[str, int, str]]) -> Donut:
    """Dash lengths and offsets for a donut of ``(label, count, colour)`` parts."""
    circumference = 2 * math.pi * DONUT_RADIUS
    total = sum(count for _, count, _ in parts)
    segments: list[Segment] = []
    start = 0.0
    for label, count, colour in parts:
        if count <= 0:
            continue
        length = circumference * count / total
        segments.append(Segment(label, count, colour, round(length, 3), round(-start, 3)))
        start += length
    return Donut(total=total, circumference=round(circumference, 3), segments=segments)


def bars(rows: list[tuple[str, list[tuple[str, int, str]]]]) -> list[BarRow]:
    """Stacked bars scaled to the largest row: x offset and width of every segment."""
    largest = max((sum(c for _, c, _ in parts) for _, parts in rows), default=0) or 1
    result: list[BarRow] = []
    for label, parts in rows:
        x = 0.0
        segments = []
        for name, count, colour in parts:
            if count <= 0:
                continue
            width = BAR_WIDTH * count / largest
            segments.append(Segment(name, count, colour, round(width, 2), round(x, 2)))
            x += width
        result.append(BarRow(label=label, total=sum(c for _, c, _ in parts), segments=segments))
    return result


@dataclass(slots=True)
class CheckGroup:
    """All results of one check/rule/advisory, for one collapsible section."""

    check_id: str
    title: str
    engine: str
    severity: Severity
    desc: str | None
    remediation: str | None
    references: list[tuple[str, str | None]]
    findings: list[Finding]

    def count(self, status: ResultStatus) -> int:
        """Results of this check with ``status``."""
        return sum(1 for f in self.findings if f.status_code is status)

    @property
    def open_fails(self) -> int:
        """FAILs that are neither suppressed nor resolved."""
        return sum(1 for f in self.findings if is_open_fail(f))

    def workflow(self, status: WorkflowStatus) -> int:
        """Results of this check in workflow state ``status`` (suppressed, resolved, …)."""
        return sum(1 for f in self.findings if f.status_id is status)


def check_groups(findings: list[Finding]) -> list[CheckGroup]:
    """Findings grouped by check; groups with open FAILs first, most severe first."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.check_id].append(finding)
    groups: list[CheckGroup] = []
    for check_id, members in grouped.items():
        ordered = sorted(
            by_severity(members),
            key=lambda f: {ResultStatus.FAIL: 0, ResultStatus.NOT_EVALUATED: 1, ResultStatus.PASS: 2}[
                f.status_code
            ],
        )
        first = ordered[0]
        analytic = first.finding_info.analytic
        remediation = next((f.remediation for f in ordered if f.remediation), None)
        links = list(dict.fromkeys(ref for f in ordered for ref in references(f)))
        desc = next((text for f in ordered if (text := rationale(f))), None)
        groups.append(
            CheckGroup(
                check_id=check_id or "(no check id)",
                title=analytic.name if analytic and analytic.name else first.finding_info.title,
                engine=first.engine or "unknown",
                severity=max(f.severity_id for f in ordered),
                desc=desc,
                remediation=remediation.desc if remediation else None,
                references=[(ref, safe_url(ref)) for ref in links],
                findings=ordered,
            )
        )
    return sorted(groups, key=lambda g: (g.open_fails == 0, -int(g.severity), -g.open_fails, g.check_id))


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("soryoku.output", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        severity_colour=lambda s: SEVERITY_COLOURS[s],
        status_colour=lambda s: STATUS_COLOURS[s],
        status_label=lambda s: STATUS_LABELS[s],
        suppression_reason=suppression_reason,
        format_time=format_time,
        Severity=Severity,
        ResultStatus=ResultStatus,
        WorkflowStatus=WorkflowStatus,
    )
    return env


def _charts(summary: Summary) -> tuple[Donut, list[BarRow], list[BarRow]]:
    severities = [s for s in SEVERITY_ORDER if s is not Severity.UNKNOWN or summary.by_severity_open[s]]
    severity_donut = donut([(s.label, summary.by_severity_open[s], SEVERITY_COLOURS[s]) for s in severities])
    engine_bars = bars(
        [
            (
                engine,
                [
                    (s.label, summary.by_engine_severity.get((engine, s), 0), SEVERITY_COLOURS[s])
                    for s in severities
                ],
            )
            for engine in summary.engines
        ]
    )
    status_bars = bars(
        [("results", [(STATUS_LABELS[s], n, STATUS_COLOURS[s]) for s, n in summary.by_status.items()])]
    )
    return severity_donut, engine_bars, status_bars


def render_html(report: Report) -> str:
    """The report as one self-contained HTML document."""
    summary = summarise(report.findings)
    severity_donut, engine_bars, status_bars = _charts(summary)
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        version=__version__,
        generated=format_time(report.generated_ms),
        summary=summary,
        severity_order=[s for s in SEVERITY_ORDER if s is not Severity.UNKNOWN],
        severity_donut=severity_donut,
        engine_bars=engine_bars,
        status_bars=status_bars,
        bar_width=BAR_WIDTH,
        failing_shown=FAILING_SHOWN,
        standards=compliance_view(report.findings),
        groups=check_groups(report.findings),
        gaps=sorted(report.gaps, key=lambda g: (g.engine, g.scope, g.reason)),
    )


@writer("html", description="self-contained HTML report with charts and compliance", extension="html")
def write_html(report: Report, stream: IO[str]) -> None:
    """Write the report as one self-contained HTML file."""
    stream.write(render_html(report))


__all__ = [
    "CheckGroup",
    "StandardView",
    "check_groups",
    "compliance_view",
    "render_html",
    "safe_url",
    "write_html",
]
