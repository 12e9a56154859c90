"""Severity parsing from user input."""

from __future__ import annotations

import pytest

from soryoku.core import InputError, Severity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("high", Severity.HIGH),
        ("CRITICAL", Severity.CRITICAL),
        ("info", Severity.INFORMATIONAL),
        ("3", Severity.MEDIUM),
        (" low ", Severity.LOW),
    ],
)
def test_parse(text: str, expected: Severity) -> None:
    assert Severity.parse(text) is expected


def test_parse_rejects_with_the_value_and_the_choices() -> None:
    with pytest.raises(InputError, match=r"severity 'urgent': expected one of .*critical"):
        Severity.parse("urgent")


def test_ordering_and_labels() -> None:
    assert Severity.CRITICAL > Severity.HIGH > Severity.MEDIUM > Severity.LOW
    assert Severity.HIGH.label == "High"
