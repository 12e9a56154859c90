"""Does an advisory affect an installed version? OSV range semantics over each ecosystem's ordering.

* ``ECOSYSTEM`` ranges use the package's ecosystem ordering, ``SEMVER`` ranges semver 2.0; events
  are sorted first (files list them in any order) and walked: ``introduced`` opens an affected
  span, ``fixed`` closes it at that version, ``last_affected`` just after it.
* ``GIT`` ranges name commits, not releases: they are ignored (the record's ``versions`` list,
  which OSV derives from them, speaks instead).
* An explicit ``versions`` entry equal to the installed version is affected.
* RustSec's ``patched``/``unaffected`` requirement lists: affected unless a requirement matches.

When the installed version cannot be ordered and no ``versions`` list decides, the verdict is
undecided, with the reason (the scanner reports a gap, never a silent "clean").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from univers.version_range import NpmVersionRange
from univers.versions import SemverVersion

from soryoku.vuln.advisories.records import Affected
from soryoku.vuln.versions import Orderable, parse_version


@dataclass(frozen=True, slots=True)
class Verdict:
    """The matcher's answer for one installed version against one affected package entry."""

    affected: bool
    decided: bool = True
    fixed: str | None = None
    reason: str = ""


CLEAN = Verdict(affected=False)

_ORDER = {"introduced": 0, "fixed": 1, "last_affected": 2, "limit": 3}


def _ordering_key(range_type: str, ecosystem: str) -> str:
    return "npm" if range_type == "SEMVER" else ecosystem


Event = tuple[str, "Orderable | None", str]


@lru_cache(maxsize=100_000)
def _compile(key: str, flat: tuple[tuple[str, str], ...]) -> tuple[Event, ...] | None:
    """One range's events parsed and sorted (``introduced: 0`` first; at one version
    ``introduced`` before ``fixed``); ``None`` when an event version cannot be ordered."""
    zero: list[Event] = []
    parsed: list[tuple[int, Orderable, str, str]] = []
    for kind, text in flat:
        if kind not in _ORDER or kind == "limit":
            continue
        if kind == "introduced" and text == "0":
            zero.append((kind, None, text))
            continue
        version = parse_version(key, text)
        if version is None:
            return None
        parsed.append((_ORDER[kind], version, kind, text))
    parsed.sort(key=_SortKey)
    return (*zero, *((kind, version, text) for _, version, kind, text in parsed))


def _flat(events: Any) -> tuple[tuple[str, str], ...]:
    return tuple((k, str(v)) for event in events or [] for k, v in event.items())


