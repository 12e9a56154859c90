"""``soryoku export securityhub``: send the store's current findings to AWS Security Hub as ASFF."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from soryoku.cli.common import DbOption, QuietOption, VerboseOption, console
from soryoku.core.errors import ExitCode, SoryokuError
from soryoku.core.finding import Finding

export_app = typer.Typer(
    name="export",
    help="Send findings from the store to other systems.",
    no_args_is_help=True,
)

RegionOption = Annotated[
    str | None,
    typer.Option("--region", help="Security Hub region to import into (default: the session's region)."),
]
ProfileOption = Annotated[str | None, typer.Option("--profile", help="AWS profile to use.")]
EngineOption = Annotated[
    str | None, typer.Option("--engine", help="Only findings of this engine (posture, detect, vuln, …).")
]
IncludePassedOption = Annotated[
    bool, typer.Option("--include-passed", help="Also send PASS results (as Compliance.Status PASSED).")
]
DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="Print the ASFF that would be sent to stdout; call no AWS API."),
]


def _load(db: str | None, engine: str | None, include_passed: bool) -> list[Finding]:
    from soryoku.hub.store import open_store

    with open_store(db) as store:
        return store.current_findings(engine=engine, include_resolved=False, include_passed=include_passed)


@export_app.command("securityhub")
def securityhub(
    db: DbOption = None,
    region: RegionOption = None,
    profile: ProfileOption = None,
    engine: EngineOption = None,
    include_passed: IncludePassedOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Import current findings into Security Hub with BatchImportFindings (100 per call).

    Exits 0 when every finding was accepted, 3 when Security Hub rejected any (each listed).
    """
    from soryoku.hub.exporters.securityhub import MAX_BATCH, export_findings, to_asff_batch
    from soryoku.output.asff import DEFAULT_REGION, PLACEHOLDER_ACCOUNT

    findings = _load(db, engine, include_passed)
    out = console()
    if dry_run:
        accounts = sorted({f.account_uid for f in findings if f.account_uid})
        asff = to_asff_batch(
            findings,
            account_id=accounts[0] if accounts else PLACEHOLDER_ACCOUNT,
            region=region or DEFAULT_REGION,
        )
        json.dump(asff, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        if not quiet:
            calls = -(-len(asff) // MAX_BATCH)
            out.print(
                f"dry run: {len(asff)} findings would be sent in {calls} BatchImportFindings calls",
                soft_wrap=True,
            )
        raise typer.Exit(int(ExitCode.OK))
    if not findings:
        if not quiet:
            out.print("no findings to export")
        raise typer.Exit(int(ExitCode.OK))

    from botocore.exceptions import BotoCoreError, ClientError

    from soryoku.aws.clients import ClientFactory
    from soryoku.aws.failures import failure_reason
    from soryoku.aws.session import base_session, caller_account, session_region

    session = base_session(profile, region)
    account = caller_account(session)
    where = region or session_region(session)
    client = ClientFactory(session, account).client("securityhub", where)
    try:
        result = export_findings(findings, client, account_id=account, region=where)
    except (BotoCoreError, ClientError) as exc:
        raise SoryokuError(
            f"Security Hub in {where} (account {account}) refused the import: {failure_reason(exc)}"
        ) from exc
    if not quiet:
        out.print(
            f"sent {result.sent} findings to Security Hub in {where} in {result.batches} calls: "
            f"{result.succeeded} accepted, {len(result.failed)} failed",
            soft_wrap=True,
        )
    if result.failed:
        for failed in result.failed:
            out.print(
                f"failed {failed.id}: {failed.error_code}: {failed.error_message}",
                markup=False,
                soft_wrap=True,
            )
        raise typer.Exit(int(ExitCode.INCOMPLETE))
    raise typer.Exit(int(ExitCode.OK))


def register(app: typer.Typer) -> None:
    """Add the ``export`` command group to the root app."""
    app.add_typer(export_app, name="export")


__all__ = ["export_app", "register", "securityhub"]
