"""RustSec advisories: Markdown with a TOML front matter block (rustsec/advisory-db ``crates/``)."""

from __future__ import annotations

import tomllib
from typing import Any

from soryoku.core.errors import InputError
from soryoku.core.severity import Severity
from soryoku.vuln.advisories.records import Advisory, Affected, Withdrawn
from soryoku.vuln.advisories.severity import Rating, rate
from soryoku.vuln.ecosystems import normalise_name

_FENCE_OPEN = "```toml"
_FENCE_CLOSE = "\n```"


def _front_matter(text: str, origin: str) -> tuple[dict[str, Any], str]:
    start = text.find(_FENCE_OPEN)
    end = text.find(_FENCE_CLOSE, start + len(_FENCE_OPEN))
    if start < 0 or end < 0:
        raise InputError(f"{origin}: not a RustSec advisory (expected a ```toml front matter block)")
    try:
        data = tomllib.loads(text[start + len(_FENCE_OPEN) : end])
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{origin}: invalid TOML front matter: {exc}") from exc
    return data, text[end + len(_FENCE_CLOSE) :]


def _title_and_body(markdown: str) -> tuple[str, str]:
    lines = markdown.strip().splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return line[2:].strip(), "\n".join(lines[index + 1 :]).strip()
    return "", "\n".join(lines).strip()


def _requirements(values: Any) -> list[str]:
    return [str(v).strip() for v in values or [] if str(v).strip()]


def advisory_from_rustsec(text: str, origin: str) -> Advisory | Withdrawn:
    """Convert one RustSec advisory file (``Withdrawn`` when it is)."""
    data, markdown = _front_matter(text, origin)
    meta = data.get("advisory")
    if not isinstance(meta, dict) or "id" not in meta or "package" not in meta:
        raise InputError(f"{origin}: RustSec front matter lacks [advisory] id/package")
    if meta.get("withdrawn"):
        return Withdrawn(str(meta["id"]))
    versions = data.get("versions") or {}
    vector = str(meta.get("cvss") or "")
    kind = "CVSS_V4" if vector.startswith("CVSS:4") else "CVSS_V3"
    rating = rate([{"type": kind, "score": vector}] if vector else [], [])
    if rating.severity is Severity.UNKNOWN and meta.get("informational"):
        rating = Rating(Severity.INFORMATIONAL)
    title, body = _title_and_body(markdown)
    references = [str(meta["url"])] if meta.get("url") else []
    references += [str(r) for r in meta.get("references") or []]
    affected = Affected(
        ecosystem="crates.io",
        release="",
        name=normalise_name("crates.io", str(meta["package"])),
        ranges=(
            {
                "type": "RUSTSEC",
                "patched": _requirements(versions.get("patched")),
                "unaffected": _requirements(versions.get("unaffected")),
            },
        ),
        versions=(),
        purl=f"pkg:cargo/{meta['package']}",
    )
    return Advisory(
        id=str(meta["id"]),
        aliases=tuple(str(a) for a in meta.get("aliases") or []),
        summary=title,
        details=body,
        rating=rating,
        published=str(meta.get("date") or ""),
        modified=str(meta.get("date") or ""),
        references=tuple(references),
        affected=(affected,),
    )


__all__ = ["advisory_from_rustsec"]
