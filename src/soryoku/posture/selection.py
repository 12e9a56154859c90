"""The filter API over the check registry: ``--checks``, ``--exclude-checks``, ``--services``,
``--severity``, ``--compliance``; and the IAM actions a selection needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from soryoku.core.errors import InputError
from soryoku.core.severity import Severity
from soryoku.posture.compliance.frameworks import load_framework, resolve_framework_id
from soryoku.posture.registry import CHECKS, Check


@dataclass(frozen=True, slots=True)
class CheckFilter:
    """Which checks to run; empty tuples mean "no restriction"."""

    checks: tuple[str, ...] = ()
    exclude_checks: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    min_severity: Severity | None = None
    compliance: str | None = None


def _unknown(kind: str, names: Iterable[str], known: set[str]) -> None:
    missing = sorted(set(names) - known)
    if missing:
        raise InputError(f"{kind} {', '.join(repr(m) for m in missing)}: unknown; see `soryoku checks list`")


def select_checks(selection: CheckFilter) -> list[Check]:
    """The registered checks that pass every filter, sorted by id (InputError on unknown names)."""
    all_checks = list(CHECKS)
    ids = {c.id for c in all_checks}
    _unknown("--checks", selection.checks, ids)
    _unknown("--exclude-checks", selection.exclude_checks, ids)
    services = {s.lower() for s in selection.services}
    _unknown("--services", services, {c.service for c in all_checks})
    in_framework = (
        load_framework(resolve_framework_id(selection.compliance)).check_ids()
        if selection.compliance
        else None
    )
    chosen = []
    for item in all_checks:
        if selection.checks and item.id not in selection.checks:
            continue
        if item.id in selection.exclude_checks:
            continue
        if services and item.service not in services:
            continue
        if selection.min_severity is not None and item.severity < selection.min_severity:
            continue
        if in_framework is not None and item.id not in in_framework:
            continue
        chosen.append(item)
    return chosen


def required_permissions(checks: Iterable[Check]) -> tuple[str, ...]:
    """The IAM actions a scan role needs for ``checks`` (plus region discovery and identity)."""
    actions = {"sts:GetCallerIdentity", "ec2:DescribeRegions"}
    for item in checks:
        actions.update(item.permissions)
    return tuple(sorted(actions))


def split_names(values: Iterable[str]) -> tuple[str, ...]:
    """Names from repeated and/or comma-separated option values, in order, without blanks."""
    names: list[str] = []
    for value in values:
        names.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(dict.fromkeys(names))


__all__ = ["CheckFilter", "required_permissions", "select_checks", "split_names"]