def _walk(compiled: tuple[Event, ...], installed: Orderable) -> Verdict:
    """Walk one range's sorted events for the installed version."""
    affected = False
    for kind, version, _text in compiled:
        if kind == "introduced":
            if version is None or version <= installed:
                affected = True
        elif kind == "fixed":
            if version is not None and version <= installed:
                affected = False
        elif kind == "last_affected" and version is not None and version < installed:
            affected = False
    if not affected:
        return CLEAN
    # events are sorted: the first fix above the installed version closes its span
    fixed = next((t for k, v, t in compiled if k == "fixed" and v is not None and installed < v), None)
    return Verdict(affected=True, fixed=fixed)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An affected entry with its ranges parsed once (kind, ordering key, sorted events, spec)."""

    versions: frozenset[str]
    ranges: tuple[tuple[str, str, tuple[Event, ...] | None, dict[str, Any]], ...]
    only_git: bool


# Advisory rows live in the database's per-package cache, so one scan meets the same Affected
# objects again and again: their parsed ranges are kept here (the entry holds the object, so
# its id cannot be reused while cached).
_PREPARED: dict[int, tuple[Affected, _Prepared]] = {}
_PREPARED_MAX = 200_000


def _prepare(affected: Affected) -> _Prepared:
    entry = _PREPARED.get(id(affected))
    if entry is not None and entry[0] is affected:
        return entry[1]
    ranges = []
    for spec in affected.ranges:
        kind = str(spec.get("type", ""))
        key = _ordering_key(kind, affected.ecosystem)
        compiled = _compile(key, _flat(spec.get("events"))) if kind in {"ECOSYSTEM", "SEMVER"} else None
        ranges.append((kind, key, compiled, spec))
    orderable = any(r[0] in {"ECOSYSTEM", "SEMVER", "RUSTSEC"} for r in ranges)
    prepared = _Prepared(frozenset(affected.versions), tuple(ranges), bool(ranges) and not orderable)
    if len(_PREPARED) >= _PREPARED_MAX:
        _PREPARED.clear()
    _PREPARED[id(affected)] = (affected, prepared)
    return prepared


class _SortKey:
    """Sort events by version, and at one version ``introduced`` before ``fixed``."""

    __slots__ = ("item",)

    def __init__(self, item: tuple[int, Orderable, str, str]) -> None:
        self.item = item

    def __lt__(self, other: _SortKey) -> bool:
        a, b = self.item[1], other.item[1]
        if a < b:
            return True
        if b < a:
            return False
        return self.item[0] < other.item[0]


def _npm_requirement(requirement: str) -> str:
    """A Cargo requirement (``>= 1.2, < 2``, ``^0.3``, bare ``1.2``) in npm range syntax."""
    parts = []
    for raw in requirement.split(","):
        clause = raw.strip().replace(" ", "")
        parts.append("^" + clause if clause[:1].isdigit() else clause)
    return " ".join(p for p in parts if p)


def _rustsec(spec: dict[str, Any], installed: str) -> Verdict:
    try:
        version = SemverVersion(installed)
    except ValueError:
        return Verdict(False, decided=False, reason=f"{installed!r} is not a semver version")
    patched = list(spec.get("patched") or [])
    for requirement in [*patched, *(spec.get("unaffected") or [])]:
        try:
            matched = version in NpmVersionRange.from_native(_npm_requirement(requirement))  # type: ignore[no-untyped-call]
        except (ValueError, TypeError) as exc:
            return Verdict(False, decided=False, reason=f"requirement {requirement!r}: {exc}")
        if matched:
            return CLEAN
    fixed = None
    if patched:
        lows = [r.split(",")[0].strip().lstrip(">=^~ ") for r in patched]
        candidates = [SemverVersion(v) for v in lows if _is_semver(v) and version < SemverVersion(v)]
        fixed = str(min(candidates)) if candidates else None
    return Verdict(True, fixed=fixed)


def _is_semver(text: str) -> bool:
    try:
        SemverVersion(text)
    except ValueError:
        return False
    return True


def match(affected: Affected, installed: str) -> Verdict:
    """The verdict of one affected entry for the installed version of that package."""
    prepared = _prepare(affected)
    hit = installed in prepared.versions
    fixes: list[str] = []
    undecided = ""
    for kind, key, compiled, spec in prepared.ranges:
        if kind == "RUSTSEC":
            verdict = _rustsec(spec, installed)
        elif kind in {"ECOSYSTEM", "SEMVER"}:
            version = parse_version(key, installed)
            if version is None:
                undecided = f"{installed!r} is not a valid {key} version"
                continue
            if compiled is None:
                undecided = f"a {kind} range of this advisory has a version {key} cannot order"
                continue
            verdict = _walk(compiled, version)
        else:
            continue  # GIT: commits, not releases; the versions list covers it
        if not verdict.decided:
            undecided = verdict.reason
            continue
        if verdict.affected:
            hit = True
            if verdict.fixed:
                fixes.append(verdict.fixed)
    if hit:
        return Verdict(True, fixed=_lowest(affected.ecosystem, fixes))
    if undecided and not prepared.versions:
        return Verdict(False, decided=False, reason=undecided)
    if prepared.only_git and not prepared.versions:
        return Verdict(False, decided=False, reason="only GIT ranges and no versions list")
    return CLEAN


def _lowest(ecosystem: str, fixes: list[str]) -> str | None:
    if not fixes:
        return None
    parsed = [(parse_version(ecosystem, f) or parse_version("npm", f), f) for f in fixes]
    ordered = [p for p in parsed if p[0] is not None]
    if not ordered:
        return fixes[0]
    best = ordered[0]
    for candidate in ordered[1:]:
        if candidate[0] < best[0]:  # type: ignore[operator]
            best = candidate
    return best[1]


__all__ = ["CLEAN", "Verdict", "match"]
