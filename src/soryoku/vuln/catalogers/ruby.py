"""Ruby: Gemfile.lock."""

from __future__ import annotations

import re

from soryoku.vuln.catalogers.base import FileContext, Package, basename, cataloger, package

_SPEC = re.compile(r"^    (?P<name>[^\s(]+) \((?P<version>[^)]+)\)$")
_PLATFORM = re.compile(r"-(x86|x64|aarch64|arm|java|universal|mingw|mswin|darwin|linux|x86_64)[\w.-]*$")


@cataloger(
    "gemfile-lock", title="Gemfile.lock", ecosystem="rubygems", wants=lambda p: basename(p) == "Gemfile.lock"
)
def parse_gemfile_lock(data: bytes, context: FileContext) -> list[Package]:
    """The resolved ``specs`` of the GEM section (platform suffixes such as ``-x86_64-linux`` dropped)."""
    found: list[Package] = []
    section = ""
    for line in data.decode("utf-8", errors="replace").splitlines():
        if line and not line[0].isspace():
            section = line.strip()
            continue
        if section == "GEM" and (m := _SPEC.match(line)):
            version = _PLATFORM.sub("", m["version"])
            found.append(package("rubygems", m["name"], version, context))
    return found


__all__ = ["parse_gemfile_lock"]
