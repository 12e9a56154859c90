"""SBOM files as input: CycloneDX JSON (components, nested) and SPDX 2.x JSON (packages' purl refs).

Each component's purl says what it is: its type picks the ecosystem (``deb`` + namespace picks
Debian or Ubuntu, ``rpm`` the rpm distro), its ``distro`` qualifier the release, and a ``deb``
``upstream`` qualifier the source package advisories are keyed by.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import Distro, FileContext, Package, basename, cataloger

_TYPES = {
    "pypi": "pypi",
    "npm": "npm",
    "golang": "go",
    "cargo": "crates.io",
    "gem": "rubygems",
    "composer": "packagist",
    "maven": "maven",
    "nuget": "nuget",
    "apk": "alpine",
}
_DEB = {"debian": "debian", "ubuntu": "ubuntu"}
_RPM = {
    "amzn": "amazon linux",
    "redhat": "redhat",
    "rhel": "redhat",
    "almalinux": "almalinux",
    "rocky": "rocky linux",
}


def package_from_purl(text: str, location: str) -> Package | None:
    """A Package from a purl (``None`` for a type soryoku has no advisories for)."""
    if not text.startswith("pkg:"):
        return None
    body, _, _subpath = text[4:].partition("#")
    body, _, query = body.partition("?")
    path, _, version = body.rpartition("@")
    if not path or not version:
        return None
    segments = [unquote(s) for s in path.strip("/").split("/")]
    kind, name, namespace = segments[0].lower(), segments[-1], "/".join(segments[1:-1])
    qualifiers = dict(q.split("=", 1) for q in query.split("&") if "=" in q)
    qualifiers = {k: unquote(v) for k, v in qualifiers.items()}
    version = unquote(version)
    if kind == "deb":
        key = _DEB.get(namespace.lower(), "debian")
    elif kind == "rpm":
        key = _RPM.get(namespace.lower(), "redhat")
        if qualifiers.get("epoch") and ":" not in version:
            version = f"{qualifiers['epoch']}:{version}"
    elif kind in _TYPES:
        key = _TYPES[kind]
    else:
        return None
    release = ""
    if kind in {"deb", "apk", "rpm"} and qualifiers.get("distro"):
        distro_id, _, distro_version = qualifiers["distro"].rpartition("-")
        distro = Distro(distro_id or namespace, distro_version)
        release = distro.release if kind != "rpm" or distro.id == "amzn" else distro_version.split(".")[0]
    if key == "maven":
        full = f"{namespace}:{name}"
    elif namespace and kind not in {"deb", "apk", "rpm"}:
        full = f"{namespace}/{name}"
    else:
        full = name
    return Package(
        name=full,
        version=version,
        ecosystem=key,
        purl=text,
        location=location,
        release=release,
        source_name=qualifiers.get("upstream", "") if kind in {"deb", "apk"} else "",
    )


def _cyclonedx_purls(components: list[Any]) -> Iterator[str]:
    for component in components:
        if isinstance(component, dict):
            if isinstance(component.get("purl"), str):
                yield component["purl"]
            yield from _cyclonedx_purls(component.get("components") or [])


def _spdx_purls(packages: list[Any]) -> Iterator[str]:
    for item in packages:
        for ref in (item.get("externalRefs") or []) if isinstance(item, dict) else []:
            if isinstance(ref, dict) and ref.get("referenceType") == "purl":
                yield str(ref.get("referenceLocator", ""))


def _is_sbom(path: str) -> bool:
    name = basename(path).lower()
    return name.endswith((".cdx.json", ".cyclonedx.json", ".spdx.json")) or name in {"bom.json", "sbom.json"}


@cataloger(
    "sbom", title="SBOM files: CycloneDX JSON, SPDX 2.x JSON (by purl)", ecosystem="any", wants=_is_sbom
)
def parse_sbom(data: bytes, context: FileContext) -> list[Package]:
    """Every component (CycloneDX) or package (SPDX) that carries a purl."""
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{context.location}: invalid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise InputError(f"{context.location}: not a CycloneDX or SPDX document")
    if document.get("bomFormat") == "CycloneDX":
        purls = list(_cyclonedx_purls(document.get("components") or []))
    elif "spdxVersion" in document:
        purls = list(_spdx_purls(document.get("packages") or []))
    else:
        raise InputError(
            f"{context.location}: not a CycloneDX (bomFormat) or SPDX (spdxVersion) JSON document"
        )
    found = [package_from_purl(p, context.location) for p in purls]
    return [p for p in found if p is not None]


__all__ = ["package_from_purl", "parse_sbom"]
