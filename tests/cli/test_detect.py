"""``soryoku detect`` end to end: a log folder and an S3 prefix in, OCSF findings and exit codes out."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from soryoku.cli.app import main
from soryoku.cli.detect import parse_moment
from soryoku.core.errors import InputError
from soryoku.detect.simulate import build_dataset, write_context
from soryoku.detect.simulate.scenarios import SCENARIOS

STORY = tuple(s for s in SCENARIOS if s.name in ("leaked_keys_story", "instance_credential_theft"))


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("cli-logs")
    build_dataset(datetime(2024, 5, 1), 3, STORY, (), hours_per_file=24).save(root / "logs")
    return root / "logs", write_context(root / "context")


def _context_args(context: dict[str, Path]) -> list[str]:
    return [
        "--intel", str(context["threats"]), "--intel", str(context["tor"]),
        "--ip-ranges", str(context["ip_ranges"]), "--environment", str(context["environment"]),
        "--asn-db", str(context["asn_db"]),
    ]  # fmt: skip


def test_detect_folder_to_ocsf_with_fail_on(logs: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    folder, context = logs
    out = tmp_path / "findings.json"
    args = ["detect", str(folder), *_context_args(context), "--store", str(tmp_path / "store"), "--quiet"]
    code = _run([*args, "--format", "json-ocsf", "--output", str(out), "--fail-on", "high"])
    assert code == 1
    findings = json.loads(out.read_text())
    rules = {f["finding_info"]["analytic"]["uid"] for f in findings}
    assert {
        "cloudtrail_logging_stopped",
        "iam_instance_credentials_used_outside_aws",
        "dns_mining_pool_query",
    } <= rules
    stopped = next(
        f for f in findings if f["finding_info"]["analytic"]["uid"] == "cloudtrail_logging_stopped"
    )
    assert stopped["evidences"][0]["data"]["event_id"]
    assert stopped["finding_info"]["attacks"][0]["technique"]["uid"] == "T1562.008"
    assert (tmp_path / "store" / "state.json").exists()
    again = _run(
        [*args, "--format", "jsonl", "--output", str(tmp_path / "again.jsonl"), "--since", "2024-05-03"]
    )
    assert again == 0
    lines = (tmp_path / "again.jsonl").read_text().splitlines()
    assert {json.loads(line)["finding_info"]["uid"] for line in lines} <= {
        f["finding_info"]["uid"] for f in findings
    }


def test_missing_context_makes_the_run_incomplete(logs: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    folder, _ = logs
    code = _run(["detect", str(folder), "--store", str(tmp_path / "s"), "--quiet", "-f", "csv",
                 "-o", str(tmp_path / "out.csv"), "--no-store"])  # fmt: skip
    assert code == 3
    code = _run(["detect", str(folder), "--store", str(tmp_path / "s2"), "--quiet", "-f", "csv",
                 "-o", str(tmp_path / "out2.csv"), "--rules", "cloudtrail_logging_stopped"])  # fmt: skip
    assert code == 0
    assert "cloudtrail_logging_stopped" in (tmp_path / "out2.csv").read_text()


def test_bad_input_exits_2_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["detect", str(tmp_path), "--rules", "no_such_rule", "--store", str(tmp_path / "s")]) == 2
    assert "no_such_rule" in capsys.readouterr().err
    assert _run(["detect", str(tmp_path / "missing"), "--store", str(tmp_path / "s"), "-f", "jsonl"]) == 2
    assert _run(["detect", str(tmp_path), "--since", "yesterday-ish", "--store", str(tmp_path / "s")]) == 2
    assert (
        _run(["detect", str(tmp_path), "--intel", str(tmp_path / "none.txt"), "--store", str(tmp_path)]) == 2
    )
    assert not (tmp_path / "s").exists()


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["detect", "--list-rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 50 and any(
        line.startswith("cloudtrail_logging_stopped\tHigh\tT1562.008") for line in lines
    )


def test_parse_moment() -> None:
    now = datetime(2024, 5, 10, 12, 0)
    assert parse_moment("7d", "--since", now) == datetime(2024, 5, 3, 12, 0)
    assert parse_moment("2024-05-01T10:00:00+02:00", "--since") == datetime(2024, 5, 1, 8, 0)
    with pytest.raises(InputError, match="--until"):
        parse_moment("soon", "--until")
    # whole seconds, as the rules' SQL window compares: the run's coverage bounds the same moments
    assert parse_moment("1h", "--until", datetime(2024, 5, 10, 12, 0, 0, 750_000)) == datetime(
        2024, 5, 10, 11
    )
    assert parse_moment("2024-05-01T10:00:00.9Z", "--until") == datetime(2024, 5, 1, 10, 0)


def test_a_run_covers_exactly_the_rules_it_ran() -> None:
    from soryoku.cli.detect import run_coverage
    from soryoku.detect.database import DetectContext
    from soryoku.detect.rules import RULES

    RULES.load()
    chosen = list(RULES)
    coverage = run_coverage(DetectContext(), chosen)
    # even a default run lists its rules: Sigma findings of an earlier --sigma run stay open
    assert coverage is not None and coverage.checks is not None
    assert set(coverage.checks) == {r.id for r in chosen}
    assert not coverage.covers("sigma_some_rule", "us-east-1")


@pytest.mark.moto
def test_detect_s3_prefix(aws: str, logs: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    import boto3

    folder, context = logs
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="org-trail")
    for path in folder.rglob("*.gz"):
        if "/CloudTrail/" in path.as_posix():
            s3.put_object(
                Bucket="org-trail", Key=f"logs/{path.relative_to(folder).as_posix()}", Body=path.read_bytes()
            )
    out = tmp_path / "s3.json"
    wanted = "cloudtrail_logging_stopped,discovery_access_denied_burst"
    code = _run(["detect", "s3://org-trail/logs", *_context_args(context), "--store", str(tmp_path / "store"),
                 "--quiet", "-o", str(out), "--rules", wanted])  # fmt: skip
    assert code == 0
    assert {f["finding_info"]["analytic"]["uid"] for f in json.loads(out.read_text())} == {
        "cloudtrail_logging_stopped",
        "discovery_access_denied_burst",
    }


def test_a_windowed_run_resolves_only_findings_inside_its_window(tmp_path: Path) -> None:
    from soryoku.detect.simulate.dataset import Logs, ops_admin
    from soryoku.detect.simulate.events import ct
    from soryoku.detect.simulate.layout import save
    from soryoku.hub.store import open_store

    def stopped(day: int) -> dict[str, object]:
        return ct(ops_admin, "cloudtrail", "StopLogging", datetime(2024, 5, day, 10), params={"name": "t"})

    logs, db = tmp_path / "logs", str(tmp_path / "findings.db")
    save(Logs(cloudtrail=[stopped(1), stopped(3)]).render(), logs)
    base = ["detect", str(logs), "--rules", "cloudtrail_logging_stopped", "--db", db, "--quiet"]
    assert _run([*base, "--store", str(tmp_path / "s1")]) == 0
    with open_store(db) as store:
        opened = {f.start_time: f.uid for f in store.current_findings()}
    assert len(opened) == 2
    may1, may3 = sorted(opened)
    # The 3 May activity is gone (its file removed, a fresh store): a run from 2 May on resolves it, and
    # leaves the 1 May finding, which it did not look at, open.
    for path in logs.rglob("*"):
        if path.is_file() and "/2024/05/03/" in path.as_posix():
            path.unlink()
    assert _run([*base, "--store", str(tmp_path / "s2"), "--since", "2024-05-02"]) == 0
    with open_store(db) as store:
        status = {f.uid: f.status_id.name for f in store.current_findings(include_resolved=True)}
        latest = store.runs()[0]  # newest first
    assert status[opened[may1]] != "RESOLVED" and status[opened[may3]] == "RESOLVED"
    assert latest.coverage is not None and latest.coverage.since_ms == 1714608000000
