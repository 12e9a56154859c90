"""Fixtures of the vuln tests: an isolated advisory database, one built from the shared data, and a
local Docker registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.vuln.local_registry import NOT_INSTALLED, LocalRegistry, running_registry

from soryoku.vuln.advisories.loaders import read_path
from soryoku.vuln.advisories.store import AdvisoryDB, create_db

SHARED_VULNDB = Path(__file__).resolve().parents[3] / "shared" / "vulndb"


@pytest.fixture(autouse=True)
def _isolated_vuln_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own advisory database path unless it chooses one."""
    monkeypatch.setenv("SORYOKU_VULN_DB", str(tmp_path / "vuln-test.db"))


@pytest.fixture(scope="session")
def shared_vulndb() -> Path:
    """``../shared/vulndb`` (real advisory data), or skip with the reason when it is absent."""
    if not SHARED_VULNDB.is_dir():
        pytest.skip(f"shared advisory data not found at {SHARED_VULNDB}")
    return SHARED_VULNDB


@pytest.fixture(scope="session")
def real_db(shared_vulndb: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdvisoryDB]:
    """An advisory database of ``../shared/vulndb``: PyPA, Go, RustSec, KEV, Debian DSA/DLA, Alpine."""
    db = create_db(tmp_path_factory.mktemp("vulndb") / "real.db")
    for name in ("pypa", "golang", "rustsec", "kev", "debian-security-tracker", "alpine-secdb"):
        db.import_items(read_path(shared_vulndb / name), name)
    yield db
    db.close()


@pytest.fixture(scope="session")
def local_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRegistry]:
    """A docker-registry on 127.0.0.1 (random port) for the session, or skip when not installed."""
    with running_registry(tmp_path_factory.mktemp("registry")) as registry:
        if registry is None:
            pytest.skip(NOT_INSTALLED)
        yield registry
