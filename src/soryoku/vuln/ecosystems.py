"""Ecosystem names: OSV's spelling, soryoku's key, purl types and package-name normalisation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from soryoku.core.errors import InputError


@dataclass(frozen=True, slots=True)
class Ecosystem:
    """One package ecosystem: how OSV names it, its purl type and its package manager."""

    key: str
    osv_name: str
    purl_type: str
    manager: str
    os: bool = False


ECOSYSTEMS: dict[str, Ecosystem] = {
    e.key: e
    for e in (
        Ecosystem("pypi", "PyPI", "pypi", "pip"),
        Ecosystem("npm", "npm", "npm", "npm"),
        Ecosystem("go", "Go", "golang", "go"),
        Ecosystem("crates.io", "crates.io", "cargo", "cargo"),
        Ecosystem("rubygems", "RubyGems", "gem", "bundler"),
        Ecosystem("packagist", "Packagist", "composer", "composer"),
        Ecosystem("maven", "Maven", "maven", "maven"),
        Ecosystem("nuget", "NuGet", "nuget", "nuget"),
        Ecosystem("debian", "Debian", "deb", "apt", os=True),
        Ecosystem("ubuntu", "Ubuntu", "deb", "apt", os=True),
        Ecosystem("alpine", "Alpine", "apk", "apk", os=True),
        Ecosystem("redhat", "Red Hat", "rpm", "dnf", os=True),
        Ecosystem("almalinux", "AlmaLinux", "rpm", "dnf", os=True),
        Ecosystem("rocky linux", "Rocky Linux", "rpm", "dnf", os=True),
        Ecosystem("amazon linux", "Amazon Linux", "rpm", "dnf", os=True),
    )
}

_NORMALISE_PYPI = re.compile(r"[-_.]+")


def split_osv_ecosystem(name: str) -> tuple[str, str]:
    """``Debian:11`` → (``debian``, ``11``); ``PyPI`` → (``pypi``, ``""``).

    The key is lower case; the release (after the first colon) is kept as given.
    """
    base, _, release = name.partition(":")
    # Ubuntu's OSV records name LTS releases "Ubuntu:22.04:LTS"; os-release says "22.04".
    return base.strip().lower(), release.strip().removesuffix(":LTS")


def ecosystem(key: str) -> Ecosystem:
    """The ecosystem with this key; InputError naming it otherwise."""
    try:
        return ECOSYSTEMS[key]
    except KeyError:
        known = ", ".join(sorted(ECOSYSTEMS))
        raise InputError(f"ecosystem {key!r}: expected one of {known}") from None


def normalise_name(key: str, name: str) -> str:
    """The name under which advisories and packages meet (PEP 503 for PyPI, lower case for some)."""
    if key == "pypi":
        return _NORMALISE_PYPI.sub("-", name).lower()
    if key in {"npm", "crates.io", "packagist", "nuget"}:
        return name.lower()
    return name


__all__ = ["ECOSYSTEMS", "Ecosystem", "ecosystem", "normalise_name", "split_osv_ecosystem"]
