"""The fix model: what a fix plans (API call, before → after, undo) and the registry keyed by check id.

A fix is a planner ``(target, aws) -> list[Change]``: it reads the resource's current state and
returns the exact calls that would make it compliant, each with the call that undoes it. An empty
list means the resource is already compliant (nothing to do). Planners only read; the runner applies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.exceptions import ClientError

from soryoku.core.finding import Finding
from soryoku.inventory.base import PackageRegistry


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One AWS API call: ``service``'s boto3 ``operation`` in ``region`` with ``params``."""

    service: str
    region: str
    operation: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        """``service.operation(Key=value, …)`` as it would be called (region shown for context)."""
        args = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.service}.{self.operation}({args}) [{self.region}]"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready description of the call."""
        return {
            "service": self.service,
            "region": self.region,
            "operation": self.operation,
            "params": dict(self.params),
        }


UndoFromResponse = Callable[[Mapping[str, Any]], ApiCall]


@dataclass(frozen=True, slots=True)
class Change:
    """One change a fix makes: the call, the state before and after, and how to undo it.

    ``undo`` is known in advance for most changes; ``undo_from_response`` derives it from the
    call's answer when the call creates something (e.g. the id of a new GuardDuty detector).
    """

    call: ApiCall
    before: Any
    after: Any
    undo: ApiCall | None = None
    undo_from_response: UndoFromResponse | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class FixTarget:
    """What a FAIL finding names: the check, the resource and where it lives."""

    check_id: str
    finding_uid: str
    resource_uid: str
    resource_name: str
    resource_type: str
    account_id: str
    region: str

    @classmethod
    def from_finding(cls, finding: Finding, default_region: str) -> FixTarget:
        """The target a posture finding names (region falls back to ``default_region``)."""
        resource = finding.resources[0]
        return cls(
            check_id=finding.check_id,
            finding_uid=finding.uid,
            resource_uid=resource.uid,
            resource_name=resource.name or resource.uid.rsplit("/", 1)[-1],
            resource_type=resource.type,
            account_id=finding.account_uid or "",
            region=finding.region or resource.region or default_region,
        )

    @property
    def arn_tail(self) -> str:
        """The part of the resource ARN after the last ``/`` or ``:`` (an id or a name)."""
        return self.resource_uid.replace(":", "/").rsplit("/", 1)[-1]


class Aws(Protocol):
    """What a planner needs: a client per (service, region) and the account id."""

    account_id: str

    def client(self, service: str, region: str) -> Any: ...


Planner = Callable[[FixTarget, Aws], list[Change]]


@dataclass(frozen=True, slots=True)
class Fix:
    """A registered fix for one check id."""

    id: str  # the check id it fixes
    service: str
    summary: str
    plan: Planner
    module: str


FIXES: PackageRegistry[Fix] = PackageRegistry("fix", "soryoku.posture.fixes")


def fix(*check_ids: str, service: str, summary: str) -> Callable[[Planner], Planner]:
    """Register ``planner`` as the fix of each of ``check_ids`` (returns it unchanged)."""

    def register(planner: Planner) -> Planner:
        for check_id in check_ids:
            FIXES.add(Fix(check_id, service, summary, planner, planner.__module__))
        return planner

    return register


def error_code(exc: ClientError) -> str:
    """The AWS error code of a ClientError."""
    return str(exc.response.get("Error", {}).get("Code", ""))


__all__ = [
    "FIXES",
    "ApiCall",
    "Aws",
    "Change",
    "Fix",
    "FixTarget",
    "Planner",
    "UndoFromResponse",
    "error_code",
    "fix",
]
