"""Debian security tracker advisory lists (``data/DSA/list``, ``data/DLA/list``) as advisories.

Each entry names the CVEs it fixes and, per suite, the source package version that fixes them::

    [07 Feb 2023] DSA-5343-1 openssl - security update
        {CVE-2022-2097 CVE-2022-4304 ...}
        [bullseye] - openssl 1.1.1n-0+deb11u4

which becomes one advisory per entry, affecting the source package in ``Debian:<release>`` from
version 0 up to the fixed one (a backported fix is fixed). Suites marked ``<not-affected>`` or
without a version are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from soryoku.vuln.advisories.records import Advisory, Affected
from soryoku.vuln.advisories.severity import UNRATED

SUITES = {
    "woody": "3.0",
    "sarge": "3.1",
    "etch": "4",
    "lenny": "5",
    "squeeze": "6",
    "wheezy": "7",
    "jessie": "8",
    "stretch": "9",
    "buster": "10",
    "bullseye": "11",
    "bookworm": "12",
    "trixie": "13",
}

_HEADER = re.compile(
    r"^\[(?P<date>[^\]]+)\]\s+(?P<id>D[SL]A-[\w-]+)\s+(?P<package>\S+)\s*-?\s*(?P<title>.*)$"
)
_FIX = re.compile(r"^\[(?P<suite>[a-z]+)\]\s+-\s+(?P<package>\S+)\s+(?P<version>[^\s<(]\S*)")
_CVE = re.compile(r"CVE-\d{4}-\d+")


def _iso_date(text: str) -> str:
    try:
        return datetime.strptime(text.strip(), "%d %b %Y").date().isoformat()
    except ValueError:
        return text.strip()


def looks_like_tracker_list(head: bytes) -> bool:
    """True when a file starts like a DSA/DLA list."""
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    return bool(_HEADER.match(first))


def _advisory(lines: list[str], origin: str) -> Advisory | None:
    header = _HEADER.match(lines[0])
    if header is None:
        return None
    aliases: list[str] = []
    affected: list[Affected] = []
    for line in lines[1:]:
        text = line.strip()
        if text.startswith("{"):
            aliases += _CVE.findall(text)
        elif (fix := _FIX.match(text)) and fix["suite"] in SUITES:
            affected.append(
                Affected(
                    ecosystem="debian",
                    release=SUITES[fix["suite"]],
                    name=fix["package"],
                    ranges=(
                        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fix["version"]}]},
                    ),
                    versions=(),
                    purl=f"pkg:deb/debian/{fix['package']}",
                )
            )
    if not affected:
        return None
    advisory_id = header["id"]
    return Advisory(
        id=advisory_id,
        aliases=tuple(dict.fromkeys(aliases)),
        summary=f"{header['package']}: {header['title'].strip() or 'security update'}",
        details="",
        rating=UNRATED,
        published=_iso_date(header["date"]),
        modified=_iso_date(header["date"]),
        references=(f"https://security-tracker.debian.org/tracker/{advisory_id}",),
        affected=tuple(affected),
    )


def advisories_from_tracker_list(text: str, origin: str) -> Iterator[Advisory]:
    """Every entry of a DSA/DLA list that names at least one fixed version."""
    block: list[str] = []
    for line in [*text.splitlines(), "["]:
        if line.startswith("[") and block:
            advisory = _advisory(block, origin)
            if advisory is not None:
                yield advisory
            block = []
        if line.strip():
            block.append(line)


__all__ = ["SUITES", "advisories_from_tracker_list", "looks_like_tracker_list"]
