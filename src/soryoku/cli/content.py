"""``soryoku content scan|package``: malware scanning of files and S3 objects from the command line."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from soryoku.cli.common import (
    DbOption,
    FailOnOption,
    FormatOption,
    MutelistOption,
    NoStoreOption,
    OutputOption,
    QuietOption,
    SeverityOption,
    VerboseOption,
    console,
    finish,
    resolve_output,
)
from soryoku.core.errors import InputError
from soryoku.core.finding import now_ms
from soryoku.core.result import ScanResult

MB = 1024 * 1024


def _validate_targets(targets: list[str]) -> None:
    from soryoku.content.s3 import parse_s3_uri

    if not targets:
        raise InputError("content scan: give at least one PATH or s3://bucket/prefix")
    for target in targets:
        if target.startswith("s3://"):
            parse_s3_uri(target)
        elif not Path(target).exists():
            raise InputError(f"target {target!r}: no such file or folder")


def scan(
    targets: Annotated[list[str], typer.Argument(help="Files, folders or s3://bucket/prefix to scan.")],
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="YARA rule file or folder (repeatable).")
    ] = None,
    no_default_rules: Annotated[
        bool, typer.Option("--no-default-rules", help="Do not add the rules shipped with soryoku.")
    ] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="YARA engine: yara (yara-python), yarax, none.")
    ] = "yara",
    hash_list: Annotated[
        list[Path] | None,
        typer.Option("--hash-list", help="SHA-256/SHA-1/MD5 list, plain or CSV (repeatable)."),
    ] = None,
    clamd: Annotated[
        str | None, typer.Option("--clamd", help="clamd socket path or host:port (adds ClamAV).")
    ] = None,
    max_object_mb: Annotated[int, typer.Option("--max-object-mb", help="Largest object to scan.")] = 2048,
    max_expanded_mb: Annotated[
        int, typer.Option("--max-expanded-mb", help="Most bytes unpacked from one object.")
    ] = 4096,
    max_depth: Annotated[int, typer.Option("--max-depth", help="Deepest archive nesting.")] = 5,
    max_members: Annotated[
        int, typer.Option("--max-members", help="Most archive members per object.")
    ] = 10_000,
    max_ratio: Annotated[
        float, typer.Option("--max-ratio", help="Highest compression ratio (bombs).")
    ] = 200.0,
    type_policy: Annotated[
        bool,
        typer.Option("--type-policy/--no-type-policy", help="Flag executables posing as images/documents."),
    ] = True,
    block_type: Annotated[
        list[str] | None,
        typer.Option("--block-type", help="Flag this true file type (pe, elf, …; repeatable)."),
    ] = None,
    audit_log: Annotated[
        Path | None, typer.Option("--audit-log", help="Write one JSON line per scanned object here.")
    ] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", help="Objects scanned at once.")] = 4,
    checkpoint: Annotated[
        Path | None, typer.Option("--checkpoint", help="S3: resume file (finished objects are skipped).")
    ] = None,
    tag: Annotated[bool, typer.Option("--tag", help="S3: tag each object with its scan status.")] = False,
    all_versions: Annotated[
        bool, typer.Option("--all-versions", help="S3: scan every version, not only the current objects.")
    ] = False,
    rescan: Annotated[
        bool, typer.Option("--rescan", help="S3: scan objects already tagged by the same rules version.")
    ] = False,
    quarantine_bucket: Annotated[
        str | None, typer.Option("--quarantine-bucket", help="S3: move malicious objects to this bucket.")
    ] = None,
    quarantine_incomplete: Annotated[
        bool,
        typer.Option(
            "--quarantine-incomplete", help="S3: quarantine unscannable objects too (encrypted, bombs)."
        ),
    ] = False,
    promote_bucket: Annotated[
        str | None, typer.Option("--promote-bucket", help="S3: copy clean objects to this bucket.")
    ] = None,
    event_bus: Annotated[
        str | None, typer.Option("--event-bus", help="S3: send non-clean verdicts to this EventBridge bus.")
    ] = None,
    sns_topic: Annotated[
        str | None, typer.Option("--sns-topic", help="S3: publish non-clean verdicts to this SNS topic ARN.")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    severity: SeverityOption = None,
    fail_on: FailOnOption = "none",
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    db: DbOption = None,
    mutelist: MutelistOption = None,
    no_store: NoStoreOption = False,
) -> None:
    """Scan files, folders or S3 prefixes for malware: one verdict per object, findings for the malicious."""
    from soryoku.content.actions import ActionSettings
    from soryoku.content.audit import AuditLog
    from soryoku.content.filetype import TypePolicy
    from soryoku.content.findings import ENGINE, add_result, rule_gaps
    from soryoku.content.setup import ScannerSettings, build_scanner
    from soryoku.content.verdict import Limits, ObjectResult, Verdict

    choice = resolve_output(fmt, output, severity, fail_on, quiet)
    _validate_targets(targets)
    if concurrency < 1:
        raise InputError(f"--concurrency {concurrency}: expected 1 or more")
    if min(max_object_mb, max_expanded_mb, max_depth, max_members) < 0 or max_ratio <= 1:
        raise InputError("limits: expected non-negative sizes/counts and --max-ratio above 1")
    settings = ScannerSettings(
        rules=tuple(rules or ()),
        include_default_rules=not no_default_rules,
        yara_engine=engine,
        hash_lists=tuple(hash_list or ()),
        clamd=clamd,
        limits=Limits(
            max_object_bytes=max_object_mb * MB,
            max_expanded_bytes=max_expanded_mb * MB,
            max_depth=max_depth,
            max_members=max_members,
            max_ratio=max_ratio,
        ),
        type_policy=TypePolicy(blocked_types=frozenset(block_type or ())) if type_policy else None,
    )
    built = build_scanner(settings)
    actions = ActionSettings(
        tag=tag,
        quarantine_bucket=quarantine_bucket,
        quarantine_verdicts=frozenset(
            {Verdict.MALICIOUS, Verdict.UNSCANNABLE} if quarantine_incomplete else {Verdict.MALICIOUS}
        ),
        sns_topic_arn=sns_topic,
        promote_bucket=promote_bucket,
        event_bus=event_bus,
    )
    verdicts: Counter[str] = Counter()
    results: list[ScanResult] = []
    show = not quiet and console().is_terminal
    with AuditLog(audit_log) as audit, _progress(show) as progress:
        task = progress.add_task("scanning", total=None) if progress is not None else None
        lock = threading.Lock()

        def seen(result: ObjectResult, extra: dict[str, object] | None = None) -> None:
            audit.write(result, **(extra or {}))
            with lock:  # S3 results arrive from the worker threads
                verdicts[result.verdict.value] += 1
                if progress is not None and task is not None:
                    counts = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))
                    progress.update(task, advance=1, description=f"scanning: {counts}")

        for target in targets:
            scan_result = ScanResult(engine=ENGINE, scope=target, started_ms=now_ms())
            if target.startswith("s3://"):
                from soryoku.aws.session import base_session, caller_account
                from soryoku.content.s3 import bucket_region, s3_clients, scan_prefix

                account_id = caller_account(base_session())  # no usable credentials: exit 2 before work
                s3, sns = s3_clients(concurrency)
                bulk = scan_prefix(
                    built.scanner,
                    s3,
                    sns,
                    target,
                    actions=actions,
                    concurrency=concurrency,
                    checkpoint=checkpoint,
                    rescan=rescan,
                    all_versions=all_versions,
                    on_result=lambda r, done: seen(r, {"actions": [o.to_dict() for o in done]}),
                )
                region = bucket_region(s3, target)
                for object_result, _ in sorted(bulk.scanned, key=lambda pair: pair[0].key):
                    add_result(scan_result, object_result, account_id=account_id, region=region)
                if bulk.listing_error:
                    from soryoku.core.result import Gap

                    scan_result.gaps.append(Gap(engine=ENGINE, scope=target, reason=bulk.listing_error))
                if not quiet and (bulk.skipped_checkpoint or bulk.skipped_tagged):
                    console().print(
                        f"skipped {bulk.skipped_checkpoint} objects finished in the checkpoint and "
                        f"{bulk.skipped_tagged} already tagged by {built.scanner.version}"
                    )
            else:
                for object_result in built.scanner.scan_paths([Path(target)], concurrency):
                    seen(object_result)
                    add_result(scan_result, object_result)
            scan_result.finished_ms = now_ms()
            results.append(scan_result)
    if results:
        results[0].gaps.extend(rule_gaps(built.failures))
    if not quiet:
        summary = ", ".join(f"{count} {name}" for name, count in sorted(verdicts.items())) or "nothing"
        console().print(
            f"content scan: {sum(verdicts.values())} objects: {summary} ({built.scanner.version})"
        )
    raise typer.Exit(
        finish(
            results, choice, db=db, mutelist=mutelist, store_run=not no_store, title="soryoku content scan"
        )
    )


def rules_check(
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="YARA rule file or folder (repeatable).")
    ] = None,
    no_default_rules: Annotated[
        bool, typer.Option("--no-default-rules", help="Do not add the rules shipped with soryoku.")
    ] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="Compile with yara (yara-python) or yarax.")
    ] = "yara",
    quiet: QuietOption = False,
) -> None:
    """Compile rules as a scan would: count them, name the rules version, list files that fail (exit 3)."""
    from soryoku.content.rules import collect_rules, compile_yara, compile_yarax, default_rules_dir
    from soryoku.core.errors import ExitCode

    if engine not in {"yara", "yarax"}:
        raise InputError(f"--engine {engine!r}: expected yara or yarax")
    paths = list(rules or ())
    if not no_default_rules or not paths:
        paths.insert(0, default_rules_dir())
    ruleset = collect_rules(paths)
    compiled = (compile_yara if engine == "yara" else compile_yarax)(ruleset, use_cache=False)
    out = console(stderr=False)
    for failure in compiled.failures:
        out.print(f"failed  {failure.path}: {failure.error}", markup=False)
    if not quiet:
        out.print(
            f"{len(ruleset.files)} files, {compiled.count} rules, "
            f"{len(compiled.failures)} failed to compile; rules version {ruleset.version} ({engine})"
        )
    raise typer.Exit(int(ExitCode.INCOMPLETE if compiled.failures else ExitCode.OK))


def package(
    output: Annotated[Path, typer.Option("--output", "-o", help="The Lambda zip to write.")] = Path(
        "soryoku-content-lambda.zip"
    ),
    deps: Annotated[
        str,
        typer.Option(
            "--deps", help="env: copy dependencies from this environment; none: leave them to a layer."
        ),
    ] = "env",
    with_7z: Annotated[
        bool, typer.Option("--with-7z/--without-7z", help="Include py7zr (7z support).")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Build the Lambda deployment zip (soryoku's scanner, its default rules, and dependencies)."""
    from soryoku.content.package import build_lambda_zip

    started = time.perf_counter()
    info = build_lambda_zip(output, deps=deps, with_7z=with_7z)
    if not quiet:
        console().print(
            f"wrote {output} ({info.size // 1024} KiB, {info.files} files, handler "
            f"{info.handler}) in {time.perf_counter() - started:.1f} s"
        )


@contextlib.contextmanager
def _progress(show: bool) -> Iterator[Progress | None]:
    """A transient progress line on a terminal; nothing in pipelines, CI or with --quiet."""
    if not show:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console(),
        transient=True,
    ) as progress:
        yield progress


def register(app: typer.Typer) -> None:
    """Add the ``content`` command group."""
    group = typer.Typer(help="Malware scanning of files and S3 objects.", no_args_is_help=True)
    group.command("scan")(scan)
    group.command("package")(package)
    group.command("rules")(rules_check)
    app.add_typer(group, name="content")


__all__ = ["package", "register", "rules_check", "scan"]
