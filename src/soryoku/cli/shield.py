"""``soryoku shield replay FILE``: what the guard would have blocked in recorded traffic.

Replay does not store anything in the findings hub: it answers "what if we switched to block
mode?" over traffic that was already served, which is a tuning question, not a detection.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from soryoku.cli.common import QuietOption, console
from soryoku.core.errors import ExitCode, InputError
from soryoku.shield.config import ShieldConfig
from soryoku.shield.replay import ReplayOutcome, read_records, replay


class ReplayFormat(StrEnum):
    """How ``replay`` prints its outcome."""

    TABLE = "table"
    JSONL = "jsonl"


def _load_config(path: Path | None) -> ShieldConfig:
    if path is None:
        return ShieldConfig()
    if not path.is_file():
        raise InputError(f"--config {str(path)!r}: no such file, expected a shield config (JSON or YAML)")
    return ShieldConfig.from_file(path)


def _print_table(outcomes: list[ReplayOutcome], total: int, quiet: bool) -> None:
    out = console(stderr=False)
    blocked = [o for o in outcomes if o.blocked is not None]
    if blocked:
        table = Table(box=box.SIMPLE, title="Requests that block mode would refuse")
        table.add_column("line", justify="right")
        table.add_column("request", overflow="fold")
        table.add_column("rule", no_wrap=True)
        table.add_column("where", no_wrap=True)
        table.add_column("matched", overflow="fold")
        for outcome in blocked:
            event = outcome.blocked
            assert event is not None
            table.add_row(
                str(outcome.line),
                f"{outcome.method} {outcome.path}",
                event.rule_id,
                event.location,
                event.matched,
            )
        out.print(table)
    if not quiet:
        per_rule = Counter(o.blocked.rule_id for o in blocked if o.blocked is not None)
        summary = ", ".join(f"{rule} {count}" for rule, count in per_rule.most_common()) or "none"
        out.print(f"{len(blocked)} of {total} requests would be blocked ({summary})")


def replay_command(
    file: Annotated[
        Path, typer.Argument(help="Recorded requests, one JSON object per line ('-' for stdin).")
    ],
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="Shield config (JSON or YAML); default: built-in rules."),
    ] = None,
    fmt: Annotated[
        ReplayFormat, typer.Option("--format", "-f", help="table, or jsonl (one event per line).")
    ] = (ReplayFormat.TABLE),
    fail_on_block: Annotated[
        bool, typer.Option("--fail-on-block", help="Exit 1 when any request would be blocked.")
    ] = False,
    crs: Annotated[
        bool | None,
        typer.Option(
            "--crs/--no-crs",
            help="Also run the OWASP CRS (libmodsecurity3 + modsecurity-crs); default: the config's crs.",
        ),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Run recorded requests through the request rules in block mode and print what would be blocked."""
    shield_config = _load_config(config)
    if crs is not None and crs != shield_config.crs.enabled:
        shield_config = replace(shield_config, crs=replace(shield_config.crs, enabled=crs))
    if str(file) == "-":
        import sys

        lines = sys.stdin.read().splitlines()
    else:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise InputError(f"replay FILE {str(file)!r}: cannot be read ({error.strerror})") from error
    records = list(read_records(lines, str(file)))
    outcomes = list(replay(records, shield_config))
    if fmt is ReplayFormat.JSONL:
        for outcome in outcomes:
            for event in outcome.events:
                typer.echo(json.dumps({"line": outcome.line, **event.to_dict()}, ensure_ascii=False))
    else:
        _print_table(outcomes, len(records), quiet)
    would_block = any(o.blocked is not None for o in outcomes)
    raise typer.Exit(int(ExitCode.FINDINGS if fail_on_block and would_block else ExitCode.OK))


def layer_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the layer zip (replaced if it exists).")
    ],
    quiet: QuietOption = False,
) -> None:
    """Build the AWS Lambda layer zip: python/ with soryoku's shield, sqlglot and crawler-user-agents."""
    from soryoku.shield.layer import build_layer

    contents = build_layer(output)
    if not quiet:
        shipped = ", ".join(f"{name} {version}" for name, version in contents.distributions)
        # Plain echo: a path must never be wrapped or styled (scripts read this line).
        typer.echo(
            f"wrote {contents.path} ({contents.size / 1_048_576:.1f} MiB, {contents.files} files: {shipped})"
        )
    raise typer.Exit(int(ExitCode.OK))


def register(app: typer.Typer) -> None:
    """Add the ``shield`` command group."""
    group = typer.Typer(
        help="The in-app guard: replay recorded traffic through its rules, build its Lambda layer.",
        no_args_is_help=True,
    )
    group.command("replay")(replay_command)
    group.command("layer")(layer_command)
    app.add_typer(group, name="shield")


__all__ = ["layer_command", "register", "replay_command"]
