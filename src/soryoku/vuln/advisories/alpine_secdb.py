"""Alpine secdb (``v3.X/{main,community}.yaml``): per package, the apk version fixing each CVE.

Each (release, CVE) becomes one advisory ``ALPINE-<release>-<CVE>`` aliasing the CVE, affecting
every package of that file it names, from version 0 up to the fixing one. A fix version of ``0``
means "never affected" in secdb and is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from soryoku.vuln.advisories.records import Advisory, Affected
from soryoku.vuln.advisories.severity import UNRATED


def is_secdb(document: Any) -> bool:
    """True for a secdb document (``distroversion`` + ``packages``)."""
    return isinstance(document, dict) and "distroversion" in document and "packages" in document


def advisories_from_secdb(document: dict[str, Any], origin: str) -> Iterator[Advisory]:
    """Every (release, CVE) of one secdb file."""
    release = str(document["distroversion"]).strip()
    by_cve: dict[str, list[Affected]] = {}
    for entry in document.get("packages") or []:
        pkg = entry.get("pkg") if isinstance(entry, dict) else None
        if not isinstance(pkg, dict) or not pkg.get("name"):
            continue
        name = str(pkg["name"])
        for fixed, cves in (pkg.get("secfixes") or {}).items():
            if str(fixed).strip() == "0":
                continue
            for cve in cves or []:
                ident = str(cve).split()[0]
                by_cve.setdefault(ident, []).append(
                    Affected(
                        ecosystem="alpine",
                        release=release,
                        name=name,
                        ranges=(
                            {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": str(fixed)}]},
                        ),
                        versions=(),
                        purl=f"pkg:apk/alpine/{name}",
                    )
                )
    for cve, affected in sorted(by_cve.items()):
        yield Advisory(
            id=f"ALPINE-{release}-{cve}",
            aliases=(cve,),
            summary="",
            details="",
            rating=UNRATED,
            published="",
            modified="",
            references=(f"https://security.alpinelinux.org/vuln/{cve}",),
            affected=tuple(affected),
        )


__all__ = ["advisories_from_secdb", "is_secdb"]
