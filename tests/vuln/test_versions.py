"""Each ecosystem's comparator, proved on tables of real cases (left < right unless marked equal)."""

from __future__ import annotations

import pytest

from soryoku.vuln.versions import compare, parse_version, supported

# (ecosystem, lower, higher): every pair must sort lower < higher, and the reverse must not hold.
ORDERED = [
    # dpkg: epoch beats everything, tilde sorts before anything (even the end), revisions compare
    ("debian", "1:1.0", "2:0.1"),
    ("debian", "0:9.9", "1:0.0"),
    ("debian", "1.0~rc1", "1.0"),
    ("debian", "1.0~rc1", "1.0~rc2"),
    ("debian", "1.0~~", "1.0~"),
    ("debian", "1.0", "1.0+b1"),
    ("debian", "1.0-1", "1.0-1+deb11u1"),
    ("debian", "1.1.1n-0+deb11u4", "1.1.1n-0+deb11u5"),
    ("debian", "1.1.1k-1+deb11u1", "1.1.1n-0+deb11u4"),
    ("debian", "2.31-13+deb11u5", "2.31-13+deb11u6"),
    ("debian", "7.74.0-1.3+deb11u7", "7.74.0-1.3+deb11u11"),
    ("debian", "1.2.11.dfsg-2", "1.2.11.dfsg-2+deb11u1"),
    ("ubuntu", "3.0.2-0ubuntu1.10", "3.0.2-0ubuntu1.12"),
    ("ubuntu", "1:9.18.12-0ubuntu0.22.04.1", "1:9.18.18-0ubuntu0.22.04.1"),
    # rpm: epoch, then version, then release; tilde pre-releases and caret post-releases
    ("redhat", "1.0-1.el9", "1.0-2.el9"),
    ("redhat", "1:1.0-1", "2:0.9-1"),
    ("redhat", "3.0.7-24.el9", "3.0.7-25.el9"),
    ("redhat", "1.0~rc1-1", "1.0-1"),
    ("redhat", "1.0-1", "1.0^git1-1"),
    ("amazon linux", "1.0.2k-24.amzn2.0.4", "1.0.2k-24.amzn2.0.6"),
    ("amazon linux", "8.0.1-1.amzn2023", "8.5.0-1.amzn2023"),
    ("almalinux", "2.34-60.el9", "2.34-83.el9_3.7"),
    # apk: -rN revisions, _pN patch suffixes after, _rc/_alpha suffixes before the release
    ("alpine", "1.2.3-r0", "1.2.3-r1"),
    ("alpine", "1.2.3-r9", "1.2.3-r10"),
    ("alpine", "1.1.1t-r0", "1.1.1u-r0"),
    ("alpine", "3.0.8-r0", "3.0.12-r0"),
    ("alpine", "1.2.3_rc1-r0", "1.2.3-r0"),
    ("alpine", "1.2.3-r5", "1.2.3_p1-r0"),
    ("alpine", "1.36.1-r2", "1.36.1-r5"),
    # PEP 440: dev < pre < release < post; local versions after the plain one
    ("pypi", "1.0.dev0", "1.0a1"),
    ("pypi", "1.0a1", "1.0b1"),
    ("pypi", "1.0b2", "1.0rc1"),
    ("pypi", "1.0rc1", "1.0"),
    ("pypi", "1.0", "1.0.post1"),
    ("pypi", "1.0", "1.0+local"),
    ("pypi", "1.9", "1.10"),
    ("pypi", "2.0.0a12", "2.0.0"),
    ("pypi", "0!9.0", "1!0.1"),
    ("pypi", "41.0.3", "41.0.4"),
    # semver 2.0 (npm, Cargo, Go): prerelease before release, numeric identifiers numerically
    ("npm", "1.0.0-alpha", "1.0.0-alpha.1"),
    ("npm", "1.0.0-alpha.1", "1.0.0-alpha.beta"),
    ("npm", "1.0.0-alpha.beta", "1.0.0-beta"),
    ("npm", "1.0.0-beta.2", "1.0.0-beta.11"),
    ("npm", "1.0.0-rc.1", "1.0.0"),
    ("npm", "4.17.20", "4.17.21"),
    ("crates.io", "0.9.0", "0.10.0"),
    ("go", "v1.2.3", "v1.10.0"),
    ("go", "v0.0.0-20210101000000-abcdefabcdef", "v0.0.1"),
    ("go", "v1.9.0-rc.1", "v1.9.0"),
    # Maven, RubyGems, NuGet, Composer
    ("maven", "2.14.1", "2.15.0"),
    ("maven", "1.0-alpha-1", "1.0"),
    ("maven", "1.0-SNAPSHOT", "1.0"),
    ("maven", "1.0", "1.0-sp1"),
    ("rubygems", "1.0.0.pre", "1.0.0"),
    ("rubygems", "6.1.7.6", "7.0.0"),
    ("rubygems", "1.13.10", "1.14.0"),
    ("nuget", "12.0.3", "13.0.1"),
    ("nuget", "1.0.0-beta", "1.0.0"),
    ("packagist", "5.4.0", "5.4.10"),
    ("packagist", "2.0.0-beta1", "2.0.0"),
]

EQUAL = [
    ("debian", "1.0", "0:1.0"),
    ("pypi", "1.0", "1.0.0"),
    ("pypi", "1.0-post1", "1.0.post1"),
    ("go", "v1.2.3", "1.2.3"),
    ("npm", "1.0.0+build1", "1.0.0+build2"),  # build metadata does not order
    ("redhat", "1.0-1", "0:1.0-1"),
]


@pytest.mark.parametrize(("ecosystem", "lower", "higher"), ORDERED)
def test_ordered(ecosystem: str, lower: str, higher: str) -> None:
    assert compare(ecosystem, lower, higher) == -1
    assert compare(ecosystem, higher, lower) == 1


@pytest.mark.parametrize(("ecosystem", "left", "right"), EQUAL)
def test_equal(ecosystem: str, left: str, right: str) -> None:
    assert compare(ecosystem, left, right) == 0


def test_unparsable_versions() -> None:
    assert parse_version("pypi", "not a version!") is None
    assert parse_version("npm", "abc") is None
    assert parse_version("nosuch", "1.0") is None
    assert not supported("nosuch")
    with pytest.raises(ValueError, match="not a pypi version"):
        compare("pypi", "1.0", "bad version!")
