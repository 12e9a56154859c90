"""The posture engine: reach the accounts, collect what the selected checks need, evaluate them.

``run_posture(options)`` is the public entry point (``soryoku posture`` and ``soryoku scan`` call
it). It returns one ScanResult per account (engine ``posture``, scope ``aws:<account>``). Collection
for every account, region and collector runs on one bounded thread pool; evaluation is pure.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from soryoku.aws.clients import ClientFactory
from soryoku.aws.failures import COLLECTION_ERRORS, failure_reason
from soryoku.aws.organizations import DEFAULT_ORG_ROLE, member_targets
from soryoku.aws.regions import discover_regions
from soryoku.aws.session import (
    AwsTarget,
    base_session,
    caller_account,
    endpoint_override,
    role_target,
    session_region,
)
from soryoku.core.errors import InputError
from soryoku.core.finding import now_ms
from soryoku.core.result import Coverage, Gap, ScanResult
from soryoku.core.severity import Severity
from soryoku.inventory.base import COLLECTORS
from soryoku.posture.collection import REGION_NOT_ENABLED, Unit, UnitOutcome, collect_all, skipped
from soryoku.posture.evaluation import ENGINE, AccountScope, coverage_of, evaluate_account, units_needed
from soryoku.posture.registry import CHECKS, Check
from soryoku.posture.selection import CheckFilter, select_checks

DEFAULT_MAX_WORKERS = 8


@dataclass(frozen=True, slots=True)
class PostureOptions:
    """What to scan and with which checks.

    ``regions=None`` means: the session's region when ``AWS_ENDPOINT_URL`` is set (a test double or
    the demo), else every enabled region. ``all_regions`` scans every region AWS lists and records
    the opt-in regions that are not enabled as gaps ("region not enabled").
    """

    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    org: bool = False
    org_role_name: str = DEFAULT_ORG_ROLE
    regions: tuple[str, ...] | None = None
    all_regions: bool = False
    checks: tuple[str, ...] = ()
    exclude_checks: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    severity: Severity | None = None
    compliance: str | None = None
    max_workers: int = DEFAULT_MAX_WORKERS
    max_attempts: int | None = None  # None: AWS_MAX_ATTEMPTS when set, else DEFAULT_MAX_ATTEMPTS

    @property
    def check_filter(self) -> CheckFilter:
        """The registry filter these options describe."""
        return CheckFilter(
            checks=self.checks,
            exclude_checks=self.exclude_checks,
            services=self.services,
            min_severity=self.severity,
            compliance=self.compliance,
        )


def _coverage(checks: list[Check], options: PostureOptions, scope: AccountScope) -> Coverage | None:
    """None when the run covers its whole scope (every check, every region it would scan by
    default); otherwise what it covers, so that stored findings it did not look at stay open."""
    if options.regions is None and len(checks) == len(CHECKS):
        return None
    return coverage_of(checks, scope)


@dataclass(slots=True)
class _Account:
    target: AwsTarget
    factory: ClientFactory
    scope: AccountScope
    not_enabled: tuple[str, ...]
    gaps: list[Gap]
    started_ms: int


ProgressCallback = Callable[[UnitOutcome], None]


def _targets(options: PostureOptions) -> tuple[list[AwsTarget], list[ScanResult]]:
    session = base_session(options.profile)
    if options.role_arn:
        first = role_target(session, options.role_arn, external_id=options.external_id)
    else:
        first = AwsTarget(caller_account(session), session)
    if not options.org:
        return [first], []
    targets, unreachable = member_targets(
        first.session, first.account_id, options.org_role_name, max_workers=options.max_workers
    )
    failed = [
        ScanResult(
            engine=ENGINE,
            scope=f"aws:{u.account_id}",
            gaps=[Gap(ENGINE, f"aws:{u.account_id}", u.reason)],
            started_ms=now_ms(),
            finished_ms=now_ms(),
        )
        for u in unreachable
    ]
    return targets, failed


def _regions(
    options: PostureOptions, factory: ClientFactory, home: str
) -> tuple[tuple[str, ...], tuple[str, ...], list[Gap]]:
    """(regions to scan, regions listed but not enabled, gaps of discovery itself)."""
    asked = tuple(dict.fromkeys(options.regions or ()))
    if not asked and endpoint_override() and not options.all_regions:
        return (home,), (), []
    try:
        discovery = discover_regions(factory, home)
    except COLLECTION_ERRORS as exc:
        if asked:  # cannot validate them; scan what was asked and let each unit report its own failure
            return asked, (), []
        reason = f"region discovery failed, scanned {home} only: {failure_reason(exc)}"
        return (home,), (), [Gap(ENGINE, f"aws:{factory.account_id}", reason)]
    if asked:
        unknown = sorted(set(asked) - set(discovery.enabled) - set(discovery.not_enabled))
        if unknown:
            raise InputError(f"--region {', '.join(unknown)}: not a region of this partition")
        return asked, tuple(r for r in asked if r in discovery.not_enabled), []
    if options.all_regions:
        return discovery.enabled, discovery.not_enabled, []
    return discovery.enabled, (), []


def _prepare(target: AwsTarget, options: PostureOptions, now: datetime) -> _Account:
    home = session_region(target.session)
    factory = ClientFactory(target.session, target.account_id, max_attempts=options.max_attempts)
    regions, not_enabled, gaps = _regions(options, factory, home)
    scope = AccountScope(
        account_id=target.account_id,
        partition=factory.partition,
        home_region=home,
        regions=tuple(sorted({*regions, *not_enabled})),
        now=now,
    )
    return _Account(target, factory, scope, not_enabled, gaps, now_ms())


def _plan(
    account: _Account, checks: list[Check], outcomes: dict[Unit, UnitOutcome]
) -> list[tuple[Unit, ClientFactory]]:
    """The units the checks need in ``account`` to collect; units of regions not enabled are
    recorded in ``outcomes`` as skipped instead."""
    work: list[tuple[Unit, ClientFactory]] = []
    for unit in units_needed(checks, account.scope):
        if unit.region in account.not_enabled:
            outcomes[unit] = skipped(unit, f"{REGION_NOT_ENABLED} (opt-in region)")
        else:
            work.append((unit, account.factory))
    return work


def _result(
    account: _Account, checks: list[Check], options: PostureOptions, outcomes: dict[Unit, UnitOutcome]
) -> ScanResult:
    """Evaluate the checks over the account's collected units: the account's run."""
    evaluation = evaluate_account(checks, account.scope, outcomes)
    return ScanResult(
        engine=ENGINE,
        scope=f"aws:{account.target.account_id}",
        findings=evaluation.findings,
        gaps=account.gaps + evaluation.gaps,
        started_ms=account.started_ms,
        finished_ms=now_ms(),
        coverage=_coverage(checks, options, account.scope),
    )


def run_posture(options: PostureOptions, *, on_progress: ProgressCallback | None = None) -> list[ScanResult]:
    """Scan the accounts ``options`` names with the checks it selects; one ScanResult per account."""
    checks: list[Check] = select_checks(options.check_filter)
    if not checks:
        raise InputError("the check filters (--checks/--services/--severity/--compliance) select no check")
    COLLECTORS.load()
    targets, results = _targets(options)
    now = datetime.now(UTC)
    with ThreadPoolExecutor(
        max_workers=max(1, options.max_workers), thread_name_prefix="soryoku-prepare"
    ) as pool:
        accounts = list(pool.map(lambda target: _prepare(target, options, now), targets))
    work: list[tuple[Unit, ClientFactory]] = []
    outcomes: dict[Unit, UnitOutcome] = {}
    for account in accounts:
        work.extend(_plan(account, checks, outcomes))
    outcomes.update(collect_all(work, max_workers=options.max_workers, on_done=on_progress))
    results.extend(_result(account, checks, options, outcomes) for account in accounts)
    return sorted(results, key=lambda r: r.scope)


def account_targets(options: PostureOptions) -> tuple[list[AwsTarget], list[ScanResult]]:
    """The accounts ``options`` names, and a gap-only ScanResult for each member that is unreachable."""
    return _targets(options)


def scan_account(
    target: AwsTarget,
    checks: list[Check],
    options: PostureOptions,
    now: datetime,
    *,
    on_progress: ProgressCallback | None = None,
) -> ScanResult:
    """Scan one account on its own pool of ``options.max_workers`` threads (an Organization scan
    runs several of these side by side and checkpoints each as it finishes)."""
    account = _prepare(target, options, now)
    outcomes: dict[Unit, UnitOutcome] = {}
    work = _plan(account, checks, outcomes)
    outcomes.update(collect_all(work, max_workers=options.max_workers, on_done=on_progress))
    return _result(account, checks, options, outcomes)


__all__ = [
    "DEFAULT_MAX_WORKERS",
    "PostureOptions",
    "ProgressCallback",
    "account_targets",
    "run_posture",
    "scan_account",
]
