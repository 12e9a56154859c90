"""Pin the hub's public API (others call it) and its import boundaries."""

from __future__ import annotations

import inspect
import subprocess
import sys

from soryoku.hub import lifecycle, mutelist, runs, store


def test_hub_exports() -> None:
    assert sorted(store.__all__) == ["DB_ENV", "Store", "default_db_path", "open_store"]
    assert sorted(mutelist.__all__) == sorted(
        [
            "SUPPRESSION_KEY",
            "MuteRule",
            "Mutelist",
            "MutelistFile",
            "load_mutelist",
            "parse_mutelist",
            "resource_tags",
        ]
    )
    assert sorted(runs.__all__) == ["RunDiff", "RunInfo", "RunSummary"]
    assert "apply_lifecycle" in lifecycle.__all__


def test_store_signatures_used_by_other_layers() -> None:
    assert str(inspect.signature(store.Store.record)) == (
        "(self, result: 'ScanResult', *, mutelist: 'Mutelist | None' = None) -> 'RunSummary'"
    )
    params = inspect.signature(store.Store.current_findings).parameters
    assert {"engine", "include_resolved", "include_passed"} <= set(params)
    assert all(params[name].kind is inspect.Parameter.KEYWORD_ONLY for name in ("engine", "include_resolved"))
    for name in ("runs", "run_findings", "get", "diff"):
        assert callable(getattr(store.Store, name))


def test_importing_the_hub_touches_no_database_and_no_cli() -> None:
    code = (
        "import sys, soryoku.hub.store, soryoku.hub.mutelist; "
        "prefixes = ('soryoku.cli', 'soryoku.output', 'psycopg', 'boto3'); "
        "print(sorted(m for m in sys.modules if m.startswith(prefixes)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
