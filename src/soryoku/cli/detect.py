"""``soryoku detect``: threat detection over CloudTrail, VPC Flow Logs and Route 53 Resolver logs."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

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
    RoleArnOption,
    SeverityOption,
    VerboseOption,
    console,
    finish,
    resolve_output,
)
from soryoku.core.errors import InputError
from soryoku.core.result import Coverage, Gap

if TYPE_CHECKING:
    from soryoku.detect.database import DetectContext
    from soryoku.detect.rules import Rule

_RELATIVE = re.compile(r"(\d+)([dhm])")


def parse_moment(text: str, option: str, now: datetime | None = None) -> datetime:
    """``2024-05-01``, ``2024-05-01T12:00``, ``…Z`` or relative ``7d``/``12h``/``30m`` → naive UTC,
    to the whole second (the rules' SQL window and the run's coverage then bound the same moments)."""
    value = text.strip()
    match = _RELATIVE.fullmatch(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        delta = {"d": timedelta(days=amount), "h": timedelta(hours=amount), "m": timedelta(minutes=amount)}[
            unit
        ]
        return ((now or datetime.now(UTC)).replace(tzinfo=None) - delta).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{option} {text!r}: expected a date/time (2024-05-01T12:00Z) or 7d/12h/30m"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def run_coverage(ctx: DetectContext, chosen: list[Rule] | None) -> Coverage | None:
    """What a detect run looked at: the rules it ran (``chosen``: built-in, narrowed by
    --rules/--exclude-rules, plus any --sigma rules) and the activity window (--since/--until).

    The findings store then resolves, by their absence, only stored findings inside it: a finding
    whose activity lies before --since was not looked at again, so it stays open.
    """

    def ms(moment: datetime | None) -> int | None:
        return None if moment is None else int(moment.replace(tzinfo=UTC).timestamp() * 1000)

    if chosen is None and ctx.since is None and ctx.until is None:
        return None
    checks = None if chosen is None else dict.fromkeys((r.id for r in chosen), None)
    return Coverage(checks, ms(ctx.since), ms(ctx.until))


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def detect(
    location: Annotated[
        str | None,
        typer.Argument(
            help="Log folder, s3://bucket/prefix (trail, flow-log, Resolver layouts), or lookup://[region,…] "
            "(CloudTrail LookupEvents: last 90 days of management events, for accounts with no trail)."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Report activity from here (date or 7d); lookup:// fetches only from here."
        ),
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Report activity before here.")] = None,
    intel: Annotated[
        list[Path] | None,
        typer.Option(
            "--intel", help="Threat list: IPs/CIDRs (GuardDuty TXT), domains, or Tor exit-addresses."
        ),
    ] = None,
    ip_ranges: Annotated[
        Path | None, typer.Option("--ip-ranges", help="AWS ip-ranges.json (inside vs outside AWS).")
    ] = None,
    asn_db: Annotated[
        list[Path] | None,
        typer.Option(
            "--asn-db",
            help="IP → ASN/org/country: a prefix,asn,org,country CSV or a MaxMind .mmdb (repeatable).",
        ),
    ] = None,
    environment: Annotated[
        Path | None, typer.Option("--environment", help="YAML/JSON: accounts, trusted_accounts, regions, …")
    ] = None,
    store: Annotated[
        Path | None, typer.Option("--store", help="Parquet store folder (default: in the user cache).")
    ] = None,
    state: Annotated[
        Path | None, typer.Option("--state", help="Incremental state file (default: inside the store).")
    ] = None,
    sigma_dir: Annotated[
        Path | None,
        typer.Option("--sigma-dir", help="Also run the aws/cloudtrail Sigma rules of this folder."),
    ] = None,
    rules: Annotated[list[str] | None, typer.Option("--rules", help="Only these rule ids.")] = None,
    exclude_rules: Annotated[
        list[str] | None, typer.Option("--exclude-rules", help="Leave these out.")
    ] = None,
    learning_days: Annotated[
        int,
        typer.Option(
            "--learning-days", min=0, help="History a principal needs before anomaly rules judge it."
        ),
    ] = 7,
    list_rules: Annotated[bool, typer.Option("--list-rules", help="List the detections and exit.")] = False,
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
    """Detect threats in AWS logs: stolen credentials, disabled logging, exfiltration, crypto-mining.

    Exit 0 nothing at or above --fail-on, 1 a finding at or above it, 2 bad input, 3 something was
    not evaluated (unreadable files or records, rules missing their context).
    """
    from soryoku.detect.rules import RULES

    if list_rules:
        for item in RULES:
            typer.echo(f"{item.id}\t{item.severity.label}\t{item.attack.technique}\t{item.title}")
        raise typer.Exit(0)
    if location is None:
        raise InputError(
            "soryoku detect: give a log folder, s3://bucket/prefix or lookup:// (or --list-rules)"
        )
    choice = resolve_output(fmt, output, severity, fail_on, quiet)
    ctx, chosen, store_dir, state_path = _prepare(
        location,
        since,
        until,
        intel,
        ip_ranges,
        asn_db,
        environment,
        store,
        state,
        rules,
        exclude_rules,
        learning_days,
    )
    sigma_gaps: list[Gap] = []
    skipped = 0
    if sigma_dir is not None:
        from soryoku.detect.sigma import load_sigma_dir

        sigma_rules, problems = load_sigma_dir(sigma_dir)
        chosen += sigma_rules
        sigma_gaps = [
            Gap("detect", p.location, f"Sigma rule not compiled: {p.reason}")
            for p in problems
            if p.applicable
        ]
        skipped = sum(1 for p in problems if not p.applicable)
    from soryoku.detect.engine import detect as run_detect
    from soryoku.detect.sources import IngestState, LogStore

    log_store = LogStore(store_dir)
    ingest_state = IngestState.load(state_path)
    if not quiet and sys.stderr.isatty():
        with console().status(f"reading {location} …"):
            result, report = run_detect(location, log_store, ctx, state=ingest_state, rules=chosen)
    else:
        result, report = run_detect(location, log_store, ctx, state=ingest_state, rules=chosen)
    result.gaps.extend(sigma_gaps)
    # Always the rules run: a run without --sigma must not resolve earlier Sigma findings.
    result.coverage = run_coverage(ctx, chosen)
    if not quiet:
        console().print(
            f"read {report.files_read} files ({report.files_skipped} already done), "
            f"{report.total_records} records; {len(chosen)} rules; store {store_dir}"
            + (f"; {skipped} Sigma rules of other log sources skipped" if skipped else "")
        )
    code = finish([result], choice, db=db, mutelist=mutelist, store_run=not no_store, title="soryoku detect")
    raise typer.Exit(code)


def _prepare(
    location: str,
    since: str | None,
    until: str | None,
    intel: list[Path] | None,
    ip_ranges: Path | None,
    asn_db: list[Path] | None,
    environment: Path | None,
    store: Path | None,
    state: Path | None,
    rules: list[str] | None,
    exclude_rules: list[str] | None,
    learning_days: int,
) -> tuple[DetectContext, list[Rule], Path, Path]:
    """Validate every option (exit 2 on bad input) before any log is read."""
    from soryoku.detect.database import DetectContext
    from soryoku.detect.engine import default_store_dir
    from soryoku.detect.environment import Environment, load_environment
    from soryoku.detect.geo import load_asn_db
    from soryoku.detect.intel import load_intel, load_ip_ranges
    from soryoku.detect.rules import RULES

    if location.startswith("lookup://"):
        from soryoku.detect.sources.lookup import parse_lookup_url

        parse_lookup_url(location)
    start = parse_moment(since, "--since") if since else None
    end = parse_moment(until, "--until") if until else None
    if start and end and start >= end:
        raise InputError(f"--since {since!r} is not before --until {until!r}")
    wanted = _split(rules)
    for rule_id in [*wanted, *_split(exclude_rules)]:
        RULES.get(rule_id)
    excluded = set(_split(exclude_rules))
    chosen = [r for r in RULES if (not wanted or r.id in wanted) and r.id not in excluded]
    ctx = DetectContext(
        intel=load_intel(intel or []),
        ip_ranges=load_ip_ranges(ip_ranges) if ip_ranges else None,
        geo=load_asn_db(asn_db or []),
        environment=load_environment(environment) if environment else Environment(),
        since=start,
        until=end,
        learning_days=learning_days,
    )
    if store is None:
        from platformdirs import user_cache_dir

        store = default_store_dir(location, Path(user_cache_dir("soryoku")) / "detect")
    return ctx, chosen, store, state or store / "state.json"


def environment(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the YAML here (default: standard output).")
    ] = None,
    merge: Annotated[
        Path | None,
        typer.Option("--merge", help="An existing environment file: keep its entries (trusted accounts, …)."),
    ] = None,
    profile: ProfileOption = None,
    role_arn: RoleArnOption = None,
    external_id: ExternalIdOption = None,
    org: OrgOption = False,
    org_role: OrgRoleOption = DEFAULT_ORG_ROLE,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="Region to survey (repeatable; default: enabled ones)."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Write the --environment file from what a posture run sees: accounts, regions in use, egress IPs.

    Exit 0 when every account and region was surveyed, 3 when some could not be (listed as comments).
    """
    from soryoku.core.errors import ExitCode
    from soryoku.detect.environment import load_environment
    from soryoku.detect.estate import environment_yaml, survey_estate
    from soryoku.output.base import atomic_output
    from soryoku.posture.engine import PostureOptions

    base = load_environment(merge) if merge else None
    options = PostureOptions(
        profile=profile,
        role_arn=role_arn,
        external_id=external_id,
        org=org,
        org_role_name=org_role,
        regions=tuple(region) if region else None,
    )
    survey = survey_estate(options, base)
    text = environment_yaml(survey.environment, survey.gaps)
    if output is None:
        typer.echo(text, nl=False)
    else:
        with atomic_output(output) as handle:
            handle.write(text)
    if not quiet:
        env = survey.environment
        console().print(
            f"{len(env.accounts)} accounts, {len(env.regions)} regions in use, {len(env.egress_ips)} egress "
            f"addresses; {len(survey.gaps)} not surveyed",
            highlight=False,
        )
    raise typer.Exit(int(ExitCode.INCOMPLETE if survey.gaps else ExitCode.OK))


class _RunByDefault(TyperGroup):
    """``soryoku detect PATH …`` means ``soryoku detect run PATH …``; named subcommands stay as they are.

    A log folder literally named like a subcommand is reached as ``./environment``.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's vendored click Context
        if not args or (args[0] not in self.commands and args[0] not in {"--help", "-h"}):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def register(app: typer.Typer) -> None:
    """Add ``soryoku detect [run] …`` and ``soryoku detect environment`` to the root app."""
    group = typer.Typer(
        name="detect",
        cls=_RunByDefault,
        help="Threat detection over CloudTrail, VPC Flow Logs and Resolver logs. `soryoku detect PATH` runs "
        "it; `soryoku detect environment` writes the --environment file from a posture survey.",
    )
    group.command("run")(detect)
    group.command("environment")(environment)
    app.add_typer(group, name="detect")


__all__ = ["detect", "environment", "parse_moment", "register", "run_coverage"]
