"""What a source could not read: a location (file, or file#record) and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One unreadable file or record; ``location`` is ``<key>`` or ``<key>#<record or line>``."""

    location: str
    reason: str
