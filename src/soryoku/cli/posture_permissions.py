"""``soryoku posture permissions``: the least-privilege IAM policy of the selected checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from soryoku.core.errors import InputError
from soryoku.posture.compliance.frameworks import resolve_framework_id
from soryoku.posture.permissions import policy_documents
from soryoku.posture.selection import CheckFilter, select_checks, split_names


def permissions(
    checks: Annotated[list[str] | None, typer.Option("--checks", help="Only these check ids.")] = None,
    exclude_checks: Annotated[
        list[str] | None, typer.Option("--exclude-checks", help="Leave these check ids out.")
    ] = None,
    services: Annotated[list[str] | None, typer.Option("--services", help="Only these services.")] = None,
    compliance: Annotated[
        str | None, typer.Option("--compliance", help="Only checks of a framework: fsbp or cis-3.0.")
    ] = None,
    rules_dir: Annotated[
        list[Path] | None,
        typer.Option("--rules-dir", help="Also count the custom rules in this directory (repeatable)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or yaml.")] = "json",
) -> None:
    """Print the least-privilege IAM policy for the selected checks.

    Actions are sorted and deduplicated, one statement per service; when they exceed the 6,144
    character managed-policy limit the output is a list of policy documents, each under it.
    """
    value = fmt.strip().lower()
    if value not in {"json", "yaml"}:
        raise InputError(f"--format {fmt!r}: expected json or yaml")
    if rules_dir:
        from soryoku.posture.custom_rules import load_rules_dirs

        load_rules_dirs(rules_dir)
    selection = CheckFilter(
        checks=split_names(checks or []),
        exclude_checks=split_names(exclude_checks or []),
        services=split_names(services or []),
        compliance=resolve_framework_id(compliance) if compliance else None,
    )
    chosen = select_checks(selection)
    if not chosen:
        raise InputError("the check filters (--checks/--services/--compliance) select no check")
    documents = policy_documents(chosen)
    payload: object = documents[0] if len(documents) == 1 else documents
    if value == "json":
        typer.echo(json.dumps(payload, indent=2))
    else:
        import yaml

        typer.echo(yaml.safe_dump(payload, sort_keys=False, width=110), nl=False)


def register(posture_app: typer.Typer) -> None:
    """Add ``soryoku posture permissions``."""
    posture_app.command("permissions")(permissions)


__all__ = ["permissions", "register"]
