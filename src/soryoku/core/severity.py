"""Severity on the OCSF scale, with parsing from user input."""

from __future__ import annotations

from enum import IntEnum

from soryoku.core.errors import InputError


class Severity(IntEnum):
    """OCSF ``severity_id`` values (Fatal and Other are not used by soryoku's own engines)."""

    UNKNOWN = 0
    INFORMATIONAL = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    CRITICAL = 5

    @property
    def label(self) -> str:
        """The OCSF caption, e.g. ``High``."""
        return self.name.capitalize()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Parse ``high``, ``HIGH``, ``info`` or ``4``; raise InputError naming the value otherwise."""
        value = text.strip().lower()
        aliases = {"info": "informational", "crit": "critical", "med": "medium"}
        value = aliases.get(value, value)
        if value.isdigit() and int(value) in cls._value2member_map_:
            return cls(int(value))
        for member in cls:
            if member.name.lower() == value:
                return member
        names = ", ".join(m.name.lower() for m in cls if m is not cls.UNKNOWN)
        raise InputError(f"severity {text!r}: expected one of {names}")


__all__ = ["Severity"]
