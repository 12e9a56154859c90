"""install()/uninstall(): idempotence, drivers imported after install, config from the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from soryoku.core.errors import ConfigError
from soryoku.shield import Shield, install, installed, uninstall
from soryoku.shield.replay import view_from_record

LATE_IMPORT = """
import sqlite3, sys
import soryoku.shield
from soryoku.shield import ShieldBlockedError, ShieldConfig, request_scope
from soryoku.shield.context import RequestContext, UserInput
soryoku.shield.install()
assert "psycopg" not in sys.modules and "sqlalchemy" not in sys.modules
import psycopg, sqlalchemy
hooked = getattr(psycopg.Cursor.execute, "__wrapped__", None) is not None
# A connection the sqlite3 hook never saw: only SQLAlchemy's event can catch the injection.
raw_connect = sqlite3.connect.__wrapped__
engine = sqlalchemy.create_engine("sqlite://", creator=lambda: raw_connect(":memory:"))
ctx = RequestContext("GET", "/", "/", "198.51.100.1", (UserInput("query", "id", "1 OR 1=1"),),
                     ShieldConfig(mode="block"))
with engine.connect() as conn, request_scope(ctx):
    try:
        conn.exec_driver_sql("SELECT 1 WHERE 1 = 1 OR 1=1")
        listening = False
    except ShieldBlockedError:
        listening = True
soryoku.shield.uninstall()
restored = getattr(psycopg.Cursor.execute, "__wrapped__", None) is None
print(hooked, listening, restored)
"""


def test_install_is_idempotent_and_validates_sinks() -> None:
    assert install(("sql",)) == ("sql",)
    assert install() == ("sql",)
    assert installed() == ("sql",)
    uninstall()
    uninstall()
    assert installed() == ()
    with pytest.raises(ConfigError, match="unknown sinks"):
        install(("sql", "email"))


def test_drivers_imported_after_install_are_hooked_and_unhooked() -> None:
    pytest.importorskip("psycopg")
    pytest.importorskip("sqlalchemy")
    out = subprocess.run(
        [sys.executable, "-c", LATE_IMPORT], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["True", "True", "True"]


def test_config_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "shield.yaml"
    config.write_text("mode: block\n")
    monkeypatch.setenv("SORYOKU_SHIELD_CONFIG", str(config))
    assert Shield().inspect(view_from_record({"path": "/.env"})).blocked is not None
    monkeypatch.setenv("SORYOKU_SHIELD_CONFIG", str(tmp_path / "missing.yaml"))
    with pytest.raises(ConfigError, match=r"missing\.yaml"):
        Shield()


def test_public_api_is_pinned() -> None:
    import soryoku.shield
    import soryoku.shield.aws_lambda

    assert soryoku.shield.__all__ == [
        "RateRule",
        "RequestContext",
        "RequestView",
        "RouteRule",
        "Shield",
        "ShieldBlockedError",
        "ShieldConfig",
        "ShieldEvent",
        "UserInput",
        "current_request",
        "install",
        "installed",
        "protect",
        "request_scope",
        "uninstall",
    ]
    assert all(hasattr(soryoku.shield, name) for name in soryoku.shield.__all__)
    assert callable(soryoku.shield.aws_lambda.protect)


def test_missing_extras_fail_at_start_up_not_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from soryoku.shield import ShieldConfig
    from soryoku.shield.config import BOT_CATEGORIES

    # the package re-exports the function `install`, which hides the module of the same name
    install_module = importlib.import_module("soryoku.shield.install")
    engine_module = importlib.import_module("soryoku.shield.engine")
    monkeypatch.setattr(install_module, "module_available", lambda name: False)
    monkeypatch.setattr(engine_module, "module_available", lambda name: False)
    with pytest.raises(ConfigError, match="sqlglot"):
        install()
    assert installed() == ()
    assert install(("shell",)) == ("shell",)
    uninstall()
    with pytest.raises(ConfigError, match="crawler-user-agents"):
        Shield()
    Shield(ShieldConfig.from_mapping({"bot_actions": dict.fromkeys(BOT_CATEGORIES, "allow")}))
