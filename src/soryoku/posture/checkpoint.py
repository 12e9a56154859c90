"""Organization-scale posture scans: accounts side by side, each isolated, each checkpointed as it ends.

``scan_accounts`` scans every account the options name on at most ``account_workers`` accounts at
a time (each with its own pool of ``options.max_workers`` collection threads, so at most
``account_workers × max_workers`` threads talk to AWS). A failure that escapes one account becomes
that account's gap; the others are unaffected.

With a checkpoint file, each finished account's ScanResult is appended as one JSON line (OCSF
findings + gaps) and fsynced; a killed scan started again with ``resume=True`` loads those lines
and scans only the accounts that are missing. The file's first line records which checks and
regions the scan used, so a checkpoint is never resumed with different options.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from soryoku.aws.failures import COLLECTION_ERRORS, failure_reason
from soryoku.aws.session import AwsTarget
from soryoku.core.errors import CredentialsError, InputError
from soryoku.core.finding import Finding, now_ms
from soryoku.core.result import Coverage, Gap, ScanResult
from soryoku.inventory.base import COLLECTORS
from soryoku.posture.engine import PostureOptions, account_targets, scan_account
from soryoku.posture.evaluation import ENGINE
from soryoku.posture.registry import Check
from soryoku.posture.selection import select_checks

FORMAT = "soryoku-posture-checkpoint/1"
DEFAULT_ACCOUNT_WORKERS = 4


@dataclass(frozen=True, slots=True)
class AccountDone:
    """Progress: one account finished (``resumed``: loaded from the checkpoint, not scanned)."""

    account_id: str
    done: int
    total: int
    findings: int
    gaps: int
    resumed: bool = False


AccountCallback = Callable[[AccountDone], None]


def fingerprint(options: PostureOptions, checks: list[Check]) -> str:
    """What a checkpoint must agree on to be resumed: the checks, regions, role and Organization mode."""
    basis = {
        "checks": sorted(c.id for c in checks),
        "regions": sorted(options.regions or ()),
        "all_regions": options.all_regions,
        "org": options.org,
        "org_role": options.org_role_name,
        "role_arn": options.role_arn,
        "profile": options.profile,
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:24]


def result_to_json(result: ScanResult) -> dict[str, Any]:
    """A ScanResult as one JSON object (OCSF findings, gaps)."""
    return {
        "kind": "account",
        "scope": result.scope,
        "started_ms": result.started_ms,
        "finished_ms": result.finished_ms,
        "findings": [f.to_ocsf() for f in result.findings],
        "gaps": [
            {"engine": g.engine, "scope": g.scope, "reason": g.reason, "checks": list(g.checks)}
            for g in result.gaps
        ],
        "coverage": result.coverage.to_json() if result.coverage else None,
    }


def result_from_json(data: dict[str, Any]) -> ScanResult:
    """The ScanResult :func:`result_to_json` wrote."""
    return ScanResult(
        engine=ENGINE,
        scope=str(data["scope"]),
        findings=[Finding.from_ocsf(f) for f in data.get("findings", [])],
        gaps=[
            Gap(g["engine"], g["scope"], g["reason"], tuple(g.get("checks", ())))
            for g in data.get("gaps", [])
        ],
        started_ms=int(data.get("started_ms", 0)),
        finished_ms=int(data.get("finished_ms", 0)),
        coverage=Coverage.from_json(data["coverage"]) if data.get("coverage") else None,
    )


class Checkpoint:
    """An append-only JSON-lines file of finished accounts; thread-safe appends, fsynced per line."""

    def __init__(self, path: Path, print_: str) -> None:
        self.path = path
        self.fingerprint = print_
        self._lock = threading.Lock()

    def start(self) -> None:
        """Begin a new checkpoint (any previous content is replaced)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        header = {"kind": "header", "format": FORMAT, "fingerprint": self.fingerprint}
        self.path.write_text(json.dumps(header) + "\n", encoding="utf-8")

    def load(self) -> dict[str, ScanResult]:
        """The finished accounts by scope; InputError when the file is not a checkpoint of this scan.

        A last line cut short by a kill is ignored (that account is scanned again).
        """
        if not self.path.exists():
            raise InputError(
                f"--resume: checkpoint {str(self.path)!r} does not exist; run without --resume first"
            )
        lines = self.path.read_text(encoding="utf-8").splitlines()
        try:
            header = json.loads(lines[0]) if lines else {}
        except ValueError:
            header = {}
        if header.get("format") != FORMAT:
            raise InputError(f"--resume: {str(self.path)!r} is not a soryoku posture checkpoint")
        if header.get("fingerprint") != self.fingerprint:
            raise InputError(
                f"--resume: checkpoint {str(self.path)!r} was made with other checks, regions or accounts; "
                "run the same command, or start again without --resume"
            )
        done: dict[str, ScanResult] = {}
        for number, line in enumerate(lines[1:], 2):
            try:
                data = json.loads(line)
            except ValueError:
                if number == len(lines):
                    break  # the line being written when the scan was killed
                raise InputError(
                    f"--resume: checkpoint {str(self.path)!r} line {number} is damaged"
                ) from None
            result = result_from_json(data)
            done[result.scope] = result
        return done

    def add(self, result: ScanResult) -> None:
        """Append one finished account."""
        line = json.dumps(result_to_json(result), separators=(",", ":")) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())


