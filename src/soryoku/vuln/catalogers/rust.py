"""Rust: Cargo.lock."""

from __future__ import annotations

import tomllib

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import FileContext, Package, basename, cataloger, package


@cataloger(
    "cargo-lock", title="Cargo.lock", ecosystem="crates.io", wants=lambda p: basename(p) == "Cargo.lock"
)
def parse_cargo_lock(data: bytes, context: FileContext) -> list[Package]:
    """Every ``[[package]]`` from a registry (workspace members have no ``source`` and are skipped)."""
    try:
        document = tomllib.loads(data.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{context.location}: invalid TOML: {exc}") from exc
    return [
        package("crates.io", str(p["name"]), str(p["version"]), context)
        for p in document.get("package") or []
        if isinstance(p, dict)
        and "name" in p
        and "version" in p
        and str(p.get("source", "")).startswith("registry+")
    ]


__all__ = ["parse_cargo_lock"]
