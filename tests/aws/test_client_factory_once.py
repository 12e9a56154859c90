"""Collectors that need the same list call share one answer per account scan."""

from __future__ import annotations

import boto3
import pytest

from soryoku.aws.clients import ClientFactory


def test_once_fetches_once_per_key_and_forgets_failures() -> None:
    factory = ClientFactory(boto3.Session(region_name="us-east-1"), "123456789012")
    calls: list[str] = []

    def fetch(name: str) -> str:
        calls.append(name)
        return name.upper()

    assert factory.once(("us-east-1", "a"), lambda: fetch("a")) == "A"
    assert factory.once(("us-east-1", "a"), lambda: fetch("again")) == "A"
    assert factory.once(("eu-west-1", "a"), lambda: fetch("b")) == "B"
    assert calls == ["a", "b"]

    def broken() -> str:
        raise RuntimeError("throttled")

    with pytest.raises(RuntimeError):
        factory.once(("us-east-1", "c"), broken)
    assert factory.once(("us-east-1", "c"), lambda: fetch("c")) == "C"