def _isolated(target: AwsTarget, checks: list[Check], options: PostureOptions, now: datetime) -> ScanResult:
    """Scan one account; a failure that escapes it becomes the account's gap, never the scan's end."""
    started = now_ms()
    try:
        return scan_account(target, checks, options, now)
    except COLLECTION_ERRORS as exc:
        reason = failure_reason(exc)
    except CredentialsError as exc:
        reason = str(exc)
    scope = f"aws:{target.account_id}"
    return ScanResult(
        ENGINE, scope, gaps=[Gap(ENGINE, scope, reason)], started_ms=started, finished_ms=now_ms()
    )


def scan_accounts(
    options: PostureOptions,
    *,
    checkpoint: Path | None = None,
    resume: bool = False,
    account_workers: int = DEFAULT_ACCOUNT_WORKERS,
    on_account: AccountCallback | None = None,
) -> list[ScanResult]:
    """Scan every account ``options`` names, ``account_workers`` at a time; one ScanResult per account.

    Accounts whose scan failed as a whole (credentials, region discovery) are returned with their
    gap but not checkpointed, so a resumed scan tries them again.
    """
    checks = select_checks(options.check_filter)
    if not checks:
        raise InputError("the check filters (--checks/--services/--severity/--compliance) select no check")
    COLLECTORS.load()
    store = Checkpoint(checkpoint, fingerprint(options, checks)) if checkpoint is not None else None
    finished: dict[str, ScanResult] = {}
    if store is not None:
        if resume:
            finished = store.load()
        else:
            store.start()
    targets, unreachable = account_targets(options)
    results = list(unreachable)  # never checkpointed: a resumed scan tries to reach them again
    pending = [t for t in targets if f"aws:{t.account_id}" not in finished]
    total = len(targets) + len(results)
    done = 0
    for target in targets:
        previous = finished.get(f"aws:{target.account_id}")
        if previous is not None:
            results.append(previous)
            done += 1
            if on_account is not None:
                on_account(
                    AccountDone(
                        target.account_id, done, total, len(previous.findings), len(previous.gaps), True
                    )
                )
    for result in unreachable:
        done += 1
        if on_account is not None:
            on_account(AccountDone(result.scope.removeprefix("aws:"), done, total, 0, len(result.gaps)))
    now = datetime.now(UTC)
    with ThreadPoolExecutor(
        max_workers=max(1, account_workers), thread_name_prefix="soryoku-account"
    ) as pool:
        futures = {pool.submit(_isolated, target, checks, options, now): target for target in pending}
        for future in as_completed(futures):
            result = future.result()
            failed_whole = bool(result.gaps) and not result.findings and result.gaps[0].scope == result.scope
            if store is not None and not failed_whole:
                store.add(result)
            results.append(result)
            done += 1
            if on_account is not None:
                on_account(
                    AccountDone(
                        futures[future].account_id, done, total, len(result.findings), len(result.gaps)
                    )
                )
    return sorted(results, key=lambda r: r.scope)


__all__ = [
    "DEFAULT_ACCOUNT_WORKERS",
    "AccountCallback",
    "AccountDone",
    "Checkpoint",
    "fingerprint",
    "result_from_json",
    "result_to_json",
    "scan_accounts",
]
