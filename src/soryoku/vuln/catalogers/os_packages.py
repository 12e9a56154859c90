"""OS packages: dpkg (``status`` and distroless ``status.d``), apk (``installed``), and os-release."""

from __future__ import annotations

import re
from collections.abc import Iterator

from soryoku.vuln.catalogers.base import Distro, FileContext, Package, cataloger, purl

OS_RELEASE_PATHS = ("etc/os-release", "usr/lib/os-release")

_SOURCE = re.compile(r"^(?P<name>\S+)(?:\s+\((?P<version>[^)]+)\))?$")


def parse_os_release(data: bytes) -> Distro | None:
    """``/etc/os-release`` as a Distro (``None`` without an ``ID``)."""
    fields: dict[str, str] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            fields[key] = value.strip().strip("\"'")
    if not fields.get("ID"):
        return None
    return Distro(
        id=fields["ID"].lower(),
        version_id=fields.get("VERSION_ID", ""),
        pretty_name=fields.get("PRETTY_NAME", ""),
    )


def _stanzas(text: str) -> Iterator[dict[str, str]]:
    """RFC 822-style paragraphs (dpkg) as dicts; continuation lines are folded into their field."""
    fields: dict[str, str] = {}
    last = ""
    for line in text.splitlines():
        if not line.strip():
            if fields:
                yield fields
            fields, last = {}, ""
        elif line[0] in " \t":
            if last:
                fields[last] += "\n" + line.strip()
        else:
            key, _, value = line.partition(":")
            last = key.strip()
            fields[last] = value.strip()
    if fields:
        yield fields


def _os_ecosystem(distro: Distro | None, default: str) -> tuple[str, str]:
    if distro is not None and distro.id in {"debian", "ubuntu", "alpine"}:
        return distro.id, distro.release
    return default, ""


@cataloger(
    "dpkg",
    title="Debian/Ubuntu dpkg database (status, status.d)",
    ecosystem="debian",
    wants=lambda p: p == "var/lib/dpkg/status" or p.startswith("var/lib/dpkg/status.d/"),
)
def parse_dpkg_status(data: bytes, context: FileContext) -> list[Package]:
    """Installed packages of a dpkg ``status`` file (or one file of distroless ``status.d``)."""
    if context.path.endswith((".md5sums", ".list")):
        return []
    key, release = _os_ecosystem(context.distro, "debian")
    distro_q = f"{context.distro.id}-{context.distro.version_id}" if context.distro else ""
    found: list[Package] = []
    for stanza in _stanzas(data.decode("utf-8", errors="replace")):
        name, version = stanza.get("Package", ""), stanza.get("Version", "")
        status = stanza.get("Status", "install ok installed")
        if not name or not version or not status.endswith(" installed"):
            continue
        source_name, source_version = name, version
        if stanza.get("Source") and (m := _SOURCE.match(stanza["Source"])):
            source_name = m["name"]
            source_version = m["version"] or version
        arch = stanza.get("Architecture", "")
        qualifiers = {"arch": arch, "distro": distro_q}
        if source_name != name:
            qualifiers["upstream"] = source_name
        found.append(
            Package(
                name=name,
                version=version,
                ecosystem=key,
                purl=purl(key, name, version, namespace=key, qualifiers=qualifiers),
                location=context.location,
                release=release,
                source_name=source_name,
                source_version=source_version,
            )
        )
    return found


@cataloger(
    "apk",
    title="Alpine apk installed database",
    ecosystem="alpine",
    wants=lambda p: p == "lib/apk/db/installed",
)
def parse_apk_installed(data: bytes, context: FileContext) -> list[Package]:
    """Installed packages of Alpine's ``lib/apk/db/installed`` (``P:``/``V:``/``o:`` records)."""
    key, release = _os_ecosystem(context.distro, "alpine")
    distro_q = f"alpine-{context.distro.version_id}" if context.distro else ""
    found: list[Package] = []
    record: dict[str, str] = {}
    for line in [*data.decode("utf-8", errors="replace").splitlines(), ""]:
        if not line.strip():
            name, version = record.get("P", ""), record.get("V", "")
            if name and version:
                origin = record.get("o", name)
                qualifiers = {"arch": record.get("A", ""), "distro": distro_q}
                if origin != name:
                    qualifiers["upstream"] = origin
                found.append(
                    Package(
                        name=name,
                        version=version,
                        ecosystem=key,
                        purl=purl(key, name, version, namespace="alpine", qualifiers=qualifiers),
                        location=context.location,
                        release=release,
                        source_name=origin,
                    )
                )
            record = {}
            continue
        field_name, sep, value = line.partition(":")
        if sep and len(field_name) == 1 and field_name not in record:
            record[field_name] = value
    return found


__all__ = ["OS_RELEASE_PATHS", "parse_apk_installed", "parse_dpkg_status", "parse_os_release"]
