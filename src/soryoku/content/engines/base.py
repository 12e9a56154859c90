"""The interface every content engine implements, and what it is told about the data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from soryoku.content.spool import Blob
from soryoku.content.verdict import Match


class EngineError(Exception):
    """An engine could not scan some data (becomes an ``error`` reason, never a clean result)."""


@dataclass(frozen=True, slots=True)
class ScanTarget:
    """What the engine scans: the bytes plus the names public rule sets read as externals."""

    blob: Blob
    filename: str
    filepath: str
    extension: str
    filetype: str
    owner: str = ""
    path: str = ""  # where inside nested archives ("" for the object itself)

    def externals(self) -> dict[str, str]:
        """The YARA external variables (signature-base's ext-vars rules use all five)."""
        return {
            "filename": self.filename,
            "filepath": self.filepath,
            "extension": self.extension,
            "filetype": self.filetype,
            "owner": self.owner,
        }


class ContentEngine(Protocol):
    """A scanner of byte blobs. ``version`` names the engine and its rule/signature set."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def hash_names(self) -> frozenset[str]:
        """The hashlib names this engine needs computed while the data is read (usually none)."""
        ...

    def scan(self, target: ScanTarget) -> list[Match]:
        """The matches in ``target``; EngineError when the data could not be scanned."""
        ...


__all__ = ["ContentEngine", "EngineError", "ScanTarget"]
