"""OSV range semantics: sorted events, SEMVER vs ECOSYSTEM, last_affected, versions, GIT, RustSec."""

from __future__ import annotations

from typing import Any

import pytest

from soryoku.vuln.advisories.records import Affected
from soryoku.vuln.matcher import match


def _affected(ecosystem: str, ranges: list[dict[str, Any]], versions: tuple[str, ...] = ()) -> Affected:
    return Affected(ecosystem=ecosystem, release="", name="p", ranges=tuple(ranges), versions=versions)


def _events(kind: str, *events: tuple[str, str]) -> dict[str, Any]:
    return {"type": kind, "events": [{k: v} for k, v in events]}


# PYSEC-2018-104 (oslo-middleware) lists its events unsorted: 3.9.0→3.19.1, 0→3.8.1, 3.20.0→3.23.1
OSLO = _events(
    "ECOSYSTEM",
    ("introduced", "3.9.0"),
    ("fixed", "3.19.1"),
    ("introduced", "0"),
    ("fixed", "3.8.1"),
    ("introduced", "3.20.0"),
    ("fixed", "3.23.1"),
)


@pytest.mark.parametrize(
    ("installed", "affected", "fixed"),
    [
        ("3.8.0", True, "3.8.1"),
        ("3.8.1", False, None),
        ("3.8.5", False, None),
        ("3.9.0", True, "3.19.1"),
        ("3.19.0", True, "3.19.1"),
        ("3.19.1", False, None),
        ("3.20.0", True, "3.23.1"),
        ("3.23.1", False, None),
        ("3.9.0rc1", False, None),  # a pre-release of 3.9.0 sorts before it (PEP 440)
    ],
)
def test_unsorted_events(installed: str, affected: bool, fixed: str | None) -> None:
    verdict = match(_affected("pypi", [OSLO]), installed)
    assert (verdict.affected, verdict.fixed) == (affected, fixed)


def test_last_affected_and_dpkg_order() -> None:
    spec = _affected("debian", [_events("ECOSYSTEM", ("introduced", "0"), ("last_affected", "1.2-3"))])
    assert match(spec, "1.2-3").affected
    assert match(spec, "1.2~rc1-1").affected
    assert not match(spec, "1.2-3+deb11u1").affected
    assert not match(spec, "1:0.1-1").affected  # epoch 1 sorts after every epoch-0 version


def test_backported_debian_fix() -> None:
    spec = _affected("debian", [_events("ECOSYSTEM", ("introduced", "0"), ("fixed", "1.1.1n-0+deb11u5"))])
    assert match(spec, "1.1.1n-0+deb11u4").fixed == "1.1.1n-0+deb11u5"
    assert not match(spec, "1.1.1n-0+deb11u5").affected


def test_semver_range_for_go() -> None:
    spec = _affected("go", [_events("SEMVER", ("introduced", "1.2.0"), ("fixed", "1.2.5"))])
    assert match(spec, "v1.2.4").affected
    assert match(spec, "v1.2.5-rc.1").affected  # a pre-release of the fix is still affected
    assert not match(spec, "v1.2.5").affected
    assert not match(spec, "v1.1.9").affected


def test_explicit_versions_and_git_only() -> None:
    git = {"type": "GIT", "repo": "https://x", "events": [{"introduced": "abc"}, {"fixed": "def"}]}
    spec = _affected("pypi", [git], versions=("1.0", "1.1"))
    assert match(spec, "1.1").affected
    assert not match(spec, "1.2").affected
    undecided = match(_affected("pypi", [git]), "1.0")
    assert not undecided.decided and "GIT" in undecided.reason


def test_unparsable_installed_version_is_undecided() -> None:
    spec = _affected("pypi", [_events("ECOSYSTEM", ("introduced", "0"), ("fixed", "2.0"))])
    verdict = match(spec, "not-a-version!")
    assert not verdict.decided and "not a valid pypi version" in verdict.reason
    listed = _affected("pypi", [_events("ECOSYSTEM", ("introduced", "0"), ("fixed", "2.0"))], ("weird!",))
    assert match(listed, "weird!").affected


@pytest.mark.parametrize(
    ("installed", "affected", "fixed"),
    [("0.4.9", False, None), ("0.5.0", True, "1.2.0"), ("1.1.9", True, "1.2.0"), ("1.2.0", False, None)],
)
def test_rustsec_requirements(installed: str, affected: bool, fixed: str | None) -> None:
    spec = _affected("crates.io", [{"type": "RUSTSEC", "patched": [">= 1.2.0"], "unaffected": ["< 0.5.0"]}])
    verdict = match(spec, installed)
    assert (verdict.affected, verdict.fixed) == (affected, fixed)


def test_rustsec_caret_and_compound() -> None:
    spec = _affected("crates.io", [{"type": "RUSTSEC", "patched": ["^0.3.9", ">= 0.4.2"], "unaffected": []}])
    assert not match(spec, "0.3.12").affected
    assert match(spec, "0.4.0").affected
    assert match(spec, "0.3.1").affected
