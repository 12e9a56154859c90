"""Evaluation: run the selected checks over one account's collected resources, emit findings and gaps.

Pure given the outcomes: no AWS calls here. A check whose collectors all succeeded runs once per
resource; otherwise it yields one NOT_EVALUATED finding per scope with the reason, and the failed
unit becomes a Gap listing every check it left unevaluated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from soryoku.core.finding import Finding, Resource, ResultStatus, compliance_finding
from soryoku.core.result import Coverage, Gap
from soryoku.inventory.base import COLLECTORS
from soryoku.posture.collection import Unit, UnitOutcome
from soryoku.posture.compliance.frameworks import standards_and_requirements
from soryoku.posture.registry import Check
from soryoku.posture.results import CheckContext, CheckResult

ENGINE = "posture"


@dataclass(slots=True)
class AccountScope:
    """What was scanned in one account: regions, the home region for global collectors, the clock."""

    account_id: str
    partition: str
    home_region: str
    regions: tuple[str, ...]
    now: datetime


@dataclass(slots=True)
class Evaluation:
    """Findings and gaps of one account."""

    findings: list[Finding] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def unit_for(collector_id: str, scope: AccountScope, region: str) -> Unit:
    """The unit that holds ``collector_id``'s resources for ``region`` (global → home region)."""
    where = scope.home_region if COLLECTORS.get(collector_id).scope == "global" else region
    return Unit(scope.account_id, where, collector_id)


def units_needed(checks: Iterable[Check], scope: AccountScope) -> list[Unit]:
    """Every unit the checks need in this account, each once."""
    needed: dict[Unit, None] = {}
    for item in checks:
        for region in scope.regions:
            for collector_id in (*item.collectors, *item.optional_collectors):
                needed[unit_for(collector_id, scope, region)] = None
    return list(needed)


def _finding(check: Check, scope: AccountScope, resource: Resource, result: CheckResult) -> Finding:
    prose = check.prose
    standards, requirements = standards_and_requirements(check.id)
    unmapped: dict[str, Any] = {"service": check.service}
    if result.evidence:
        unmapped["evidence"] = dict(result.evidence)
    if result.exposure:
        unmapped["exposure"] = result.exposure
    return compliance_finding(
        check_id=check.id,
        title=prose.title,
        status=result.status,
        severity=check.severity,
        resource=resource,
        standards=standards,
        requirements=requirements,
        message=result.message,
        desc=prose.risk,
        remediation=prose.remediation_text,
        references=list(prose.references),
        account_id=scope.account_id,
        region=resource.region,
        unmapped=unmapped,
    )


def _resource_of(check: Check, item: Any) -> Resource:
    return Resource(uid=str(item.arn), type=check.resource_type, name=str(item.name), region=str(item.region))


def _scope_resource(check: Check, unit: Unit, scope: AccountScope) -> Resource:
    service = COLLECTORS.get(check.collectors[0]).service
    return Resource(
        uid=f"arn:{scope.partition}:{service}:{unit.region}:{scope.account_id}:soryoku-scope/{unit.collector_id}",
        type=check.resource_type,
        name=f"{scope.account_id}/{unit.region}/{unit.collector_id}",
        region=unit.region,
    )


def coverage_of(checks: Iterable[Check], scope: AccountScope) -> Coverage:
    """What evaluating ``checks`` over ``scope`` covers: each check in the scanned regions, global
    checks everywhere (their resources do not belong to one region)."""
    return Coverage(
        {
            item.id: None
            if COLLECTORS.get(item.collectors[0]).scope == "global"
            else frozenset(scope.regions)
            for item in checks
        }
    )


def evaluate_account(
    checks: Iterable[Check], scope: AccountScope, outcomes: Mapping[Unit, UnitOutcome]
) -> Evaluation:
    """Run every check over the account's outcomes; failed units become NOT_EVALUATED and gaps."""
    result = Evaluation()
    missing: dict[Unit, tuple[str, set[str]]] = {}
    for item in checks:
        primary = COLLECTORS.get(item.collectors[0])
        regions = (scope.home_region,) if primary.scope == "global" else scope.regions
        for region in regions:
            units = [unit_for(c, scope, region) for c in item.collectors]
            failed = [outcomes[u] for u in units if not outcomes[u].ok]
            if failed:
                for outcome in failed:
                    missing.setdefault(outcome.unit, (outcome.failure or "", set()))[1].add(item.id)
                reason = "; ".join(f"{o.unit.collector_id}: {o.failure}" for o in failed)
                not_evaluated = CheckResult(ResultStatus.NOT_EVALUATED, f"not evaluated: {reason}")
                result.findings.append(
                    _finding(item, scope, _scope_resource(item, units[0], scope), not_evaluated)
                )
                continue
            optional = [outcomes[unit_for(c, scope, region)] for c in item.optional_collectors]
            for outcome in optional:  # judged without it: the gap still names the check
                if not outcome.ok:
                    missing.setdefault(outcome.unit, (outcome.failure or "", set()))[1].add(item.id)
            ctx = CheckContext(
                account_id=scope.account_id,
                region=region,
                partition=scope.partition,
                now=scope.now,
                related={o.unit.collector_id: o.resources or () for o in optional if o.ok}
                | {u.collector_id: outcomes[u].resources or () for u in units},
                unavailable={o.unit.collector_id: o.failure or "" for o in optional if not o.ok},
            )
            for resource in outcomes[units[0]].resources or ():
                try:
                    verdicts = item.run(resource, ctx)
                except Exception as exc:  # one broken check must not hide the others: report it
                    reason = f"check error (a soryoku bug, please report it): {type(exc).__name__}: {exc}"
                    verdicts = [CheckResult(ResultStatus.NOT_EVALUATED, f"not evaluated: {reason}")]
                    result.gaps.append(
                        Gap(ENGINE, f"aws:{scope.account_id}/{region}/{item.service}", reason, (item.id,))
                    )
                for verdict in verdicts:
                    result.findings.append(_finding(item, scope, _resource_of(item, resource), verdict))
    for unit, (reason, check_ids) in sorted(
        missing.items(), key=lambda kv: (kv[0].region, kv[0].collector_id)
    ):
        service = COLLECTORS.get(unit.collector_id).service
        result.gaps.append(
            Gap(
                engine=ENGINE,
                scope=f"aws:{unit.account_id}/{unit.region}/{service}",
                reason=f"{reason} (collector {unit.collector_id})",
                checks=tuple(sorted(check_ids)),
            )
        )
    return result


__all__ = [
    "ENGINE",
    "AccountScope",
    "Evaluation",
    "coverage_of",
    "evaluate_account",
    "unit_for",
    "units_needed",
]
