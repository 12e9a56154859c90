"""Python: installed distributions (``*.dist-info``/``*.egg-info``) and pinned lock/requirement files."""

from __future__ import annotations

import json
import re
import tomllib
from email.parser import HeaderParser
from typing import Any

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import FileContext, Package, basename, cataloger, package

_REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*(?P<version>[A-Za-z0-9.!+_-]+)\s*(?:;.*)?$"
)


def _is_installed_metadata(path: str) -> bool:
    parts = path.rsplit("/", 2)
    if len(parts) >= 2 and parts[-2].endswith(".dist-info") and parts[-1] == "METADATA":
        return True
    if len(parts) >= 2 and parts[-2].endswith(".egg-info") and parts[-1] == "PKG-INFO":
        return True
    return path.endswith(".egg-info") and "/site-packages/" in f"/{path}"


@cataloger(
    "python-installed",
    title="Python installed distributions (*.dist-info/METADATA, *.egg-info/PKG-INFO)",
    ecosystem="pypi",
    wants=_is_installed_metadata,
)
def parse_python_metadata(data: bytes, context: FileContext) -> list[Package]:
    """One installed distribution from its core metadata (RFC 822 headers)."""
    headers = HeaderParser().parsestr(data.decode("utf-8", errors="replace"), headersonly=True)
    name, version = headers.get("Name"), headers.get("Version")
    if not name or not version:
        return []
    return [package("pypi", str(name).strip(), str(version).strip(), context)]


def _is_requirements(path: str) -> bool:
    name = basename(path)
    return (name.endswith(".txt") and name.startswith("requirements")) or name == "constraints.txt"


@cataloger(
    "python-requirements",
    title="pip requirements files with pinned versions (==)",
    ecosystem="pypi",
    wants=_is_requirements,
)
def parse_requirements(data: bytes, context: FileContext) -> list[Package]:
    """Pinned requirements (``name==version``); ranges and options are not pins and are skipped."""
    text = data.decode("utf-8", errors="replace").replace("\\\n", " ")
    found: list[Package] = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].split("--hash", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        if m := _REQUIREMENT.match(line):
            found.append(package("pypi", m["name"], m["version"], context))
    return found


def _toml(data: bytes, context: FileContext) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{context.location}: invalid TOML: {exc}") from exc


def _toml_packages(data: bytes, context: FileContext, *, skip_local: bool) -> list[Package]:
    found: list[Package] = []
    for entry in _toml(data, context).get("package") or []:
        if not isinstance(entry, dict) or "name" not in entry or "version" not in entry:
            continue
        source = entry.get("source")
        if skip_local and isinstance(source, dict) and ({"editable", "virtual"} & set(source)):
            continue  # the project itself (uv.lock), not a dependency
        dev = entry.get("category") == "dev"
        found.append(package("pypi", str(entry["name"]), str(entry["version"]), context, dev=dev))
    return found


@cataloger(
    "python-poetry", title="poetry.lock", ecosystem="pypi", wants=lambda p: basename(p) == "poetry.lock"
)
def parse_poetry_lock(data: bytes, context: FileContext) -> list[Package]:
    """Every ``[[package]]`` of a poetry.lock."""
    return _toml_packages(data, context, skip_local=False)


@cataloger("python-uv", title="uv.lock", ecosystem="pypi", wants=lambda p: basename(p) == "uv.lock")
def parse_uv_lock(data: bytes, context: FileContext) -> list[Package]:
    """Every ``[[package]]`` of a uv.lock except the project's own (editable/virtual) entries."""
    return _toml_packages(data, context, skip_local=True)


@cataloger("python-pdm", title="pdm.lock", ecosystem="pypi", wants=lambda p: basename(p) == "pdm.lock")
def parse_pdm_lock(data: bytes, context: FileContext) -> list[Package]:
    """Every ``[[package]]`` of a pdm.lock."""
    return _toml_packages(data, context, skip_local=False)


@cataloger(
    "python-pipenv", title="Pipfile.lock", ecosystem="pypi", wants=lambda p: basename(p) == "Pipfile.lock"
)
def parse_pipfile_lock(data: bytes, context: FileContext) -> list[Package]:
    """The ``default`` and ``develop`` sections of a Pipfile.lock (``"version": "==1.2.3"``)."""
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{context.location}: invalid JSON: {exc}") from exc
    found: list[Package] = []
    for section, dev in (("default", False), ("develop", True)):
        for name, spec in (document.get(section) or {}).items():
            version = str(spec.get("version", "")) if isinstance(spec, dict) else ""
            if version.startswith("=="):
                found.append(package("pypi", name, version.lstrip("="), context, dev=dev))
    return found


__all__ = [
    "parse_pdm_lock",
    "parse_pipfile_lock",
    "parse_poetry_lock",
    "parse_python_metadata",
    "parse_requirements",
    "parse_uv_lock",
]
