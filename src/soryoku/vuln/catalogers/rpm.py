"""rpm: the SQLite rpmdb of Amazon Linux 2023 / RHEL 9 family (``rpmdb.sqlite``).

The ``Packages`` table holds one rpm header blob per installed package; the header (index entries
of tag, type, offset, count, then a data store; all big-endian) is decoded for NAME, EPOCH,
VERSION, RELEASE, ARCH and SOURCERPM. The Berkeley DB rpmdb of Amazon Linux 2 / RHEL 7
(``var/lib/rpm/Packages``) is refused with a clear message (reported as not evaluated).
"""

from __future__ import annotations

import sqlite3
import struct

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import Distro, FileContext, Package, basename, cataloger, purl

_NAME, _VERSION, _RELEASE, _EPOCH, _ARCH, _SOURCERPM = 1000, 1001, 1002, 1003, 1022, 1044
_WANTED = {_NAME, _VERSION, _RELEASE, _EPOCH, _ARCH, _SOURCERPM}
_INT32, _STRING = 4, 6

# os-release ID → the soryoku ecosystem key of that distro's advisories
_DISTROS = {"amzn": "amazon linux", "rhel": "redhat", "almalinux": "almalinux", "rocky": "rocky linux"}
_SQLITE_PATHS = ("var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite")


def parse_header(blob: bytes) -> dict[int, str | int]:
    """The wanted tags of one rpm header blob (as stored in the rpmdb, without the lead magic)."""
    if len(blob) < 8:
        raise ValueError("rpm header shorter than its preamble")
    count, size = struct.unpack(">ii", blob[:8])
    store = 8 + 16 * count
    if count < 0 or size < 0 or store + size > len(blob):
        raise ValueError("rpm header sizes exceed the blob")
    found: dict[int, str | int] = {}
    for index in range(count):
        tag, kind, offset, _n = struct.unpack(">iiii", blob[8 + 16 * index : 24 + 16 * index])
        if tag not in _WANTED or not 0 <= offset < size:
            continue
        start = store + offset
        if kind == _INT32:
            found[tag] = struct.unpack(">i", blob[start : start + 4])[0]
        elif kind == _STRING:
            end = blob.index(b"\0", start)
            found[tag] = blob[start:end].decode("utf-8", errors="replace")
    return found


def _ecosystem(distro: Distro | None) -> tuple[str, str, str]:
    """(ecosystem key, release, purl namespace) for the rpm distro."""
    if distro is None:
        return "redhat", "", "redhat"
    key = _DISTROS.get(distro.id, "redhat")
    release = distro.version_id if distro.id == "amzn" else distro.version_id.split(".")[0]
    return key, release if distro.id in _DISTROS else "", distro.id


@cataloger(
    "rpm",
    title="rpm database, SQLite (Amazon Linux 2023, RHEL/Alma/Rocky 9); Berkeley DB refused",
    ecosystem="redhat",
    wants=lambda p: p in _SQLITE_PATHS or p == "var/lib/rpm/Packages",
)
def parse_rpmdb(data: bytes, context: FileContext) -> list[Package]:
    """Installed packages of an rpmdb.sqlite."""
    if basename(context.path) == "Packages":
        raise InputError(
            f"{context.location}: Berkeley DB rpm database (Amazon Linux 2, RHEL 7) is not read; "
            "export the package list with `rpm -qa` or scan a SQLite rpmdb (Amazon Linux 2023, RHEL 9)"
        )
    image = bytearray(data)
    if image[:16] == b"SQLite format 3\x00" and image[18:20] == b"\x02\x02":
        image[18:20] = b"\x01\x01"  # WAL mode cannot open in memory; the main file reads as legacy
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(bytes(image))
        rows = connection.execute("SELECT blob FROM Packages").fetchall()
    except sqlite3.Error as exc:
        raise InputError(f"{context.location}: not a readable SQLite rpm database ({exc})") from exc
    finally:
        connection.close()
    found: list[Package] = []
    for (blob,) in rows:
        try:
            header = parse_header(bytes(blob))
        except (ValueError, struct.error) as exc:
            raise InputError(f"{context.location}: damaged rpm header ({exc})") from exc
        name, version, rel = header.get(_NAME), header.get(_VERSION), header.get(_RELEASE)
        if not isinstance(name, str) or not isinstance(version, str):
            continue
        epoch = header.get(_EPOCH)
        item = rpm_package(
            name,
            epoch if isinstance(epoch, int) else 0,
            version,
            rel if isinstance(rel, str) else "",
            str(header.get(_ARCH, "")),
            str(header.get(_SOURCERPM, "")),
            context,
        )
        if item is not None:
            found.append(item)
    return found


def rpm_package(
    name: str, epoch: int, version: str, release: str, arch: str, source_rpm: str, context: FileContext
) -> Package | None:
    """One installed rpm as a Package of its distro (``None`` for the gpg-pubkey pseudo-packages)."""
    if name == "gpg-pubkey":
        return None
    key, distro_release, namespace = _ecosystem(context.distro)
    evr = f"{version}-{release}" if release else version
    qualifiers = {
        "arch": arch,
        "distro": f"{context.distro.id}-{context.distro.version_id}" if context.distro else "",
    }
    if epoch > 0:
        qualifiers["epoch"] = str(epoch)
    if source_rpm and source_rpm != "(none)":
        qualifiers["upstream"] = source_rpm
    return Package(
        name=name,
        version=f"{epoch}:{evr}" if epoch > 0 else evr,
        ecosystem=key,
        purl=purl(key, name, evr, namespace=namespace, qualifiers=qualifiers),
        location=context.location,
        release=distro_release,
    )


__all__ = ["parse_header", "parse_rpmdb", "rpm_package"]
