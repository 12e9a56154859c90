"""Collection: run (account × region × collector) units on a bounded thread pool.

Each unit is a plain, serialisable description of work; :func:`run_unit` is the ONE place a
collector's failure is caught and turned into a reason, so a failed API never stops the scan and
never disappears.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from soryoku.aws.clients import ClientFactory
from soryoku.aws.failures import COLLECTION_ERRORS, failure_reason
from soryoku.inventory.base import COLLECTORS, CollectContext

REGION_NOT_ENABLED = "region not enabled"


@dataclass(frozen=True, slots=True)
class Unit:
    """One collector in one region of one account."""

    account_id: str
    region: str
    collector_id: str


@dataclass(frozen=True, slots=True)
class UnitOutcome:
    """What a unit produced: resources, or the reason it could not."""

    unit: Unit
    resources: tuple[Any, ...] | None
    failure: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the collector succeeded."""
        return self.failure is None


def run_unit(unit: Unit, factory: ClientFactory) -> UnitOutcome:
    """Run one collector; an AWS failure becomes the outcome's reason (the single catch boundary)."""
    started = time.perf_counter()
    collector = COLLECTORS.get(unit.collector_id)
    context = CollectContext(factory=factory, account_id=unit.account_id, region=unit.region)
    try:
        resources = collector.collect(context)
    except COLLECTION_ERRORS as exc:
        return UnitOutcome(unit, None, failure_reason(exc), time.perf_counter() - started)
    except Exception as exc:  # a collector bug must not stop an Organization-wide scan: report it
        reason = f"collector error (a soryoku bug, please report it): {type(exc).__name__}: {exc}"
        return UnitOutcome(unit, None, reason, time.perf_counter() - started)
    return UnitOutcome(unit, tuple(resources), None, time.perf_counter() - started)


def skipped(unit: Unit, reason: str) -> UnitOutcome:
    """A unit that was not run (e.g. its region is not enabled)."""
    return UnitOutcome(unit, None, reason)


def collect_all(
    work: Iterable[tuple[Unit, ClientFactory]],
    *,
    max_workers: int,
    on_done: Callable[[UnitOutcome], None] | None = None,
) -> dict[Unit, UnitOutcome]:
    """Run every unit on at most ``max_workers`` threads; returns each unit's outcome."""
    outcomes: dict[Unit, UnitOutcome] = {}
    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="soryoku-collect") as pool:
        futures = {pool.submit(run_unit, unit, factory): unit for unit, factory in work}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.unit] = outcome
            if on_done is not None:
                on_done(outcome)
    return outcomes


__all__ = ["REGION_NOT_ENABLED", "Unit", "UnitOutcome", "collect_all", "run_unit", "skipped"]
