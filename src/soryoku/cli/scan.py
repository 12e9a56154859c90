"""``soryoku scan``: the main job — every available engine against an AWS account, one report."""

from __future__ import annotations

import importlib
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from soryoku.cli.common import (
    DEFAULT_ORG_ROLE,
    DbOption,
    ExternalIdOption,
    FailOnOption,
    FormatOption,
    MutelistOption,
    NoStoreOption,
    OrgOption,
    OrgRoleOption,
    OutputChoice,
    OutputOption,
    ProfileOption,
    QuietOption,
    RegionsOption,
    RoleArnOption,
    SeverityOption,
    VerboseOption,
    console,
    emit,
    record,
    resolve_output,
)
from soryoku.cli.scan_engines import EnginePlan, choose_engines, run_engines, validate
from soryoku.cli.vuln import VulnDbOption
from soryoku.core.errors import InputError
from soryoku.core.finding import ResultStatus, WorkflowStatus
from soryoku.core.result import Gap, ScanResult
from soryoku.core.severity import Severity
from soryoku.output.base import Report
from soryoku.posture.engine import PostureOptions

# Engines that add a layer to the demo account: each module exposes `run_demo(ctx) -> ScanResult`.
DEMO_LAYERS: tuple[tuple[str, str], ...] = (
    ("detect", "soryoku.detect.demo"),
    ("vuln", "soryoku.vuln.demo"),
    ("content", "soryoku.content.demo"),
)
DEMO_SCOPE_PREFIX = "demo:"
_SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFORMATIONAL)


def _posture(
    profile: str | None,
    role_arn: str | None,
    external_id: str | None,
    org: bool,
    org_role: str,
    regions: tuple[str, ...] | None,
) -> list[ScanResult]:
    from soryoku.posture.engine import PostureOptions, run_posture

    options = PostureOptions(
        profile=profile,
        role_arn=role_arn,
        external_id=external_id,
        org=org,
        org_role_name=org_role,
        regions=regions,
    )
    return run_posture(options)


def _demo_layers(account_id: str, region: str, endpoint: str, workdir: Path) -> list[ScanResult]:
    from soryoku.demo.context import DemoContext

    context = DemoContext(endpoint_url=endpoint, account_id=account_id, region=region, workdir=workdir)
    results: list[ScanResult] = []
    for engine, module_name in DEMO_LAYERS:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            results.append(
                ScanResult(
                    engine=engine,
                    scope=f"aws:{account_id}",
                    gaps=[
                        Gap(
                            engine=engine,
                            scope=f"aws:{account_id}",
                            reason=f"engine not installed ({exc.name}): pip install 'soryoku[{engine}]'",
                        )
                    ],
                )
            )
            continue
        layer_dir = workdir / engine
        layer_dir.mkdir()
        results.append(
            module.run_demo(
                DemoContext(
                    endpoint_url=context.endpoint_url,
                    account_id=context.account_id,
                    region=context.region,
                    workdir=layer_dir,
                )
            )
        )
    return results


def run_demo_scan() -> list[ScanResult]:
    """Seed the simulated account and scan it through the same code paths as a real account."""
    from soryoku.demo.scenario import DEMO_REGIONS, seed_demo_account
    from soryoku.demo.server import simulated_account

    with simulated_account(DEMO_REGIONS[0]) as endpoint:
        estate = seed_demo_account()
        results = _posture(None, None, None, False, "OrganizationAccountAccessRole", DEMO_REGIONS)
        with tempfile.TemporaryDirectory(prefix="soryoku-demo-") as scratch:
            results += _demo_layers(estate.account_id, DEMO_REGIONS[0], endpoint, Path(scratch))
    for result in results:  # demo runs never mix with runs of a real account of the same id
        result.scope = DEMO_SCOPE_PREFIX + result.scope
        result.gaps = [Gap(g.engine, DEMO_SCOPE_PREFIX + g.scope, g.reason, g.checks) for g in result.gaps]
    return results


