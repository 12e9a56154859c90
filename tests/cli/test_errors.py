"""Bad input: one clear line naming the input, exit code 2, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from soryoku.cli.app import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    return int(done.value.code or 0), capsys.readouterr().err


def test_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["findings", "list", "--format", "yaml"], capsys)
    assert code == 2
    assert err.strip().splitlines() == [err.strip()]
    assert "--format 'yaml': expected one of" in err
    assert "json-ocsf" in err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["frobnicate"], capsys)
    assert code == 2
    assert "No such command" in err


def test_bad_severity(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["findings", "list", "--severity", "urgent"], capsys)
    assert code == 2
    assert "severity 'urgent'" in err


def test_unreadable_mutelist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    code, err = _run(
        [
            "posture",
            "--no-store",
            "--mutelist",
            str(missing),
            "--format",
            "json-ocsf",
            "--region",
            "us-east-1",
        ],
        capsys,
    )
    assert code == 2
    assert str(missing) in err


def test_corrupt_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "broken.db"
    db.write_bytes(b"this is not a database at all" * 100)
    code, err = _run(["findings", "list", "--db", str(db)], capsys)
    assert code == 2
    assert str(db) in err
    assert db.read_bytes().startswith(b"this is not")  # never overwritten


def test_output_directory_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no-such-dir" / "report.html"
    code, err = _run(["findings", "list", "--output", str(target)], capsys)
    assert code == 2
    assert "does not exist" in err
    assert not target.parent.exists()


def test_no_credentials_points_to_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    code, err = _run(["scan", "--no-store", "--format", "json-ocsf"], capsys)
    assert code == 2
    assert "credentials" in err.lower()
    assert "--demo" in err


def test_verbose_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["findings", "list", "--format", "yaml", "--verbose"], capsys)
    assert code == 2
    assert "Traceback" in err
