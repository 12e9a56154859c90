"""``soryoku findings list|show|diff|runs`` end to end through ``soryoku.cli.app.main``."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from soryoku.cli.app import main
from soryoku.cli.common import OutputChoice, finish
from soryoku.core.finding import Finding, Resource, ResultStatus, compliance_finding
from soryoku.core.result import ScanResult
from soryoku.core.severity import Severity
from soryoku.hub.store import open_store

DAY_MS = 86_400_000
T0 = 1_793_491_200_000  # 2026-11-01T00:00:00Z


def _finding(
    check: str, bucket: str, status: ResultStatus = ResultStatus.FAIL, sev: Severity = Severity.HIGH
) -> Finding:
    return compliance_finding(
        check_id=check,
        title=f"{check} {bucket}",
        status=status,
        severity=sev,
        resource=Resource(uid=f"arn:aws:s3:::{bucket}", type="AwsS3Bucket", region="eu-west-1"),
        standards=["CIS AWS Foundations"],
        requirements=["CIS 2.1.4"],
        remediation="Turn on S3 Block Public Access.",
        account_id="123456789012",
        time=T0,
    )


def _run(findings: list[Finding], day: int, engine: str = "posture") -> ScanResult:
    return ScanResult(
        engine, "123456789012", findings, started_ms=T0 + day * DAY_MS - 1, finished_ms=T0 + day * DAY_MS
    )


PUBLIC = _finding("s3_bucket_public", "www")
LOGGING = _finding("s3_bucket_logging", "logs", sev=Severity.LOW)
MFA = _finding("iam_user_mfa", "bob", sev=Severity.CRITICAL)
MUTED = _finding("s3_bucket_versioning", "scratch", sev=Severity.MEDIUM)
MUTELIST = "rules:\n  - {reason: scratch bucket, checks: [s3_bucket_versioning]}\n"


@pytest.fixture(autouse=True)
def _registrations_undone(monkeypatch: pytest.MonkeyPatch) -> None:
    """main() adds the command groups to the root app on every call; undo that after each test."""
    from soryoku.cli import app as root

    monkeypatch.setattr(root.app, "registered_groups", list(root.app.registered_groups))


def _invoke(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    raise AssertionError("main() returned without exiting")


@pytest.fixture
def history(tmp_path: Path) -> tuple[str, str]:
    """Two runs in the test's store: day 1 PUBLIC, MFA, LOGGING fail; day 2 MFA fixed, MUTED muted."""
    mutelist = tmp_path / "mute.yaml"
    mutelist.write_text(MUTELIST)
    from soryoku.hub.mutelist import load_mutelist

    with open_store(None) as store:
        first = store.record(_run([PUBLIC, MFA, LOGGING], 1))
        second = store.record(
            _run([PUBLIC, LOGGING, _finding("iam_user_mfa", "bob", ResultStatus.PASS), MUTED], 2),
            mutelist=load_mutelist(mutelist),
        )
    return first.run_id, second.run_id


def _json_uids(text: str) -> list[str]:
    return [f["finding_info"]["uid"] for f in json.loads(text)]


def test_list_by_status(history: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        "open": [PUBLIC.uid, LOGGING.uid],
        "suppressed": [MUTED.uid],
        "resolved": [MFA.uid],
        "all": [MFA.uid, PUBLIC.uid, MUTED.uid, LOGGING.uid],
    }
    for status, expected in cases.items():
        assert _invoke(["findings", "list", "--status", status, "--format", "json-ocsf"]) == 0
        assert _json_uids(capsys.readouterr().out) == expected, status