def print_summary(report: Report, choice: OutputChoice) -> None:
    """A short summary on the terminal: results by engine and severity, and what changed."""
    from rich.markup import escape
    from rich.table import Table

    out = console()
    table = Table(
        title=f"soryoku — {escape(report.scope)}",
        title_justify="left",
        caption="open FAILs by severity · passed · not evaluated (n/e) · suppressed",
        caption_justify="left",
    )
    table.add_column("engine")
    for header in ("crit", "high", "med", "low", "info", "pass", "n/e", "muted"):
        table.add_column(header, justify="right")
    for engine in sorted({f.engine for f in report.findings} | {g.engine for g in report.gaps}):
        mine = [f for f in report.findings if f.engine == engine]
        open_fails = Counter(
            f.severity_id
            for f in mine
            if f.status_code is ResultStatus.FAIL and f.status_id is not WorkflowStatus.SUPPRESSED
        )
        not_evaluated = sum(f.status_code is ResultStatus.NOT_EVALUATED for f in mine) + sum(
            g.engine == engine for g in report.gaps
        )
        table.add_row(
            engine,
            *(str(open_fails.get(s, 0)) for s in _SEVERITIES),
            str(sum(f.status_code is ResultStatus.PASS for f in mine)),
            str(not_evaluated),
            str(sum(f.status_id is WorkflowStatus.SUPPRESSED for f in mine)),
        )
    out.print(table)
    if report.diff_new is not None:
        out.print(f"since the last run of this scope: {report.diff_new} new, {report.diff_resolved} resolved")
    for gap in report.gaps:
        out.print(f"[yellow]not evaluated[/] {escape(gap.scope)}: {escape(gap.reason)}")


def scan(
    demo: Annotated[bool, typer.Option("--demo", help="Scan the built-in simulated AWS account.")] = False,
    profile: ProfileOption = None,
    role_arn: RoleArnOption = None,
    external_id: ExternalIdOption = None,
    org: OrgOption = False,
    org_role: OrgRoleOption = DEFAULT_ORG_ROLE,
    region: RegionsOption = None,
    rules_dir: Annotated[
        list[Path] | None,
        typer.Option("--rules-dir", help="Also run the custom YAML rules in this directory (repeatable)."),
    ] = None,
    engines: Annotated[
        str | None,
        typer.Option(
            "--engines", help="Comma-separated: posture, vuln, detect, content (default: posture,vuln)."
        ),
    ] = None,
    logs: Annotated[
        list[str] | None,
        typer.Option("--logs", help="Run detect over these logs: folder or s3://bucket/prefix (repeatable)."),
    ] = None,
    content: Annotated[
        list[str] | None,
        typer.Option("--content", help="Scan these objects for malware: s3://bucket/prefix (repeatable)."),
    ] = None,
    content_actions: Annotated[
        bool, typer.Option("--content-actions", help="Tag --content objects with their scan status.")
    ] = False,
    vuln_db: VulnDbOption = None,
    all_image_tags: Annotated[
        bool, typer.Option("--all-image-tags", help="vuln: every image of an ECR repository, not the newest.")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    severity: SeverityOption = None,
    fail_on: FailOnOption = "none",
    db: DbOption = None,
    mutelist: MutelistOption = None,
    no_store: NoStoreOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run every available engine against an AWS account and write one report.

    Without --demo the account is the one boto3 finds (environment, --profile, SSO, --role-arn).

    Engines: posture and vuln (Lambda, ECR images) by default; detect with --logs; content with --content.

    Exit 0 nothing at or above --fail-on, 1 a finding at or above it, 2 bad input, 3 not all evaluated.
    """
    if demo and (profile or role_arn or org or region or engines or logs or content or vuln_db):
        raise InputError(
            "--demo scans the simulated account with every engine: it takes no --profile, --role-arn, "
            "--org, --region, --engines, --logs, --content or --vuln-db"
        )
    choice = resolve_output(fmt, output, severity, fail_on, quiet)
    plan = EnginePlan(
        engines=choose_engines(engines, tuple(logs or ()), tuple(content or ())),
        posture=PostureOptions(
            profile=profile,
            role_arn=role_arn,
            external_id=external_id,
            org=org,
            org_role_name=org_role,
            regions=tuple(region) if region else None,
        ),
        logs=tuple(logs or ()),
        content=tuple(content or ()),
        content_actions=content_actions,
        vuln_db=vuln_db,
        all_image_tags=all_image_tags,
    )
    if not demo:
        validate(plan)
    if rules_dir:
        from soryoku.posture.custom_rules import load_rules_dirs

        load_rules_dirs(rules_dir)
    if demo:
        results = run_demo_scan()
        title = "soryoku demo — the simulated AWS account"
    else:
        from soryoku.posture.engine import run_posture

        results = run_engines(plan, run_posture)
        title = "soryoku scan"
    report = record(results, db=db, mutelist=mutelist, store_run=not no_store, title=title)
    if not quiet:
        print_summary(report, choice)
    raise typer.Exit(emit(report, choice))


def register(app: typer.Typer) -> None:
    """Add ``soryoku scan`` to the root app."""
    app.command("scan")(scan)


__all__ = ["register", "run_demo_scan", "scan"]
