"""Node: package-lock.json (lockfile v1, v2, v3), yarn.lock (v1 and berry), pnpm-lock.yaml, and
installed packages (``node_modules/<name>/package.json``)."""

from __future__ import annotations

import json
from typing import Any

import yaml

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import FileContext, Package, basename, cataloger, package


def _npm_package(name: str, version: str, context: FileContext, dev: bool) -> Package:
    scope, _, short = name.rpartition("/")
    return package("npm", short, version, context, namespace=scope, dev=dev)


def _v1_dependencies(deps: dict[str, Any], context: FileContext, found: list[Package]) -> None:
    for name, spec in deps.items():
        if not isinstance(spec, dict):
            continue
        version = str(spec.get("version", ""))
        # v1 records git/file dependencies with a URL as "version": not a registry release
        if version and not version.startswith(("file:", "git", "http", "link:")):
            found.append(_npm_package(name, version, context, bool(spec.get("dev"))))
        nested = spec.get("dependencies")
        if isinstance(nested, dict):
            _v1_dependencies(nested, context, found)


@cataloger(
    "npm-lock",
    title="package-lock.json / npm-shrinkwrap.json (v1–v3)",
    ecosystem="npm",
    # node_modules/.package-lock.json is left out: the installed package.json files say the same
    wants=lambda p: basename(p) in {"package-lock.json", "npm-shrinkwrap.json"} and "node_modules/" not in p,
)
def parse_package_lock(data: bytes, context: FileContext) -> list[Package]:
    """Every installed package of an npm lockfile (``packages`` in v2/v3, ``dependencies`` in v1)."""
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{context.location}: invalid JSON: {exc}") from exc
    found: list[Package] = []
    packages = document.get("packages")
    if isinstance(packages, dict):
        for path, spec in packages.items():
            if not path or not isinstance(spec, dict) or spec.get("link") or "node_modules/" not in path:
                continue
            name = str(spec.get("name") or path.rsplit("node_modules/", 1)[-1])
            version = str(spec.get("version", ""))
            if version:
                found.append(_npm_package(name, version, context, bool(spec.get("dev"))))
    elif isinstance(document.get("dependencies"), dict):
        _v1_dependencies(document["dependencies"], context, found)
    return found


def _yarn_name(spec: str) -> str:
    spec = spec.strip().strip('"')
    at = spec.find("@", 1)  # a scoped name starts with "@"
    return spec[:at] if at > 0 else spec


@cataloger(
    "yarn-lock", title="yarn.lock (v1 and berry)", ecosystem="npm", wants=lambda p: basename(p) == "yarn.lock"
)
def parse_yarn_lock(data: bytes, context: FileContext) -> list[Package]:
    """Every resolved package of a yarn.lock."""
    found: list[Package] = []
    seen: set[tuple[str, str]] = set()
    name = ""
    for line in data.decode("utf-8", errors="replace").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            header = line.rstrip().rstrip(":")
            first = header.split(",")[0]
            name = "" if "__metadata" in first or "@workspace:" in header else _yarn_name(first)
            continue
        stripped = line.strip()
        if name and line.startswith("  ") and not line.startswith("   ") and stripped.startswith("version"):
            version = stripped[len("version") :].lstrip(": ").strip().strip('"')
            if version and (name, version) not in seen:
                seen.add((name, version))
                found.append(_npm_package(name, version, context, False))
    return found


def _is_installed_manifest(path: str) -> bool:
    parts = path.split("/")
    if len(parts) < 3 or parts[-1] != "package.json":
        return False
    if parts[-3] == "node_modules":
        return not parts[-2].startswith((".", "@"))
    return len(parts) >= 4 and parts[-4] == "node_modules" and parts[-3].startswith("@")


@cataloger(
    "node-installed",
    title="installed Node packages (node_modules/<name>/package.json)",
    ecosystem="npm",
    wants=_is_installed_manifest,
)
def parse_installed_package(data: bytes, context: FileContext) -> list[Package]:
    """One installed package from its manifest (``name`` and ``version``)."""
    try:
        manifest = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{context.location}: invalid JSON: {exc}") from exc
    if not isinstance(manifest, dict) or not manifest.get("name") or not manifest.get("version"):
        return []
    return [_npm_package(str(manifest["name"]), str(manifest["version"]), context, False)]


def _pnpm_key(key: str) -> tuple[str, str] | None:
    """``/name/1.0.0`` (v5), ``/name@1.0.0`` (v6), ``name@1.0.0(peer@2)`` (v9) → (name, version)."""
    key = key.lstrip("/").split("(", 1)[0]
    at = key.find("@", 1)
    if at > 0:
        name, version = key[:at], key[at + 1 :]
    else:
        name, _, version = key.rpartition("/")
    version = version.split("_", 1)[0]
    return (name, version) if name and version and version[0].isdigit() else None


@cataloger(
    "pnpm-lock",
    title="pnpm-lock.yaml (v5–v9)",
    ecosystem="npm",
    wants=lambda p: basename(p) == "pnpm-lock.yaml",
)
def parse_pnpm_lock(data: bytes, context: FileContext) -> list[Package]:
    """The resolved ``packages`` of a pnpm lockfile."""
    try:
        document = yaml.load(data, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    except yaml.YAMLError as exc:
        raise InputError(f"{context.location}: invalid YAML: {exc}") from exc
    found: list[Package] = []
    seen: set[tuple[str, str]] = set()
    packages = document.get("packages") if isinstance(document, dict) else None
    for key, spec in (packages or {}).items():
        parsed = _pnpm_key(str(key))
        if parsed is None or parsed in seen:
            continue
        seen.add(parsed)
        dev = isinstance(spec, dict) and spec.get("dev") == "true"
        found.append(_npm_package(parsed[0], parsed[1], context, dev))
    return found


__all__ = ["parse_installed_package", "parse_package_lock", "parse_pnpm_lock", "parse_yarn_lock"]
