"""``soryoku detect lookup://…``: LookupEvents as a log location; moto lacks the API, so a gap (exit 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from soryoku.cli.app import main


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def test_a_bad_region_list_exits_2_before_any_call(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["detect", "lookup://europe", "--store", str(tmp_path / "s"), "--quiet"]) == 2
    assert "not an AWS region name" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


@pytest.mark.moto
def test_lookup_against_moto_is_incomplete_not_clean(aws: str, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code = _run(["detect", "lookup://us-east-1", "--store", str(tmp_path / "s"), "--quiet", "--no-store",
                 "--rules", "iam_user_created", "-f", "json-ocsf", "-o", str(out)])  # fmt: skip
    assert code == 3
    records = json.loads(out.read_text())
    assert "LookupEvents cannot be read in us-east-1" in json.dumps(records)
    assert all(r.get("severity_id") == 0 for r in records), "only the not-evaluated record, no finding"
