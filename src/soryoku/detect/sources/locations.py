"""Where logs come from: a local folder or an ``s3://bucket/prefix``, listed as log objects.

A log object knows its key relative to the input root (the evidence key of flow and DNS
findings), a version (mtime or ETag) for the incremental state, and how to fetch its bytes.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from soryoku.core.errors import InputError

_INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error,)
_gunzip: Callable[[bytes], bytes] = gzip.decompress
try:  # ISA-L inflates CloudTrail's gzip files about seven times faster than zlib (optional dependency)
    from isal import igzip, igzip_lib

    _gunzip = igzip.decompress
    # isal's stubs declare the exception class as an instance.
    _INFLATE_ERRORS = (zlib.error, cast("type[Exception]", igzip_lib.IsalError))
except ImportError:  # pragma: no cover - isal is in the detect extra
    pass

_TRAIL = re.compile(r"AWSLogs/(?:o-[a-z0-9]+/)?(\d{12})/CloudTrail/([a-z0-9-]+)/(\d{4})/(\d{2})/(\d{2})/")
_FLOW = re.compile(r"AWSLogs/(?:[^/]+/)?(\d{12})/vpcflowlogs/([a-z0-9-]+)/")


class FetchError(OSError):
    """A log object's bytes could not be fetched (permission, throttling, network).

    Unlike a corrupt file, the object was not read at all: it is not recorded in the incremental
    state, so the next run tries it again.
    """


@dataclass(frozen=True, slots=True)
class LogObject:
    """One log file: its key under the input root, a version for the state file, its bytes."""

    key: str
    size: int
    version: str
    fetch: Callable[[], bytes]

    @property
    def kind(self) -> str | None:
        """``cloudtrail``, ``flow``, ``dns``, ``digest`` (not a log), or ``None`` (sniff the content)."""
        key = self.key
        if "/CloudTrail-Digest/" in key or key.startswith("CloudTrail-Digest/"):
            return "digest"
        if "/CloudTrail/" in key or key.startswith("CloudTrail/"):
            return "cloudtrail"
        if "vpcflowlogs" in key:
            return "flow"
        if "vpcdnsquerylogs" in key or "route53resolver" in key.lower():
            return "dns"
        return None

    @property
    def region_hint(self) -> str | None:
        """The region named by the delivery layout, when there is one."""
        for pattern in (_TRAIL, _FLOW):
            match = pattern.search(self.key)
            if match:
                return match.group(2)
        return None

    def read(self) -> bytes:
        """The file's content, gunzipped when it is gzip (``OSError``/``EOFError`` on a bad archive)."""
        data = self.fetch()
        if data[:2] == b"\x1f\x8b":
            try:
                return _gunzip(data)
            except _INFLATE_ERRORS as error:
                raise OSError(f"corrupt gzip: {error}") from error
        return data


def list_local(root: Path) -> Iterator[LogObject]:
    """Every file under ``root`` (hidden files and folders excluded), in key order."""
    if not root.exists():
        raise InputError(f"log path {str(root)!r}: does not exist, expected a folder or s3://bucket/prefix")
    if root.is_file():
        stat = root.stat()
        yield LogObject(root.name, stat.st_size, str(stat.st_mtime_ns), root.read_bytes)
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        stat = path.stat()
        yield LogObject(relative.as_posix(), stat.st_size, str(stat.st_mtime_ns), path.read_bytes)


def list_source(
    location: str, *, since: datetime | None = None, until: datetime | None = None
) -> Iterator[LogObject]:
    """The log objects of a local path, an ``s3://`` prefix or ``lookup://`` (CloudTrail LookupEvents).

    ``since``/``until`` (UTC) narrow what LookupEvents is asked for; files are listed whole.
    """
    if location.startswith("s3://"):
        from soryoku.detect.sources.s3 import list_s3

        return list_s3(location)
    if location.startswith("lookup://"):
        from soryoku.detect.sources.lookup import list_lookup

        return list_lookup(location, since=since, until=until)
    return list_local(Path(location))
