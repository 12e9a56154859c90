"""The compliance view every format shares: per standard → per requirement, the verdicts."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from soryoku.core.finding import Finding, ResultStatus, WorkflowStatus
from soryoku.core.severity import Severity
from soryoku.output.csv_writer import compliance_pairs


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """Sort key that orders ``1.9`` before ``1.10``."""
    return [
        (0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.split(r"(\d+)", text) if part
    ]


@dataclass(slots=True)
class FailingResource:
    """A resource that fails a requirement, and through which check."""

    resource: str
    check_id: str
    severity: Severity
    suppressed: bool


@dataclass(slots=True)
class RequirementView:
    """One requirement of one standard: its verdict counts and failing resources."""

    id: str
    passed: int = 0
    failed: int = 0
    not_evaluated: int = 0
    suppressed: int = 0
    checks: set[str] = field(default_factory=set)
    failing: list[FailingResource] = field(default_factory=list)

    @property
    def state(self) -> str:
        """``fail``, ``unknown`` (not evaluated), ``suppressed`` (only accepted failures) or ``pass``."""
        if self.failed:
            return "fail"
        if self.not_evaluated:
            return "unknown"
        if self.suppressed:
            return "suppressed"
        return "pass"


@dataclass(slots=True)
class StandardView:
    """One standard: its requirements and totals."""

    name: str
    requirements: list[RequirementView]

    def count(self, state: str) -> int:
        """Requirements in ``state`` (pass / fail / unknown / suppressed)."""
        return sum(1 for r in self.requirements if r.state == state)

    @property
    def score(self) -> int:
        """Percentage of requirements with no failure and nothing unevaluated."""
        return round(100 * self.count("pass") / len(self.requirements)) if self.requirements else 0


def compliance_view(findings: list[Finding]) -> list[StandardView]:
    """Per standard → per requirement: passed / failed / not evaluated, with failing resources."""
    table: dict[str, dict[str, RequirementView]] = defaultdict(dict)
    for finding in findings:
        if finding.status_id is WorkflowStatus.RESOLVED:
            continue
        for standard, requirement in compliance_pairs(finding):
            req_id = requirement or "(whole standard)"
            view = table[standard].setdefault(req_id, RequirementView(id=req_id))
            view.checks.add(finding.check_id)
            suppressed = finding.status_id is WorkflowStatus.SUPPRESSED
            if finding.status_code is ResultStatus.PASS:
                view.passed += 1
            elif finding.status_code is ResultStatus.NOT_EVALUATED:
                view.not_evaluated += 1
            elif suppressed:
                view.suppressed += 1
                view.failing.append(
                    FailingResource(finding.resource_uid or "-", finding.check_id, finding.severity_id, True)
                )
            else:
                view.failed += 1
                view.failing.append(
                    FailingResource(finding.resource_uid or "-", finding.check_id, finding.severity_id, False)
                )
    return [
        StandardView(
            name=standard,
            requirements=sorted(reqs.values(), key=lambda r: natural_key(r.id)),
        )
        for standard, reqs in sorted(table.items(), key=lambda item: natural_key(item[0]))
    ]


__all__ = ["FailingResource", "RequirementView", "StandardView", "compliance_view", "natural_key"]
