"""Each ecosystem's own version ordering, from trusted libraries (never hand-rolled).

PEP 440 comes from ``packaging``; semver (npm, Cargo, Go), Maven, RubyGems, NuGet, Composer,
dpkg, rpm and apk come from ``univers``. ``parse_version(key, text)`` returns an orderable object
or ``None`` when the text is not a version of that ecosystem (the matcher then falls back to the
advisory's explicit ``versions`` list, or reports a gap). Parsing is cached: a scan compares the
same few thousand versions many times.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Protocol

from packaging.version import InvalidVersion
from packaging.version import Version as Pep440Version
from univers import versions as uv


class Orderable(Protocol):
    """A parsed version: totally ordered within its ecosystem."""

    def __lt__(self, other: Any, /) -> bool: ...
    def __le__(self, other: Any, /) -> bool: ...


def _pep440(text: str) -> Orderable:
    return Pep440Version(text)


def _semver(text: str) -> Orderable:
    return uv.SemverVersion(text.removeprefix("v"))


def _golang(text: str) -> Orderable:
    # Go module versions are semver with a leading "v"; the stdlib ("go1.21.3") too once stripped.
    return uv.SemverVersion(text.removeprefix("go").removeprefix("v"))


_PARSERS: dict[str, Callable[[str], Orderable]] = {
    "pypi": _pep440,
    "npm": _semver,
    "crates.io": _semver,
    "go": _golang,
    "maven": uv.MavenVersion,
    "rubygems": uv.RubygemsVersion,
    "nuget": uv.NugetVersion,
    "packagist": uv.ComposerVersion,
    "debian": uv.DebianVersion,
    "ubuntu": uv.DebianVersion,
    "alpine": uv.AlpineLinuxVersion,
    "redhat": uv.RpmVersion,
    "almalinux": uv.RpmVersion,
    "rocky linux": uv.RpmVersion,
    "amazon linux": uv.RpmVersion,
}

# What the libraries raise on text that is not a version of the ecosystem.
_PARSE_ERRORS = (InvalidVersion, uv.InvalidVersion, ValueError, TypeError, AttributeError, IndexError)


def supported(key: str) -> bool:
    """True when soryoku knows the version rules of ecosystem ``key``."""
    return key in _PARSERS


@lru_cache(maxsize=200_000)
def parse_version(key: str, text: str) -> Orderable | None:
    """``text`` as an orderable version of ecosystem ``key``; ``None`` if it is not one."""
    parser = _PARSERS.get(key)
    if parser is None or not text:
        return None
    try:
        return parser(text.strip())
    except _PARSE_ERRORS:
        return None


def compare(key: str, left: str, right: str) -> int:
    """-1, 0 or 1 as ``left`` sorts before, with, or after ``right``; ValueError if unparsable."""
    a, b = parse_version(key, left), parse_version(key, right)
    if a is None or b is None:
        bad = left if a is None else right
        raise ValueError(f"{bad!r} is not a {key} version")
    if a < b:
        return -1
    if b < a:
        return 1
    return 0


__all__ = ["Orderable", "compare", "parse_version", "supported"]