def test_list_filters_and_fail_on(history: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _invoke(["findings", "list", "-f", "json-ocsf", "--check", "s3_*", "--severity", "medium"]) == 0
    assert _json_uids(capsys.readouterr().out) == [PUBLIC.uid]
    assert _invoke(["findings", "list", "-f", "json-ocsf", "--engine", "detect"]) == 0
    assert _json_uids(capsys.readouterr().out) == []
    assert _invoke(["findings", "list", "-f", "jsonl", "--fail-on", "high"]) == 1
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert _invoke(["findings", "list", "-f", "jsonl", "--fail-on", "critical"]) == 0
    # a suppressed or resolved FAIL never makes the command fail
    assert _invoke(["findings", "list", "-f", "jsonl", "--status", "all", "--fail-on", "critical"]) == 0


def test_list_a_past_run(history: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    first, second = history
    assert _invoke(["findings", "list", "--run", first[:8], "-f", "json-ocsf"]) == 0
    assert _json_uids(capsys.readouterr().out) == [MFA.uid, PUBLIC.uid, LOGGING.uid]
    assert _invoke(["findings", "list", "--run", second, "--status", "suppressed", "-f", "json-ocsf"]) == 0
    assert _json_uids(capsys.readouterr().out) == [MUTED.uid]
    assert _invoke(["findings", "list", "--run", second, "--status", "resolved", "-f", "jsonl"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["status_code"] == "PASS" and json.loads(line)["status_id"] == 4
    assert (
        _invoke(["findings", "list", "--run", first, "--check", "iam_*", "-f", "jsonl", "--fail-on", "high"])
        == 1
    )
    capsys.readouterr()
    assert _invoke(["findings", "list", "--run", "0123abcd"]) == 2
    assert "no such run" in capsys.readouterr().err


def test_list_writes_any_format_to_a_file(
    history: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "open.csv"
    assert _invoke(["findings", "list", "--output", str(out), "--status", "suppressed"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["finding_uid"] for r in rows if r["row_kind"] == "finding"] == [MUTED.uid]
    assert rows[0]["suppression_reason"] == "scratch bucket"
    for fmt in ("table", "sarif", "json-asff", "html"):
        assert _invoke(["findings", "list", "-f", fmt, "-q"]) == 0, fmt
        assert "s3_bucket_public" in capsys.readouterr().out, fmt


def test_list_rejects_bad_options(history: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _invoke(["findings", "list", "-f", "yaml"]) == 2
    assert "--format 'yaml'" in capsys.readouterr().err
    # a bad choice is refused before any work (its exit code is the root app's usage-error mapping)
    assert _invoke(["findings", "list", "--status", "closed"]) != 0
    assert "'closed' is not one of 'open', 'resolved', 'suppressed', 'all'" in capsys.readouterr().err
    assert _invoke(["findings", "list", "--severity", "huge"]) == 2


def test_show(history: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _invoke(["findings", "show", MUTED.uid[:16]]) == 0
    text = capsys.readouterr().out
    assert MUTED.uid in text
    assert "Suppressed" in text and "scratch bucket" in text
    assert "CIS 2.1.4" in text and "Turn on S3 Block Public Access." in text
    assert _invoke(["findings", "show", MFA.uid]) == 0
    assert "resolved     2026-11-03" in capsys.readouterr().out
    assert _invoke(["findings", "show", MFA.uid, "-f", "json-ocsf"]) == 0
    [shown] = json.loads(capsys.readouterr().out)
    assert shown["status_id"] == 4 and shown["finding_info"]["first_seen_time"] == T0 + DAY_MS
    assert _invoke(["findings", "show", "soryoku-nothing"]) == 2
    assert "error: finding 'soryoku-nothing': no such finding" in capsys.readouterr().err


def test_diff_defaults_to_the_last_two_runs(
    history: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = history
    assert _invoke(["findings", "diff"]) == 0
    text = capsys.readouterr().out
    assert f"from {first[:12]}" in text and f"to   {second[:12]}" in text
    assert "0 new, 1 resolved, 2 still open" in text
    assert MFA.uid in text
    assert _invoke(["findings", "diff", second]) == 0
    assert "0 new, 1 resolved" in capsys.readouterr().out
    # backwards, MFA is new: --fail-on looks at new FAILs only
    assert _invoke(["findings", "diff", second, first, "--fail-on", "critical"]) == 1
    assert "1 new, 0 resolved, 2 still open" in capsys.readouterr().out
    assert _invoke(["findings", "diff", first, second, "-f", "json-ocsf"]) == 0
    assert _json_uids(capsys.readouterr().out) == [MFA.uid]


def test_diff_needs_two_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert _invoke(["findings", "diff"]) == 2
    assert "no runs" in capsys.readouterr().err
    with open_store(None) as store:
        only = store.record(_run([PUBLIC], 1)).run_id
    assert _invoke(["findings", "diff"]) == 2
    assert f"run {only[:12]}" in capsys.readouterr().err
    assert _invoke(["findings", "diff", "abcdef", only]) == 2
    assert "no such run" in capsys.readouterr().err


def test_runs(history: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    first, second = history
    assert _invoke(["findings", "runs", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["run_id"] for r in rows] == [second, first]
    assert (rows[0]["new"], rows[0]["resolved"], rows[0]["suppressed"]) == (0, 1, 1)
    assert _invoke(["findings", "runs"]) == 0
    table = capsys.readouterr().out
    assert second[:12] in table and "123456789012" in table


def test_corrupt_store_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    assert _invoke(["findings", "list", "--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"error: findings store '{bad}': cannot be opened (file is not a database)"


def test_engine_commands_record_runs_through_finish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What every engine's command ends with: finish() stores the run, applies the mutelist."""
    mutelist = tmp_path / "mute.yaml"
    mutelist.write_text(MUTELIST)
    choice = OutputChoice(fmt="jsonl", output=None, min_severity=Severity.UNKNOWN, fail_on=None, quiet=True)
    code = finish([_run([PUBLIC, MUTED], 1)], choice, db=os.environ["SORYOKU_DB"], mutelist=mutelist)
    assert code == 0
    statuses = {
        json.loads(line)["finding_info"]["uid"]: json.loads(line)["status_id"]
        for line in capsys.readouterr().out.splitlines()
    }
    assert statuses == {PUBLIC.uid: 1, MUTED.uid: 3}
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [{checks: [x]}]")
    assert _invoke(["findings", "list", "--db", os.environ["SORYOKU_DB"], "-f", "jsonl"]) == 0
    capsys.readouterr()
    from soryoku.core.errors import ConfigError

    with pytest.raises(ConfigError, match="reason"):
        finish([_run([PUBLIC], 2)], choice, db=None, mutelist=bad)
