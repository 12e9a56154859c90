"""Meta-test of the cataloger registry: metadata, known ecosystems, and the docs table."""

from __future__ import annotations

from pathlib import Path

from soryoku.vuln.catalogers.base import CATALOGERS
from soryoku.vuln.ecosystems import ECOSYSTEMS

DOCS = Path(__file__).resolve().parents[3] / "docs" / "vuln.md"


def test_every_cataloger_has_metadata_and_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert len(CATALOGERS) >= 15
    for item in CATALOGERS:
        assert item.title and (item.ecosystem in ECOSYSTEMS or item.ecosystem == "any"), item.id
        assert f"| `{item.id}` |" in docs, f"{item.id} is missing from docs/vuln.md"


def test_wanted_paths() -> None:
    wanted = {
        "var/lib/dpkg/status": {"dpkg"},
        "var/lib/dpkg/status.d/base": {"dpkg"},
        "lib/apk/db/installed": {"apk"},
        "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA": {"python-installed"},
        "srv/app/requirements-dev.txt": {"python-requirements"},
        "app/package-lock.json": {"npm-lock"},
        "app/node_modules/.package-lock.json": set(),
        "app/node_modules/qs/package.json": {"node-installed"},
        "app/node_modules/@babel/core/package.json": {"node-installed"},
        "app/node_modules/qs/lib/package.json": set(),
        "app/package.json": set(),
        "app/pnpm-lock.yaml": {"pnpm-lock"},
        "bin/App.deps.json": {"dotnet-deps"},
        "src/packages.lock.json": {"nuget-lock"},
        "src/go.mod": {"go-mod"},
        "README.md": set(),
    }
    for path, ids in wanted.items():
        assert {c.id for c in CATALOGERS if c.wants(path)} == ids, path
