"""The engines ``soryoku scan`` runs against a real account, each through its own public API.

posture (``run_posture``), vuln (``vuln.account.scan_accounts``: Lambda functions and ECR images),
detect (``detect.engine.detect`` over ``--logs`` folders or ``s3://`` prefixes, with the same
store as ``soryoku detect``) and content (``content.s3.scan_prefix`` over ``--content`` prefixes,
report-only unless ``--content-actions``). An engine whose extra is not installed is a Gap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from soryoku.core.errors import InputError
from soryoku.core.finding import now_ms
from soryoku.core.result import Gap, ScanResult
from soryoku.posture.engine import PostureOptions

ENGINES = ("posture", "vuln", "detect", "content")
DEFAULT_ENGINES = ("posture", "vuln")  # the engines that need no input besides the account
# the top-level modules each engine's extra installs (an ImportError of another module is a bug)
EXTRA_MODULES = {
    "vuln": {"packaging", "univers", "cvss"},
    "detect": {"duckdb", "msgspec", "pyarrow", "sigma", "maxminddb", "platformdirs"},
    "content": {"yara", "yara_x", "py7zr"},
}


@dataclass(frozen=True, slots=True)
class EnginePlan:
    """What ``soryoku scan`` runs: the engines, the account options, and each engine's inputs."""

    engines: tuple[str, ...]
    posture: PostureOptions
    logs: tuple[str, ...] = ()
    content: tuple[str, ...] = ()
    content_actions: bool = False
    vuln_db: Path | None = None
    all_image_tags: bool = False


def choose_engines(value: str | None, logs: tuple[str, ...], content: tuple[str, ...]) -> tuple[str, ...]:
    """``--engines`` (comma-separated) plus what ``--logs``/``--content`` add, in the canonical order."""
    asked = [part.strip() for part in (value or ",".join(DEFAULT_ENGINES)).split(",") if part.strip()]
    unknown = sorted(set(asked) - set(ENGINES))
    if unknown or not asked:
        raise InputError(f"--engines {value!r}: expected a comma-separated list of {', '.join(ENGINES)}")
    wanted = set(asked) | ({"detect"} if logs else set()) | ({"content"} if content else set())
    if "detect" in wanted and not logs:
        raise InputError("--engines detect: give the logs to read with --logs PATH|s3://bucket/prefix")
    if "content" in wanted and not content:
        raise InputError("--engines content: give the objects to scan with --content s3://bucket/prefix")
    return tuple(e for e in ENGINES if e in wanted)


def validate(plan: EnginePlan) -> None:
    """Every input checked before any engine runs (bad input: exit 2 before work)."""
    for location in plan.logs:
        if not location.startswith("s3://") and not Path(location).exists():
            raise InputError(f"--logs {location!r}: no such file or folder (expected a path or s3://…)")
        if location.startswith("s3://") and not location[5:].split("/", 1)[0]:
            raise InputError(f"--logs {location!r}: expected s3://bucket[/prefix]")
    for uri in plan.content:
        if not uri.startswith("s3://") or not uri[5:].split("/", 1)[0]:
            raise InputError(f"--content {uri!r}: expected s3://bucket[/prefix]")
    if plan.content_actions and not plan.content:
        raise InputError("--content-actions: acts on the objects of --content; give --content s3://…")
    if plan.vuln_db is not None and "vuln" in plan.engines and not plan.vuln_db.is_file():
        raise InputError(
            f"--vuln-db {str(plan.vuln_db)!r}: no such file; create it with `soryoku vuln db import PATH`"
        )


def _missing(engine: str, scope: str, exc: ImportError) -> ScanResult:
    reason = f"engine not installed ({exc.name}): pip install 'soryoku[{engine}]'"
    return ScanResult(engine=engine, scope=scope, gaps=[Gap(engine, scope, reason)])


def _vuln(plan: EnginePlan) -> list[ScanResult]:
    from soryoku.vuln.account import WorkloadOptions, scan_accounts
    from soryoku.vuln.advisories.store import default_db_path, open_db

    path = plan.vuln_db or default_db_path()
    options = WorkloadOptions(all_image_tags=plan.all_image_tags)
    if not path.is_file():
        return scan_accounts(plan.posture, None, db_path=path, options=options)
    db = open_db(path)
    try:
        return scan_accounts(plan.posture, db, options=options)
    finally:
        db.close()


def _detect(plan: EnginePlan) -> list[ScanResult]:
    from platformdirs import user_cache_dir

    from soryoku.detect.database import DetectContext
    from soryoku.detect.engine import default_store_dir, detect
    from soryoku.detect.intel import load_intel
    from soryoku.detect.sources import IngestState, LogStore

    ctx = DetectContext(intel=load_intel([]))
    results = []
    for location in plan.logs:
        # the store `soryoku detect LOCATION` uses: later runs read only new files
        store = default_store_dir(location, Path(user_cache_dir("soryoku")) / "detect")
        result, _ = detect(location, LogStore(store), ctx, state=IngestState.load(store / "state.json"))
        results.append(result)
    return results


def _content(plan: EnginePlan) -> list[ScanResult]:
    from botocore.config import Config

    from soryoku.aws.session import base_session, caller_account, role_target
    from soryoku.content.actions import ActionSettings
    from soryoku.content.findings import ENGINE, add_result, rule_gaps
    from soryoku.content.s3 import bucket_region, scan_prefix
    from soryoku.content.setup import ScannerSettings, build_scanner

    session = base_session(plan.posture.profile)
    if plan.posture.role_arn:
        session = role_target(session, plan.posture.role_arn, external_id=plan.posture.external_id).session
    account_id = caller_account(session)
    config = Config(retries={"mode": "adaptive", "max_attempts": 5}, max_pool_connections=16)
    s3, sns = session.client("s3", config=config), session.client("sns", config=config)
    built = build_scanner(ScannerSettings())
    # report-only by default: --content-actions tags each object with its scan status
    actions = ActionSettings(tag=plan.content_actions)
    results = []
    for uri in plan.content:
        result = ScanResult(engine=ENGINE, scope=uri, started_ms=now_ms())
        bulk = scan_prefix(built.scanner, s3, sns, uri, actions=actions)
        region = bucket_region(s3, uri)
        for object_result, _ in sorted(bulk.scanned, key=lambda pair: pair[0].key):
            add_result(result, object_result, account_id=account_id, region=region)
        if bulk.listing_error:
            result.gaps.append(Gap(ENGINE, uri, bulk.listing_error))
        result.finished_ms = now_ms()
        results.append(result)
    if results:
        results[0].gaps.extend(rule_gaps(built.failures))
    return results


def run_engines(plan: EnginePlan, posture: Callable[[PostureOptions], list[ScanResult]]) -> list[ScanResult]:
    """Run the planned engines in order; ``posture`` runs the posture engine (as the demo does)."""
    runners: dict[str, Callable[[EnginePlan], list[ScanResult]]] = {
        "posture": lambda p: posture(p.posture),
        "vuln": _vuln,
        "detect": _detect,
        "content": _content,
    }
    results: list[ScanResult] = []
    for engine in plan.engines:
        try:
            results += runners[engine](plan)
        except ImportError as exc:
            if (exc.name or "").split(".")[0] not in EXTRA_MODULES.get(engine, set()):
                raise
            scope = ", ".join(plan.logs if engine == "detect" else plan.content) or "aws"
            results.append(_missing(engine, scope, exc))
    return results


__all__ = ["DEFAULT_ENGINES", "ENGINES", "EnginePlan", "choose_engines", "run_engines", "validate"]
