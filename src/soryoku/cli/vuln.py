"""``soryoku vuln TARGET`` (scan), ``vuln sbom``, ``vuln plan``, ``vuln db import|status``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

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
    finish,
    resolve_output,
)
from soryoku.core.errors import ExitCode, InputError
from soryoku.output.base import atomic_output


class _ScanByDefault(TyperGroup):
    """``soryoku vuln TARGET`` means ``soryoku vuln scan TARGET``; named subcommands stay as they are."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's vendored click Context
        if args and args[0] not in self.commands and args[0] not in {"--help", "-h"}:
            args = ["scan", *args]
        return super().parse_args(ctx, args)


vuln_app = typer.Typer(
    name="vuln",
    cls=_ScanByDefault,
    help="Known vulnerabilities in hosts, images, Lambda packages and lockfiles, offline (OSV data); "
    "SBOM and patch plan. `soryoku vuln TARGET` scans.",
    no_args_is_help=True,
)
db_app = typer.Typer(name="db", help="The local advisory database: import OSV data, show its status.")
vuln_app.add_typer(db_app)

TargetArgument = Annotated[
    str,
    typer.Argument(
        help="A folder or root filesystem, a lockfile, a dpkg status / apk installed file, an SBOM, a zip "
        "(Lambda package), a Java archive, a `docker save` tar or an OCI layout; or "
        "registry://HOST/NAME:TAG, ecr:REPOSITORY:TAG, lambda:FUNCTION, ec2:INSTANCE_ID.",
        show_default=False,
    ),
]
VulnDbOption = Annotated[
    Path | None,
    typer.Option(
        "--vuln-db", envvar="SORYOKU_VULN_DB", help="Advisory database (default: in the user data folder)."
    ),
]
IgnoreUnfixedOption = Annotated[
    bool, typer.Option("--ignore-unfixed", help="Leave out vulnerabilities without a fixed version.")
]
IgnoreFileOption = Annotated[
    Path | None,
    typer.Option(
        "--ignore-file", help="Accepted vulnerabilities (YAML; default: ./.soryokuignore if present)."
    ),
]


def _ignore_rules(path: Path | None) -> tuple[Any, str] | None:
    from soryoku.vuln.ignore import DEFAULT_IGNORE_FILE, load_ignore_file

    if path is None:
        default = Path(DEFAULT_IGNORE_FILE)
        if not default.is_file():
            return None
        path = default
    elif not path.is_file():
        raise InputError(f"--ignore-file {str(path)!r}: no such file")
    return load_ignore_file(path), str(path)


@vuln_app.command("scan")
def scan(
    target: TargetArgument,
    fmt: FormatOption = None,
    output: OutputOption = None,
    severity: SeverityOption = None,
    fail_on: FailOnOption = "none",
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    db: DbOption = None,
    mutelist: MutelistOption = None,
    no_store: NoStoreOption = False,
    vuln_db: VulnDbOption = None,
    ignore_unfixed: IgnoreUnfixedOption = False,
    ignore_file: IgnoreFileOption = None,
) -> None:
    """Scan TARGET for known vulnerabilities (sorted: known exploited, then EPSS, then severity).

    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad input or no
    advisory database; 3 something could not be evaluated (listed in the report).
    """
    import soryoku.vuln.sbom  # noqa: F401 - registers the cyclonedx output format
    from soryoku.vuln.advisories.store import opened
    from soryoku.vuln.ignore import apply_ignores
    from soryoku.vuln.targets import REMOTE_PREFIXES, scan_target

    choice = resolve_output(fmt, output, severity, fail_on, quiet)
    rules = _ignore_rules(ignore_file)
    if not target.startswith(REMOTE_PREFIXES) and not Path(target).exists():
        raise InputError(f"TARGET {target!r}: no such file or folder")
    with opened(vuln_db) as advisories:
        result = scan_target(advisories, target, ignore_unfixed=ignore_unfixed)
    if rules is not None:
        result.findings = apply_ignores(result.findings, rules[0], source=rules[1])
    raise typer.Exit(
        finish(
            [result], choice, db=db, mutelist=mutelist, store_run=not no_store, title=f"soryoku vuln {target}"
        )
    )


