"""The check registry: decorated pure functions, their metadata, and their prose from YAML.

A check is ``function(resource, ctx) -> CheckResult | Iterable[CheckResult]``. Its metadata (id,
severity, service, resource type, collectors, extra IAM actions) sits on the decorator; its prose
(title, risk, remediation, CLI snippet, references) sits in ``checks/<service>.yaml`` beside the
module; its framework ids sit only in ``compliance/data``. Adding a check touches three files: the
function, its prose, its test.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from soryoku.core.errors import ConfigError
from soryoku.core.severity import Severity
from soryoku.inventory.base import COLLECTORS, PackageRegistry
from soryoku.posture.results import CheckContext, CheckResult

CheckFunction = Callable[[Any, CheckContext], "CheckResult | Iterable[CheckResult]"]


class CheckProse(BaseModel):
    """The words of a check, as written in ``checks/<service>.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=8)
    risk: str = Field(min_length=20)
    remediation: str = Field(min_length=20)
    remediation_cli: str | None = None
    references: tuple[str, ...] = Field(min_length=1)

    @property
    def remediation_text(self) -> str:
        """Remediation prose followed by the CLI snippet, when there is one."""
        if not self.remediation_cli:
            return self.remediation
        return f"{self.remediation}\n\n{self.remediation_cli.strip()}"


@functools.cache
def _prose_of_module(module: str) -> dict[str, CheckProse]:
    package, _, name = module.rpartition(".")
    path = resources.files(package).joinpath(f"{name}.yaml")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"check prose {package}/{name}.yaml: cannot read it: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"check prose {package}/{name}.yaml: expected a mapping of check id to prose")
    try:
        return {str(check_id): CheckProse.model_validate(body) for check_id, body in raw.items()}
    except ValueError as exc:
        raise ConfigError(f"check prose {package}/{name}.yaml: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Check:
    """A registered posture check."""

    id: str
    service: str
    resource_type: str
    severity: Severity
    collectors: tuple[str, ...]
    function: CheckFunction
    module: str
    extra_permissions: tuple[str, ...] = ()
    inline_prose: CheckProse | None = None
    optional_collectors: tuple[str, ...] = ()

    @property
    def prose(self) -> CheckProse:
        """Title, risk, remediation and references: inline (plugins) or from the module's YAML file."""
        if self.inline_prose is not None:
            return self.inline_prose
        prose = _prose_of_module(self.module).get(self.id)
        if prose is None:
            raise ConfigError(f"check {self.id!r} has no prose in {self.module.rpartition('.')[2]}.yaml")
        return prose

    @property
    def title(self) -> str:
        """The check's title."""
        return self.prose.title

    @property
    def permissions(self) -> tuple[str, ...]:
        """Every IAM action the check needs: its collectors' calls plus any it declares itself."""
        actions = set(self.extra_permissions)
        for collector_id in (*self.collectors, *self.optional_collectors):
            actions.update(COLLECTORS.get(collector_id).actions)
        return tuple(sorted(actions))

    def run(self, resource: Any, ctx: CheckContext) -> list[CheckResult]:
        """Call the check and normalise its answer to a list."""
        answer = self.function(resource, ctx)
        if isinstance(answer, CheckResult):
            return [answer]
        return list(answer)


CHECKS: PackageRegistry[Check] = PackageRegistry(
    "check", "soryoku.posture.checks", entry_point_group="soryoku.checks"
)


def check(
    id: str,
    *,
    service: str,
    resource_type: str,
    severity: Severity,
    collectors: tuple[str, ...],
    permissions: tuple[str, ...] = (),
    prose: CheckProse | None = None,
    optional_collectors: tuple[str, ...] = (),
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check. ``collectors[0]`` supplies the resources it evaluates; the others are context.

    ``optional_collectors`` are context the check can judge without: when one fails, the check still
    runs and finds the reason in ``ctx.unavailable`` (it must say so in its verdict).
    Built-in checks keep their prose in ``<module>.yaml``; a plugin may pass ``prose`` inline.
    """
    if not collectors:
        raise ValueError(f"check {id!r} must declare at least one collector")

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.add(
            Check(
                id=id,
                service=service,
                resource_type=resource_type,
                severity=severity,
                collectors=collectors,
                function=function,
                module=function.__module__,
                extra_permissions=permissions,
                inline_prose=prose,
                optional_collectors=optional_collectors,
            )
        )
        return function

    return register


__all__ = ["CHECKS", "Check", "CheckFunction", "CheckProse", "check"]
