"""What a check receives and returns: the context of one account and region, and its verdicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from soryoku.core.finding import ResultStatus


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One verdict of a check over a resource: PASS or FAIL, a message, and the facts behind it.

    ``exposure`` says what the resource's effective exposure is when that differs from the control's
    own verdict (e.g. a public ACL neutralised by Block Public Access); ``evidence`` holds the facts.
    """

    status: ResultStatus
    message: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    exposure: str | None = None


def passed(message: str, *, exposure: str | None = None, **evidence: Any) -> CheckResult:
    """A PASS verdict."""
    return CheckResult(ResultStatus.PASS, message, evidence, exposure)


def failed(message: str, *, exposure: str | None = None, **evidence: Any) -> CheckResult:
    """A FAIL verdict."""
    return CheckResult(ResultStatus.FAIL, message, evidence, exposure)


@dataclass(frozen=True, slots=True)
class CheckContext:
    """The account, region and time a check runs in, and the other resource sets it declared.

    ``related`` maps a collector id to the resources it collected for this account (global) or
    this region (regional); the engine only runs a check when all of its collectors succeeded.
    ``unavailable`` maps each of the check's *optional* collectors that failed to the reason.
    """

    account_id: str
    region: str
    partition: str = "aws"
    now: datetime = field(default_factory=lambda: datetime.now().astimezone())
    related: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    unavailable: Mapping[str, str] = field(default_factory=dict)

    def resources(self, collector_id: str) -> tuple[Any, ...]:
        """The resources of a collector the check declared (KeyError names an undeclared one)."""
        try:
            return self.related[collector_id]
        except KeyError:
            raise KeyError(f"collector {collector_id!r} is not declared by this check") from None

    def one(self, collector_id: str) -> Any:
        """The single resource of an account- or region-level collector."""
        items = self.resources(collector_id)
        if len(items) != 1:
            raise ValueError(f"collector {collector_id!r} returned {len(items)} resources, expected one")
        return items[0]


__all__ = ["CheckContext", "CheckResult", "failed", "passed"]
