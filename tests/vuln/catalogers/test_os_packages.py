"""dpkg status / status.d, apk installed, os-release."""

from __future__ import annotations

from soryoku.vuln.catalogers.base import Distro, FileContext
from soryoku.vuln.catalogers.os_packages import parse_apk_installed, parse_dpkg_status, parse_os_release

DPKG_STATUS = b"""\
Package: libssl1.1
Status: install ok installed
Priority: optional
Architecture: amd64
Source: openssl
Version: 1.1.1n-0+deb11u4
Description: Secure Sockets Layer toolkit
 multi-line description
 continues here

Package: removed-thing
Status: deinstall ok config-files
Version: 1.0

Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc (2.31-13+deb11u5)
Version: 2.31-13+deb11u5+b1

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.11.dfsg-2+deb11u2
"""

APK_INSTALLED = b"""\
C:Q1abc=
P:libcrypto3
V:3.0.8-r0
A:x86_64
o:openssl
T:Crypto library

C:Q1def=
P:musl
V:1.2.3-r4
A:x86_64
o:musl
"""

DEBIAN = Distro("debian", "11", "Debian GNU/Linux 11 (bullseye)")


def test_dpkg_status_uses_source_packages() -> None:
    context = FileContext("var/lib/dpkg/status", "/rootfs/var/lib/dpkg/status", DEBIAN)
    packages = parse_dpkg_status(DPKG_STATUS, context)
    assert [(p.name, p.match_name, p.match_version, p.release) for p in packages] == [
        ("libssl1.1", "openssl", "1.1.1n-0+deb11u4", "11"),
        ("libc6", "glibc", "2.31-13+deb11u5", "11"),
        ("zlib1g", "zlib", "1:1.2.11.dfsg-2+deb11u2", "11"),
    ]
    assert packages[0].purl == (
        "pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb11u4?arch=amd64&distro=debian-11&upstream=openssl"
    )
    assert packages[0].ecosystem == "debian"


def test_dpkg_status_d_single_stanza() -> None:
    context = FileContext("var/lib/dpkg/status.d/zlib1g", "x", None)
    (pkg,) = parse_dpkg_status(DPKG_STATUS.split(b"\n\n")[-1], context)
    assert (pkg.name, pkg.release, pkg.ecosystem) == ("zlib1g", "", "debian")
    assert parse_dpkg_status(b"whatever", FileContext("var/lib/dpkg/status.d/x.md5sums", "x")) == []


def test_apk_installed() -> None:
    distro = Distro("alpine", "3.18.4")
    assert distro.release == "v3.18"
    packages = parse_apk_installed(APK_INSTALLED, FileContext("lib/apk/db/installed", "l", distro))
    assert [(p.name, p.version, p.match_name, p.release) for p in packages] == [
        ("libcrypto3", "3.0.8-r0", "openssl", "v3.18"),
        ("musl", "1.2.3-r4", "musl", "v3.18"),
    ]
    assert packages[0].purl.startswith("pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64")


def test_os_release() -> None:
    text = b'PRETTY_NAME="Ubuntu 22.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\n'
    assert parse_os_release(text) == Distro("ubuntu", "22.04", "Ubuntu 22.04.3 LTS")
    assert parse_os_release(b"NAME=nothing\n") is None
    assert Distro("debian", "12").release == "12"
