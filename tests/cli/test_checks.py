"""``soryoku checks list|show`` end to end through ``soryoku.cli.app.main``."""

from __future__ import annotations

import json

import pytest

from soryoku.cli.app import main
from soryoku.core.severity import Severity
from soryoku.posture.registry import CHECKS


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def test_list_json_is_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["checks", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in listed] == [c.id for c in CHECKS]
    s3 = next(c for c in listed if c["id"] == "s3_bucket_public_read_access")
    assert s3["severity"] == "Critical" and s3["frameworks"][0]["requirement"] == "AWS-FSBP/S3.2"


def test_list_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["checks", "list", "--format", "json", "--service", "iam", "--severity", "high"]) == 0
    ids = {c["id"] for c in json.loads(capsys.readouterr().out)}
    expected = {c.id for c in CHECKS if c.service == "iam" and c.severity >= Severity.HIGH}
    assert ids == expected
    assert {"iam_root_access_key_absent", "iam_policy_no_full_admin_privileges"} <= ids
    assert "iam_user_no_policies_attached" not in ids  # low severity
    assert _run(["checks", "list", "--format", "json", "--compliance", "fsbp"]) == 0
    ids = {c["id"] for c in json.loads(capsys.readouterr().out)}
    assert "securityhub_enabled" not in ids and "guardduty_enabled" in ids


def test_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["checks", "list", "--compliance", "cis-3.0"]) == 0
    out = capsys.readouterr().out
    assert "CIS-AWS-3.0/4.16" in out and "securityhub_enabled" in out


def test_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["checks", "show", "ec2_instance_imdsv2_required", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["permissions"] == ["ec2:DescribeInstances"]
    assert {f["requirement"] for f in shown["frameworks"]} == {"AWS-FSBP/EC2.8", "CIS-AWS-3.0/5.6"}
    assert "modify-instance-metadata-options" in shown["remediation_cli"]
    assert _run(["checks", "show", "ec2_instance_imdsv2_required"]) == 0
    text = capsys.readouterr().out
    assert "Risk" in text and "ec2:DescribeInstances" in text and "CIS-AWS-3.0/5.6" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checks", "show", "no_such_check"], "unknown check 'no_such_check'"),
        (["checks", "list", "--compliance", "pci"], "--compliance 'pci'"),
        (["checks", "list", "--format", "xml"], "--format 'xml'"),
        (["checks", "list", "--severity", "urgent"], "severity 'urgent'"),
    ],
)
def test_bad_input_is_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(args) == 2
    assert message in capsys.readouterr().err