@vuln_app.command("sbom")
def sbom(
    target: TargetArgument,
    output: OutputOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="cyclonedx (1.6 JSON) or spdx (2.3 JSON).")
    ] = "cyclonedx",
    with_vulnerabilities: Annotated[
        bool,
        typer.Option("--with-vulnerabilities", help="Add the vulnerabilities section (needs the database)."),
    ] = False,
    vuln_db: VulnDbOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write a CycloneDX 1.6 or SPDX 2.3 JSON SBOM of TARGET (from the inventory alone unless asked)."""
    from soryoku.vuln.advisories.store import opened
    from soryoku.vuln.sbom import build_sbom, build_spdx
    from soryoku.vuln.scanner import match_inventory
    from soryoku.vuln.targets import merged_inventory

    if fmt not in {"cyclonedx", "spdx"}:
        raise InputError(f"--format {fmt!r}: expected cyclonedx or spdx")
    if fmt == "spdx" and with_vulnerabilities:
        raise InputError(
            "--with-vulnerabilities: SPDX has no vulnerabilities section; use --format cyclonedx"
        )
    if output is not None and output.is_dir():
        raise InputError(f"--output {str(output)!r}: is a directory, expected a file path")
    inventory = merged_inventory(target)
    gaps = list(inventory.gaps)
    matches = None
    if with_vulnerabilities:
        with opened(vuln_db) as advisories:
            matches, gaps = match_inventory(advisories, inventory)
    if fmt == "spdx":
        document = build_spdx(str(target), list(inventory.packages))
    else:
        document = build_sbom(
            str(target), inventory.kind, list(inventory.packages), inventory.distro, matches
        )
    _write_json(document, output, quiet)
    for gap in gaps:
        _say(f"not evaluated: {gap.scope}: {gap.reason}")
    raise typer.Exit(int(ExitCode.INCOMPLETE if gaps else ExitCode.OK))


@vuln_app.command("plan")
def plan(
    target: TargetArgument,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, json, shell, or ssm (an SSM Command document).")
    ] = "table",
    output: OutputOption = None,
    vuln_db: VulnDbOption = None,
    quiet: QuietOption = False,
) -> None:
    """The patch plan: per vulnerable package, the lowest version fixing all its findings, and the command."""
    from soryoku.vuln.advisories.store import opened
    from soryoku.vuln.plan import plan_as_dict, plan_upgrades, ssm_document
    from soryoku.vuln.scanner import match_inventory
    from soryoku.vuln.targets import merged_inventory

    if fmt not in {"table", "json", "shell", "ssm"}:
        raise InputError(f"--format {fmt!r}: expected one of table, json, shell, ssm")
    inventory = merged_inventory(target)
    with opened(vuln_db) as advisories:
        matches, gaps = match_inventory(advisories, inventory)
        upgrades = plan_upgrades(advisories, matches)
    data = plan_as_dict(upgrades)
    if fmt == "json":
        _write_json(data, output, quiet)
    elif fmt == "ssm":
        _write_json(ssm_document(upgrades, str(target)), output, quiet)
    elif fmt == "shell":
        lines = ["#!/bin/sh", f"# soryoku vuln plan {target}", "set -e", *data["commands"]]  # type: ignore[misc]
        _write_text("\n".join(lines) + "\n", output, quiet)
    else:
        table = Table(title=f"Patch plan for {target}", box=box.SIMPLE_HEAD)
        for column in ("package", "current", "target", "fixes", "unfixed", "command"):
            table.add_column(column)
        for u in upgrades:
            table.add_row(
                u.name,
                u.package.version,
                u.target or "—",
                str(len(u.fixes)),
                ", ".join(u.unfixed),
                u.command or "",
            )
        Console(file=sys.stdout, width=200).print(table)
    for gap in gaps:
        _say(f"not evaluated: {gap.scope}: {gap.reason}")
    raise typer.Exit(int(ExitCode.INCOMPLETE if gaps else ExitCode.OK))


def _say(text: str) -> None:
    """One line on stderr, never wrapped (paths stay whole for scripts)."""
    typer.echo(text, err=True)


def _write_text(text: str, output: Path | None, quiet: bool) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    with atomic_output(output) as stream:
        stream.write(text)
    if not quiet:
        _say(f"wrote {output}")


def _write_json(document: Any, output: Path | None, quiet: bool) -> None:
    _write_text(json.dumps(document, indent=2) + "\n", output, quiet)


@db_app.command("import")
def db_import(
    paths: Annotated[
        list[Path],
        typer.Argument(help="OSV JSON/YAML files or folders, OSV zip archives, RustSec folders, KEV JSON."),
    ],
    vuln_db: VulnDbOption = None,
    quiet: QuietOption = False,
) -> None:
    """Import advisories into the local database (one transaction per path; re-imports replace)."""
    import time

    from soryoku.vuln.advisories.loaders import read_path
    from soryoku.vuln.advisories.store import opened

    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder (expected OSV files, a zip or a KEV catalog)")
    with opened(vuln_db, create=True) as advisories:
        for path in paths:
            started = time.perf_counter()
            stats = advisories.import_items(read_path(path), str(path.resolve()))
            if not quiet:
                _say(
                    f"{path}: {stats.advisories} advisories, {stats.withdrawn} withdrawn (ignored), "
                    f"{stats.kev} KEV entries, {stats.epss} EPSS scores, {stats.skipped} other files skipped "
                    f"in {time.perf_counter() - started:.1f}s"
                )
                for skipped in stats.skipped_examples:
                    _say(f"  skipped {skipped.origin}: {skipped.reason}")
        if not quiet:
            _say(f"database: {advisories.path}")


@db_app.command("status")
def db_status(
    vuln_db: VulnDbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Counts per ecosystem, the imported sources and their age."""
    from soryoku.vuln.advisories.store import opened

    if fmt not in {"table", "json"}:
        raise InputError(f"--format {fmt!r}: expected table or json")
    with opened(vuln_db) as advisories:
        status = advisories.status()
    if fmt == "json":
        data = {
            "path": status.path,
            "advisories": status.advisories,
            "affected_packages": status.affected,
            "kev": status.kev,
            "epss": status.epss,
            "ecosystems": status.ecosystems,
            "newest_modified": status.newest_modified,
            "sources": [
                {"path": s.path, "advisories": s.advisories, "withdrawn": s.withdrawn, "kev": s.kev,
                 "epss": s.epss, "skipped": s.skipped, "imported_at": s.imported_at}
                for s in status.sources
            ],
        }  # fmt: skip
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    out = Console(file=sys.stdout, width=160)
    out.print(f"database {status.path}")
    out.print(
        f"{status.advisories} advisories ({status.affected} affected packages), {status.kev} KEV entries, "
        f"{status.epss} EPSS scores, "
        f"newest record modified {status.newest_modified or '—'}"
    )
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("ecosystem")
    table.add_column("advisories", justify="right")
    for name, count in status.ecosystems.items():
        table.add_row(name, str(count))
    out.print(table)
    sources = Table(box=box.SIMPLE_HEAD)
    for column in ("source", "advisories", "withdrawn", "kev", "epss", "imported at"):
        sources.add_column(column)
    for s in status.sources:
        sources.add_row(s.path, str(s.advisories), str(s.withdrawn), str(s.kev), str(s.epss), s.imported_at)
    out.print(sources)


def register(app: typer.Typer) -> None:
    """Add ``soryoku vuln`` to the root app."""
    import soryoku.vuln.sbom  # noqa: F401 - registers the cyclonedx output format for every command

    app.add_typer(vuln_app)


__all__ = ["register", "vuln_app"]
