"""Retries are botocore's adaptive mode; AWS_MAX_ATTEMPTS (total attempts) is honoured."""

from __future__ import annotations

import pytest

from soryoku.aws.clients import DEFAULT_MAX_ATTEMPTS, retry_settings


def test_default_and_explicit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    assert retry_settings() == {"mode": "adaptive", "max_attempts": DEFAULT_MAX_ATTEMPTS}
    assert retry_settings(3) == {"mode": "adaptive", "max_attempts": 3}


def test_environment_variable_is_total_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    assert retry_settings() == {"mode": "adaptive", "total_max_attempts": 2}
    assert retry_settings(5) == {"mode": "adaptive", "max_attempts": 5}  # explicit wins
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "not-a-number")
    assert retry_settings() == {"mode": "adaptive", "max_attempts": DEFAULT_MAX_ATTEMPTS}
