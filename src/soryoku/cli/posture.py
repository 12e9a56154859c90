"""``soryoku posture``: configuration checks over one account, a role, or a whole Organization."""

from __future__ import annotations

import sys
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
    OutputOption,
    ProfileOption,
    QuietOption,
    RegionsOption,
    RoleArnOption,
    SeverityOption,
    VerboseOption,
    console,
    finish,
    resolve_output,
)
from soryoku.core.errors import InputError
from soryoku.posture.collection import UnitOutcome
from soryoku.posture.compliance.frameworks import resolve_framework_id
from soryoku.posture.engine import DEFAULT_MAX_WORKERS, PostureOptions, run_posture
from soryoku.posture.selection import split_names

Names = Annotated[list[str] | None, typer.Option(help="Comma-separated or repeated.")]


posture_app = typer.Typer(
    name="posture",
    help="Check AWS configuration against FSBP and CIS AWS Foundations v3.0.0.",
    invoke_without_command=True,
    no_args_is_help=False,
)

# Subcommands of `soryoku posture`, one module each under soryoku.cli, each exposing
# `register(posture_app)`; without a subcommand, `soryoku posture` scans.
POSTURE_SUBCOMMAND_MODULES: tuple[str, ...] = ("posture_fix", "posture_permissions")


def posture(
    ctx: typer.Context,
    profile: ProfileOption = None,
    role_arn: RoleArnOption = None,
    external_id: ExternalIdOption = None,
    org: OrgOption = False,
    org_role: OrgRoleOption = DEFAULT_ORG_ROLE,
    region: RegionsOption = None,
    all_regions: Annotated[
        bool,
        typer.Option("--all-regions", help="Every region AWS lists; opt-in regions not enabled are gaps."),
    ] = False,
    checks: Annotated[list[str] | None, typer.Option("--checks", help="Only these check ids.")] = None,
    exclude_checks: Annotated[
        list[str] | None, typer.Option("--exclude-checks", help="Leave these check ids out.")
    ] = None,
    services: Annotated[list[str] | None, typer.Option("--services", help="Only these services.")] = None,
    compliance: Annotated[
        str | None, typer.Option("--compliance", help="Only checks of a framework: fsbp or cis-3.0.")
    ] = None,
    max_workers: Annotated[
        int, typer.Option("--max-workers", min=1, max=64, help="Parallel collection threads.")
    ] = DEFAULT_MAX_WORKERS,
    rules_dir: Annotated[
        list[Path] | None,
        typer.Option("--rules-dir", help="Also run the custom YAML rules in this directory (repeatable)."),
    ] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option("--checkpoint", help="Save each finished account here (JSON lines) as the scan goes."),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Continue the scan saved in --checkpoint: skip finished accounts."),
    ] = False,
    account_workers: Annotated[
        int, typer.Option("--account-workers", min=1, max=64, help="Accounts scanned at once (--org).")
    ] = 4,
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
    """Check AWS configuration against FSBP and CIS AWS Foundations v3.0.0.

    Exit 0 nothing at or above --fail-on, 1 a FAIL at or above it, 2 bad input, 3 something was
    not evaluated (access denied, API unavailable, region not enabled). Subcommands act on the
    checks instead of scanning.
    """
    if ctx.invoked_subcommand is not None:
        return
    choice = resolve_output(fmt, output, severity, fail_on, quiet)
    if region and all_regions:
        raise InputError("--region and --all-regions: give one or the other")
    if rules_dir:
        from soryoku.posture.custom_rules import load_rules_dirs

        load_rules_dirs(rules_dir)
    options = PostureOptions(
        profile=profile,
        role_arn=role_arn,
        external_id=external_id,
        org=org,
        org_role_name=org_role,
        regions=split_names(region) if region else None,
        all_regions=all_regions,
        checks=split_names(checks or []),
        exclude_checks=split_names(exclude_checks or []),
        services=split_names(services or []),
        severity=choice.min_severity if severity else None,
        compliance=resolve_framework_id(compliance) if compliance else None,
        max_workers=max_workers,
    )
    show_progress = not quiet and sys.stderr.isatty()
    if org or checkpoint or resume:  # account by account: progress, isolation, checkpoints
        from soryoku.cli.posture_resume import default_checkpoint, scan_with_progress

        results = scan_with_progress(
            options,
            checkpoint=checkpoint or (default_checkpoint() if resume else None),
            resume=resume,
            account_workers=account_workers,
            show_progress=show_progress,
        )
    elif show_progress:
        with console().status("collecting…") as status:
            done = 0

            def progress(outcome: UnitOutcome) -> None:
                nonlocal done
                done += 1
                unit = outcome.unit
                status.update(f"collected {done}: {unit.account_id} {unit.region} {unit.collector_id}")

            results = run_posture(options, on_progress=progress)
    else:
        results = run_posture(options)
    title = "soryoku posture" + (f" — {compliance}" if compliance else "")
    raise typer.Exit(finish(results, choice, db=db, mutelist=mutelist, store_run=not no_store, title=title))


def register(app: typer.Typer) -> None:
    """Add ``soryoku posture`` (and its subcommands) to the root app."""
    import importlib

    posture_app.callback()(posture)
    for name in POSTURE_SUBCOMMAND_MODULES:
        importlib.import_module(f"soryoku.cli.{name}").register(posture_app)
    app.add_typer(posture_app)


__all__ = ["POSTURE_SUBCOMMAND_MODULES", "posture", "posture_app", "register"]
