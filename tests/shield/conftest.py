"""Shield test fixtures: hooks are always removed after each test, request contexts are easy to make."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from soryoku.shield import ShieldConfig, install, installed, uninstall
from soryoku.shield.context import RequestContext, UserInput

CORPUS = Path(__file__).parent / "corpus"


def _load_corpus(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _make_context(*values: str, mode: str = "block", path: str = "/t") -> RequestContext:
    """A request context whose query parameters are ``values`` (named p0, p1 …)."""
    return RequestContext(
        method="GET",
        path=path,
        route=path,
        client_ip="203.0.113.7",
        inputs=tuple(UserInput("query", f"p{i}", v) for i, v in enumerate(values)),
        config=ShieldConfig.from_mapping({"mode": mode}),
    )


@pytest.fixture
def load_corpus() -> Callable[[str], dict[str, Any]]:
    """Load one corpus file of tests/shield/corpus by name."""
    return _load_corpus


@pytest.fixture
def make_context() -> Callable[..., RequestContext]:
    """Build a request context whose query parameters are the given values (p0, p1 …)."""
    return _make_context


@pytest.fixture(autouse=True)
def _no_config_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SORYOKU_SHIELD_CONFIG", raising=False)


@pytest.fixture(autouse=True)
def _hooks_removed() -> Iterator[None]:
    """The hooks patch process-wide functions other engines' tests use: never leak them."""
    yield
    uninstall()
    assert installed() == ()


@pytest.fixture
def hooks() -> Iterator[tuple[str, ...]]:
    """Every sink hook installed for the test."""
    yield install()
    uninstall()
