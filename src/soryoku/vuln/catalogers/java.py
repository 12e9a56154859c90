"""Java archives (jar, war, ear, par): Maven coordinates from ``META-INF/maven/**/pom.properties``,
recursing into nested archives (``BOOT-INF/lib``, ``WEB-INF/lib``, an ear's modules).

An archive without ``pom.properties`` names no Maven coordinates and yields no package (its
version could only be guessed from the file name, which advisories cannot be matched on).
"""

from __future__ import annotations

import io
import zipfile

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import FileContext, Package, cataloger, purl

_ARCHIVES = (".jar", ".war", ".ear", ".par")
MAX_DEPTH = 4
MAX_NESTED_BYTES = 256 * 1024 * 1024


def _properties(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", "!")) and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def _walk(data: bytes, location: str, depth: int, found: list[Package], seen: set[tuple[str, str]]) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(f"{location}: not a readable Java archive ({exc})") from exc
    with archive:
        for info in archive.infolist():
            name = info.filename
            if name.startswith("META-INF/maven/") and name.endswith("/pom.properties"):
                props = _properties(archive.read(info).decode("utf-8", errors="replace"))
                group, artifact, version = props.get("groupId"), props.get("artifactId"), props.get("version")
                if group and artifact and version and (f"{group}:{artifact}", version) not in seen:
                    seen.add((f"{group}:{artifact}", version))
                    coordinates = purl("maven", artifact, version, namespace=group)
                    found.append(Package(f"{group}:{artifact}", version, "maven", coordinates, location))
            elif (
                name.lower().endswith(_ARCHIVES) and depth < MAX_DEPTH and info.file_size <= MAX_NESTED_BYTES
            ):
                _walk(archive.read(info), f"{location}!/{name}", depth + 1, found, seen)


@cataloger(
    "java-archive",
    title="Java archives (jar, war, ear, par) incl. nested: META-INF/maven/**/pom.properties",
    ecosystem="maven",
    wants=lambda p: p.lower().endswith(_ARCHIVES),
)
def parse_java_archive(data: bytes, context: FileContext) -> list[Package]:
    """Every Maven artifact an archive and its nested archives declare."""
    found: list[Package] = []
    _walk(data, context.location, 0, found, set())
    return found


__all__ = ["parse_java_archive"]
