"""Organization scans account by account: checkpoints, --resume after a kill, per-account isolation."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError

from soryoku.cli.app import main
from soryoku.core.errors import InputError
from soryoku.posture import checkpoint as checkpoint_module
from soryoku.posture.checkpoint import AccountDone, scan_accounts
from soryoku.posture.engine import PostureOptions, scan_account

CHECK = "iam_password_policy_minimum_length_14"
MANAGEMENT = "123456789012"


def _organization(members: int = 3) -> list[str]:
    org = boto3.client("organizations")
    org.create_organization(FeatureSet="ALL")
    return [
        org.create_account(AccountName=f"m{i}", Email=f"m{i}@example.com")["CreateAccountStatus"]["AccountId"]
        for i in range(members)
    ]


def _options() -> PostureOptions:
    return PostureOptions(org=True, checks=(CHECK,), max_workers=2)


def test_full_scan_checkpoints_every_account(aws: str, tmp_path: Path) -> None:
    members = _organization()
    path = tmp_path / "cp.jsonl"
    seen: list[AccountDone] = []
    results = scan_accounts(_options(), checkpoint=path, account_workers=2, on_account=seen.append)
    scopes = sorted(f"aws:{a}" for a in [MANAGEMENT, *members])
    assert [r.scope for r in results] == scopes
    assert all(len(r.findings) == 1 and not r.gaps for r in results)
    lines = path.read_text().splitlines()
    assert json.loads(lines[0])["kind"] == "header"
    assert sorted(json.loads(line)["scope"] for line in lines[1:]) == scopes
    assert [d.done for d in seen] == [1, 2, 3, 4] and {d.total for d in seen} == {4}


def test_killed_scan_resumes_where_it_stopped(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = _organization()
    path = tmp_path / "cp.jsonl"
    scanned: list[str] = []

    def dies_on_third(target, checks, options, now):  # type: ignore[no-untyped-def]
        if len(scanned) == 2:
            raise KeyboardInterrupt  # what a Ctrl-C / kill does to the scan mid-Organization
        scanned.append(target.account_id)
        return scan_account(target, checks, options, now)

    monkeypatch.setattr(checkpoint_module, "scan_account", dies_on_third)
    with pytest.raises(KeyboardInterrupt):
        scan_accounts(_options(), checkpoint=path, account_workers=1)
    assert len(path.read_text().splitlines()) == 1 + 2
    first_two = list(scanned)

    scanned.clear()

    def records(target, checks, options, now):  # type: ignore[no-untyped-def]
        scanned.append(target.account_id)
        return scan_account(target, checks, options, now)

    monkeypatch.setattr(checkpoint_module, "scan_account", records)
    resumed: list[AccountDone] = []
    results = scan_accounts(
        _options(), checkpoint=path, resume=True, account_workers=2, on_account=resumed.append
    )
    everyone = {MANAGEMENT, *members}
    assert set(scanned) == everyone - set(first_two)  # only the missing accounts were scanned
    assert sorted(r.scope for r in results) == sorted(f"aws:{a}" for a in everyone)
    assert sum(d.resumed for d in resumed) == 2
    assert all(len(r.findings) == 1 for r in results)
    # the checkpoint is now complete: resuming again scans nothing
    scanned.clear()
    again = scan_accounts(_options(), checkpoint=path, resume=True)
    assert scanned == [] and [f.uid for r in again for f in r.findings] == [
        f.uid for r in results for f in r.findings
    ]


def test_a_line_cut_short_by_a_kill_is_scanned_again(aws: str, tmp_path: Path) -> None:
    _organization(members=1)
    path = tmp_path / "cp.jsonl"
    scan_accounts(_options(), checkpoint=path)
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines[:-1], lines[-1][: len(lines[-1]) // 2]]) + "\n")
    results = scan_accounts(_options(), checkpoint=path, resume=True)
    assert len(results) == 2 and all(r.findings for r in results)


def test_resume_refuses_a_checkpoint_of_another_scan(aws: str, tmp_path: Path) -> None:
    _organization(members=1)
    path = tmp_path / "cp.jsonl"
    scan_accounts(_options(), checkpoint=path)
    other = PostureOptions(org=True, checks=("iam_password_policy_reuse_24",))
    with pytest.raises(InputError, match="other checks"):
        scan_accounts(other, checkpoint=path, resume=True)
    with pytest.raises(InputError, match="does not exist"):
        scan_accounts(_options(), checkpoint=tmp_path / "missing.jsonl", resume=True)


def test_one_account_failing_does_not_stop_the_others(
    aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = _organization(members=2)
    broken = members[0]

    def flaky(target, checks, options, now):  # type: ignore[no-untyped-def]
        if target.account_id == broken:
            raise EndpointConnectionError(endpoint_url="https://sts.example")
        return scan_account(target, checks, options, now)

    monkeypatch.setattr(checkpoint_module, "scan_account", flaky)
    path = tmp_path / "cp.jsonl"
    results = {r.scope: r for r in scan_accounts(_options(), checkpoint=path, account_workers=3)}
    assert len(results) == 3
    failed = results[f"aws:{broken}"]
    assert failed.gaps and not failed.findings and "sts.example" in failed.gaps[0].reason
    assert all(r.findings for scope, r in results.items() if scope != f"aws:{broken}")
    # the failed account is not checkpointed, so --resume tries it again
    assert f"aws:{broken}" not in path.read_text()


def test_cli_org_scan_with_checkpoint_and_resume(
    aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _organization(members=1)
    path = tmp_path / "cp.jsonl"
    base = ["posture", "--org", "--checks", CHECK, "-f", "json-ocsf", "-q", "--checkpoint", str(path)]
    for extra in ([], ["--resume"]):
        with pytest.raises(SystemExit) as done:
            main([*base, *extra])
        assert done.value.code == 0
        findings = json.loads(capsys.readouterr().out)
        assert len({f["cloud"]["account"]["uid"] for f in findings}) == 2
    assert len(path.read_text().splitlines()) == 3


def test_terminal_progress_advances_per_account(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    from soryoku.cli.posture_resume import scan_with_progress

    members = _organization(members=2)
    results = scan_with_progress(
        _options(), checkpoint=None, resume=False, account_workers=2, show_progress=True
    )
    assert len(results) == 3
    shown = capsys.readouterr().err
    assert "3/3" in shown and any(member in shown or MANAGEMENT in shown for member in members)
