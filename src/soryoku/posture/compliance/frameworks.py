"""Compliance frameworks as data: ``data/<id>.yaml`` maps each control to the checks implementing it.

Framework mappings live only here. A finding names the standards of every framework whose control
its check serves, and the controls as requirement labels ``<standard>/<control id>`` — the same
``standard/control`` form Security Hub uses in its "related requirements", e.g. ``AWS-FSBP/S3.2``
and ``CIS-AWS-3.0/2.1.4``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from soryoku.core.errors import ConfigError, InputError

FRAMEWORK_IDS: tuple[str, ...] = ("fsbp", "cis-3.0")
ALIASES = {"aws-fsbp": "fsbp", "cis": "cis-3.0", "cis-aws-3.0": "cis-3.0", "cis-3.0.0": "cis-3.0"}


class Control(BaseModel):
    """One control (requirement) of a framework and the checks that implement it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    checks: tuple[str, ...] = Field(min_length=1)
    severity: str | None = None
    notes: str | None = None


class Framework(BaseModel):
    """A compliance framework: its standard label, where it is defined, and its mapped controls."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    standard: str
    name: str
    version: str
    source: str
    controls: tuple[Control, ...]

    def requirement(self, control: Control) -> str:
        """The requirement label a finding carries, e.g. ``AWS-FSBP/S3.2``."""
        return f"{self.standard}/{control.id}"

    def check_ids(self) -> set[str]:
        """Every check id the framework maps."""
        return {check_id for control in self.controls for check_id in control.checks}


def resolve_framework_id(name: str) -> str:
    """``fsbp`` / ``cis-3.0`` (or an alias) → the framework id; InputError otherwise."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in FRAMEWORK_IDS:
        raise InputError(f"--compliance {name!r}: expected one of {', '.join(FRAMEWORK_IDS)}")
    return key


@functools.cache
def load_framework(framework_id: str) -> Framework:
    """Read and validate ``data/<framework_id>.yaml`` (once)."""
    path = resources.files("soryoku.posture.compliance").joinpath("data", f"{framework_id}.yaml")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Framework.model_validate(raw)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ConfigError(f"compliance data {framework_id}.yaml: {exc}") from exc


def frameworks() -> Iterator[Framework]:
    """Every built-in framework."""
    for framework_id in FRAMEWORK_IDS:
        yield load_framework(framework_id)


@functools.cache
def mappings_for(check_id: str) -> tuple[tuple[Framework, Control], ...]:
    """Every (framework, control) pair a check serves."""
    return tuple(
        (framework, control)
        for framework in frameworks()
        for control in framework.controls
        if check_id in control.checks
    )


def standards_and_requirements(check_id: str) -> tuple[list[str], list[str]]:
    """The ``standards`` and ``requirements`` of a finding of ``check_id``."""
    pairs = mappings_for(check_id)
    standards = sorted({framework.standard for framework, _ in pairs})
    requirements = [framework.requirement(control) for framework, control in pairs]
    return standards, requirements


__all__ = [
    "FRAMEWORK_IDS",
    "Control",
    "Framework",
    "frameworks",
    "load_framework",
    "mappings_for",
    "resolve_framework_id",
    "standards_and_requirements",
]
