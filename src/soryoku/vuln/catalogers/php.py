"""PHP: composer.lock."""

from __future__ import annotations

import json

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import FileContext, Package, basename, cataloger, package


@cataloger(
    "composer-lock",
    title="composer.lock",
    ecosystem="packagist",
    wants=lambda p: basename(p) == "composer.lock",
)
def parse_composer_lock(data: bytes, context: FileContext) -> list[Package]:
    """``packages`` and ``packages-dev`` (a leading ``v`` in the version is dropped)."""
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{context.location}: invalid JSON: {exc}") from exc
    found: list[Package] = []
    for section, dev in (("packages", False), ("packages-dev", True)):
        for entry in document.get(section) or []:
            if isinstance(entry, dict) and entry.get("name") and entry.get("version"):
                vendor, _, name = str(entry["name"]).rpartition("/")
                version = str(entry["version"]).removeprefix("v")
                found.append(package("packagist", name, version, context, namespace=vendor, dev=dev))
    return found


__all__ = ["parse_composer_lock"]
