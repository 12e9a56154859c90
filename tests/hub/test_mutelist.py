"""Mutelist parsing (soryoku's format and Prowler's), matching, expiry, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from soryoku.core.errors import ConfigError
from soryoku.core.finding import ResultStatus, WorkflowStatus
from soryoku.hub.mutelist import Mutelist, load_mutelist, parse_mutelist

from .factories import T0, at, posture

FULL = """
version: 1
rules:
  - id: website
    reason: Public website assets, approved in SEC-123
    checks: ["s3_bucket_public_*"]
    resources: ["arn:aws:s3:::www-*"]
    accounts: "123456789012"
    regions: ["eu-*"]
    tags: {env: prod, team: "web*"}
    engines: [posture]
    expires: 2026-11-05
"""


def _one(text: str, finding_args: dict[str, object], at_ms: int = T0) -> WorkflowStatus:
    finding = posture(**finding_args)  # type: ignore[arg-type]
    return parse_mutelist(text).apply([finding], at_ms=at_ms)[0].status_id


WEB = {"check": "s3_bucket_public_acl", "resource": "www-assets", "tags": {"env": "prod", "team": "web-1"}}


def test_every_criterion_must_match() -> None:
    assert _one(FULL, WEB) is WorkflowStatus.SUPPRESSED
    for change in (
        {"check": "s3_bucket_versioning"},
        {"resource": "data-lake"},
        {"region": "us-east-1"},
        {"tags": {"env": "dev", "team": "web-1"}},
        {"tags": {"team": "web-1"}},
    ):
        assert _one(FULL, {**WEB, **change}) is WorkflowStatus.NEW, change


def test_reason_is_recorded_and_nothing_is_removed() -> None:
    findings = [posture(**WEB), posture("other", "b")]  # type: ignore[arg-type]
    out = parse_mutelist(FULL).apply(findings, at_ms=T0)
    assert len(out) == 2
    assert out[1] is findings[1]
    assert findings[0].status_id is WorkflowStatus.NEW  # the input is not changed
    assert out[0].unmapped == {
        "suppression": {
            "reason": "Public website assets, approved in SEC-123",
            "source": "<memory>",
            "rule": "website",
            "expires": "2026-11-05",
        }
    }


def test_expired_rules_do_not_apply() -> None:
    assert _one(FULL, WEB, at_ms=at(4)) is WorkflowStatus.SUPPRESSED  # 2026-11-05, last day
    assert _one(FULL, WEB, at_ms=at(5)) is WorkflowStatus.NEW


def test_labels_count_as_tags_and_pass_results_are_marked_too() -> None:
    text = "rules: [{reason: lab, tags: {env: lab}}]"
    finding = posture("c", "b", ResultStatus.PASS)
    finding.resources[0].labels = ["env=lab"]
    assert parse_mutelist(text).apply([finding])[0].status_id is WorkflowStatus.SUPPRESSED


def test_prowler_shape_is_read_with_regular_expressions() -> None:
    text = """
Mutelist:
  Accounts:
    "*":
      Checks:
        "s3_bucket_public_.*":
          Regions: ["*"]
          Resources: ["^arn:aws:s3:::www-"]
          Tags: ["env=prod"]
          Description: website
    "999999999999":
      Checks:
        "*":
          Regions: ["us-east-1"]
          Resources: ["*"]
"""
    mutelist = parse_mutelist(text)
    assert len(mutelist.rules) == 2
    web = posture("s3_bucket_public_acl", "www-x", tags={"env": "prod"})
    assert mutelist.apply([web])[0].status_id is WorkflowStatus.SUPPRESSED
    assert mutelist.apply([posture("s3_bucket_public_acl", "data")])[0].status_id is WorkflowStatus.NEW
    assert mutelist.rules[0].reason == "website"
    assert mutelist.rules[1].accounts == ("999999999999",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rules: [{checks: [a]}]", r"rules\.0\.reason: Field required"),
        ("rules: [{reason: '  ', checks: [a]}]", r"rules\.0\.reason"),
        ("rules: [{reason: why}]", "at least one of checks"),
        ("rules: [{reason: why, checks: [a], expires: someday}]", r"rules\.0\.expires"),
        ("rules: [{reason: why, check: [a]}]", r"rules\.0\.check: Extra inputs are not permitted"),
        ("version: 2\nrules: []", "version"),
        ("- just a list", "expected a mapping"),
        ("rules: [unclosed", "not valid YAML"),
        ("Mutelist: {Accounts: {'1': {Checks: {c: {Exceptions: {Accounts: ['2']}}}}}}", "Exceptions"),
        ("Mutelist: {Accounts: {'1': {Checks: {'(': {Regions: ['*']}}}}}", "invalid regular expression"),
        ("Mutelist: {Accounts: {'1': {Checks: {c: {Tags: ['novalue']}}}}}", "key=value"),
    ],
)
def test_invalid_mutelists_name_the_problem(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "mute.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=expected) as caught:
        load_mutelist(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match=r"nope\.yaml.*cannot read it \(No such file"):
        load_mutelist(missing)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="cannot read it"):
        load_mutelist(binary)


def test_loaded_file_names_its_source(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(FULL)
    mutelist = load_mutelist(path)
    assert isinstance(mutelist, Mutelist) and mutelist.source == str(path)
    out = mutelist.apply([posture(**WEB)], at_ms=T0)  # type: ignore[arg-type]
    assert out[0].unmapped is not None and out[0].unmapped["suppression"]["source"] == str(path)
