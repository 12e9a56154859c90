""".NET: NuGet ``packages.lock.json`` and the ``*.deps.json`` a published application carries."""

from __future__ import annotations

import json
from typing import Any

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import FileContext, Package, basename, cataloger, purl


def _json(data: bytes, context: FileContext) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{context.location}: invalid JSON: {exc}") from exc


def _nuget(name: str, version: str, context: FileContext) -> Package:
    return Package(name, version, "nuget", purl("nuget", name, version), context.location)


@cataloger(
    "nuget-lock",
    title="NuGet packages.lock.json",
    ecosystem="nuget",
    wants=lambda p: basename(p) == "packages.lock.json",
)
def parse_packages_lock(data: bytes, context: FileContext) -> list[Package]:
    """Every resolved package of every target framework (project references skipped)."""
    found: dict[tuple[str, str], Package] = {}
    for framework in (_json(data, context).get("dependencies") or {}).values():
        for name, spec in (framework or {}).items():
            if isinstance(spec, dict) and spec.get("type") != "Project" and spec.get("resolved"):
                found.setdefault((name, spec["resolved"]), _nuget(name, str(spec["resolved"]), context))
    return list(found.values())


@cataloger(
    "dotnet-deps", title="*.deps.json", ecosystem="nuget", wants=lambda p: basename(p).endswith(".deps.json")
)
def parse_deps_json(data: bytes, context: FileContext) -> list[Package]:
    """The ``libraries`` of type ``package`` (``Name/Version`` keys)."""
    found: list[Package] = []
    for key, spec in (_json(data, context).get("libraries") or {}).items():
        name, _, version = str(key).partition("/")
        if isinstance(spec, dict) and spec.get("type") == "package" and name and version:
            found.append(_nuget(name, version, context))
    return found


__all__ = ["parse_deps_json", "parse_packages_lock"]
