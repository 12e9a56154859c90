"""The one exception hierarchy of soryoku.

    SoryokuError                    base; the CLI prints ``str(error)`` as one line
    ├── InputError                  bad input from the user: exit code 2
    │   ├── ConfigError             unreadable/invalid config, mutelist, rules file
    │   ├── UnknownFormatError      --format names no writer
    │   └── OutputPathError         the output path cannot be written
    ├── StoreError                  the hub database is corrupt, too new, or unreachable (exit 2)
    ├── CredentialsError            no AWS credentials could be found (exit 2)
    └── ScanIncompleteError         something could not be evaluated (exit 3)

Library code raises these and never calls ``sys.exit``; ``soryoku.cli`` maps them to exit codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes, the same for every command (see ARCHITECTURE.md, Conventions)."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INCOMPLETE = 3


class SoryokuError(Exception):
    """Base of every error soryoku raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE


class InputError(SoryokuError):
    """The user gave input that cannot be used (names the input and what was expected)."""


class ConfigError(InputError):
    """A configuration, mutelist or rules file is unreadable or invalid."""


class UnknownFormatError(InputError):
    """An output format name that no writer serves."""


class OutputPathError(InputError):
    """An output path that cannot be written."""


class StoreError(SoryokuError):
    """The findings store cannot be opened or used."""


class CredentialsError(SoryokuError):
    """No AWS credentials were found."""


class ScanIncompleteError(SoryokuError):
    """A scan finished but some part could not be evaluated."""

    exit_code = ExitCode.INCOMPLETE


__all__ = [
    "ConfigError",
    "CredentialsError",
    "ExitCode",
    "InputError",
    "OutputPathError",
    "ScanIncompleteError",
    "SoryokuError",
    "StoreError",
    "UnknownFormatError",
]
