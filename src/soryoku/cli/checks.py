"""``soryoku checks list|show``: the posture check registry, its prose, frameworks and permissions."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from soryoku.core.errors import InputError
from soryoku.core.severity import Severity
from soryoku.posture.compliance.frameworks import mappings_for
from soryoku.posture.registry import CHECKS, Check
from soryoku.posture.selection import CheckFilter, select_checks, split_names

checks_app = typer.Typer(name="checks", help="List and describe the posture checks.", no_args_is_help=True)

ListFormat = Annotated[str, typer.Option("--format", "-f", help="table or json.")]


def check_record(item: Check) -> dict[str, Any]:
    """Everything known about a check, as plain data (the JSON form of ``checks show``)."""
    prose = item.prose
    return {
        "id": item.id,
        "title": prose.title,
        "service": item.service,
        "resource_type": item.resource_type,
        "severity": item.severity.label,
        "risk": prose.risk,
        "remediation": prose.remediation,
        "remediation_cli": prose.remediation_cli,
        "references": list(prose.references),
        "frameworks": [
            {
                "framework": framework.id,
                "standard": framework.standard,
                "control": control.id,
                "requirement": framework.requirement(control),
                "title": control.title,
            }
            for framework, control in mappings_for(item.id)
        ],
        "collectors": list(item.collectors),
        "permissions": list(item.permissions),
    }


def _format(fmt: str) -> str:
    value = fmt.strip().lower()
    if value not in {"table", "json"}:
        raise InputError(f"--format {fmt!r}: expected table or json")
    return value


@checks_app.command("list")
def list_checks(
    service: Annotated[
        list[str] | None, typer.Option("--service", help="Only this service (repeatable).")
    ] = None,
    severity: Annotated[
        str | None, typer.Option("--severity", help="Only at or above this severity.")
    ] = None,
    compliance: Annotated[
        str | None, typer.Option("--compliance", help="Only checks mapped in fsbp or cis-3.0.")
    ] = None,
    fmt: ListFormat = "table",
) -> None:
    """List the registered checks."""
    fmt = _format(fmt)
    selection = CheckFilter(
        services=split_names(service or []),
        min_severity=Severity.parse(severity) if severity else None,
        compliance=compliance,
    )
    chosen = select_checks(selection)
    if fmt == "json":
        typer.echo(json.dumps([check_record(c) for c in chosen], indent=2))
        return
    table = Table(title=f"{len(chosen)} posture checks", title_justify="left")
    for column in ("id", "severity", "service", "frameworks", "title"):
        table.add_column(column, overflow="fold")
    for item in chosen:
        labels = ", ".join(f.requirement(c) for f, c in mappings_for(item.id))
        table.add_row(item.id, item.severity.label, item.service, labels, item.title)
    Console(width=200 if not typer.get_text_stream("stdout").isatty() else None).print(table)


@checks_app.command("show")
def show_check(
    check_id: Annotated[str, typer.Argument(help="The check id, e.g. s3_bucket_public_read_access.")],
    fmt: ListFormat = "table",
) -> None:
    """Show one check: metadata, prose, frameworks and the IAM actions it needs."""
    fmt = _format(fmt)
    record = check_record(CHECKS.get(check_id))
    if fmt == "json":
        typer.echo(json.dumps(record, indent=2))
        return
    out = Console()
    out.print(f"[bold]{record['id']}[/] — {record['title']}")
    out.print(
        f"severity {record['severity']} · service {record['service']} · resource {record['resource_type']}"
    )
    out.print(f"\n[bold]Risk[/]\n{record['risk']}")
    out.print(f"\n[bold]Remediation[/]\n{record['remediation']}")
    if record["remediation_cli"]:
        out.print(record["remediation_cli"].rstrip(), markup=False, soft_wrap=True)
    out.print("\n[bold]Frameworks[/]")
    for mapping in record["frameworks"] or [{"requirement": "(none)", "title": ""}]:
        out.print(f"  {mapping['requirement']}  {mapping['title']}", markup=False)
    out.print("\n[bold]Permissions[/]\n  " + "\n  ".join(record["permissions"]))
    out.print("\n[bold]References[/]\n  " + "\n  ".join(record["references"]), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``soryoku checks`` to the root app."""
    app.add_typer(checks_app)


__all__ = ["check_record", "checks_app", "register"]
