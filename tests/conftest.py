"""Shared fixtures: one moto server per test session, reached only through AWS_ENDPOINT_URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 (random port) for the whole session; yields its URL."""
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A clean moto account for one test: AWS_* variables point at the server, state is reset."""
    import urllib.request

    urllib.request.urlopen(
        urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=30
    ).read()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    # moto answers an API it lacks with HTTP 500; don't let botocore back off for a minute on it
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    yield moto_server


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the project, or skip with the reason when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared test data not found at {SHARED}")
    return SHARED


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own findings store unless it chooses one."""
    monkeypatch.setenv("SORYOKU_DB", str(tmp_path / "soryoku-test.db"))
