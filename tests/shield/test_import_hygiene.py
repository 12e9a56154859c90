"""The guard's import path stays light: no AWS SDK, web framework, DB driver, pydantic, typer, rich."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = {
    "boto3",
    "botocore",
    "pydantic",
    "typer",
    "rich",
    "sqlalchemy",
    "psycopg",
    "psycopg2",
    "pymysql",
    "flask",
    "django",
    "starlette",
    "fastapi",
    "werkzeug",
    "redis",
    "yaml",
    "sqlglot",
    "moto",
    "duckdb",
}

PROBE = """
import json, sys
{imports}
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))
"""


def _top_level_modules(imports: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(imports=imports)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_guard_pulls_nothing_heavy() -> None:
    loaded = _top_level_modules(
        "import soryoku.shield, soryoku.shield.aws_lambda, soryoku.shield.exporter, soryoku.shield.replay,"
        " soryoku.shield.bots, soryoku.shield.ratelimit, soryoku.shield.crs, soryoku.shield.layer"
    )
    assert loaded & HEAVY == set()


def test_installing_every_hook_pulls_nothing_heavy() -> None:
    loaded = _top_level_modules(
        "import soryoku.shield.auto\nimport soryoku.shield\nassert soryoku.shield.installed()"
    )
    assert loaded & HEAVY == set()


def test_package_root_imports_only_metadata() -> None:
    loaded = _top_level_modules("import soryoku")
    assert "soryoku" in loaded
    assert loaded & (HEAVY | {"asyncio", "sqlite3"}) == set()
