"""Custom rules: the YAML form (validation, conditions, compilation, --rules-dir) and entry-point plugins."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from soryoku.cli.app import main
from soryoku.core.errors import ConfigError
from soryoku.core.finding import ResultStatus
from soryoku.inventory.ec2 import IngressRule, SecurityGroup
from soryoku.inventory.s3 import AclGrant, PublicAccessBlock, S3Bucket
from soryoku.posture import custom_rules
from soryoku.posture.custom_rules import RulesFile, holds, load_rules_dirs, render_message, resolve
from soryoku.posture.engine import PostureOptions, run_posture
from soryoku.posture.permissions import document_actions, policy_documents
from soryoku.posture.registry import CHECKS
from soryoku.posture.results import CheckContext
from soryoku.posture.selection import CheckFilter, select_checks

BUCKET = S3Bucket(
    name="corp-logs",
    arn="arn:aws:s3:::corp-logs",
    region="us-east-1",
    acl_grants=(AclGrant("abc", "FULL_CONTROL"), AclGrant("http://x/AllUsers", "READ")),
    policy={"Statement": [{"Effect": "Allow"}]},
    public_access_block=PublicAccessBlock(block_public_acls=True),
)

RULE = """
rules:
  - id: corp_s3_bucket_block_public_acls
    title: Buckets block public ACLs at the bucket level
    severity: High
    resource_type: S3Bucket
    fail_if:
      any:
        - {field: public_access_block, exists: false}
        - {field: public_access_block.block_public_acls, eq: false}
    message: "bucket {name} does not block public ACLs"
    rationale: Our standard requires every bucket to block public ACLs on its own, whatever the account says.
    remediation: Turn on BlockPublicAcls in the bucket's Block Public Access settings.
    remediation_cli: >-
      aws s3api put-public-access-block --bucket NAME
      --public-access-block-configuration BlockPublicAcls=true
    frameworks: [corp-std:S3-4]
"""


@pytest.fixture(autouse=True)
def _forget_custom_checks() -> Iterator[None]:
    yield
    for item in list(CHECKS):
        if item.module == custom_rules.__name__:
            CHECKS.remove(item.id)


def _rules_dir(tmp_path: Path, text: str, name: str = "corp.yaml") -> Path:
    directory = tmp_path / "rules"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def _condition(raw: dict[str, Any]) -> Any:
    spec = {
        "id": "t_rule",
        "title": "a test rule title",
        "severity": "low",
        "resource_type": "S3Bucket",
        "fail_if": raw,
        "message": "failed",
        "rationale": "a rationale long enough to pass",
        "remediation": "a remediation long enough to pass",
    }
    return RulesFile.model_validate({"rules": [spec]}).rules[0].fail_if


# -- conditions (pure) --


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"field": "name", "eq": "corp-logs"}, True),
        ({"field": "name", "ne": "corp-logs"}, False),
        ({"field": "name", "in": ["a", "corp-logs"]}, True),
        ({"field": "name", "regex": "^corp-"}, True),
        ({"field": "name", "regex": "^prod-"}, False),
        ({"field": "name", "contains": "logs"}, True),
        ({"field": "acl_grants.permission", "contains": "READ"}, True),
        ({"field": "acl_grants.permission", "contains": "WRITE"}, False),
        ({"field": "acl_grants.0.grantee", "eq": "abc"}, True),
        ({"field": "policy.Statement.Effect", "contains": "Allow"}, True),
        ({"field": "owner_id", "exists": False}, True),
        ({"field": "public_access_block.block_public_acls", "eq": True}, True),
        ({"field": "public_access_block.all_enabled", "eq": False}, True),
        ({"field": "acl_grants", "exists": True}, True),
        ({"field": "no.such.path", "ne": 3}, True),
        ({"field": "no.such.path", "eq": 3}, False),
        ({"not": {"field": "name", "eq": "corp-logs"}}, False),
        ({"all": [{"field": "name", "regex": "logs$"}, {"field": "region", "eq": "us-east-1"}]}, True),
        ({"any": [{"field": "name", "eq": "x"}, {"field": "region", "eq": "eu-west-1"}]}, False),
    ],
)
def test_conditions_over_an_s3_bucket(condition: dict[str, Any], expected: bool) -> None:
    assert holds(_condition(condition), BUCKET) is expected


def test_numeric_comparisons_over_security_group_rules() -> None:
    group = SecurityGroup(
        group_id="sg-1",
        name="web",
        arn="arn:aws:ec2:us-east-1:1:security-group/sg-1",
        region="us-east-1",
        vpc_id="vpc-1",
        ingress=(IngressRule(protocol="tcp", from_port=22, to_port=22, ipv4_ranges=("0.0.0.0/0",)),),
    )
    assert resolve(group, "ingress.from_port") == (22,)
    assert holds(_condition({"field": "ingress.0.from_port", "lt": 1024}), group)
    assert not holds(_condition({"field": "ingress.0.from_port", "gt": 1024}), group)
    assert not holds(_condition({"field": "name", "gt": 1}), group)  # a string is never a number


def test_messages_fill_in_resource_fields() -> None:
    assert render_message("bucket {name} in {region} ({missing})", BUCKET) == (
        "bucket corp-logs in us-east-1 ({missing})"
    )


# -- validation: a bad file names the file and the field --


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("severity: High", "severity: urgent"), "field rules.0.severity"),
        (("resource_type: S3Bucket", "resource_type: S3Bukket"), "resource_type 'S3Bukket'"),
        (
            ("field: public_access_block.block_public_acls", "field: public_access.block"),
            "field 'public_access.block'",
        ),
        (("eq: false}", "eq: false, regex: x}"), "exactly one of"),
        (
            ("    fail_if:", "    pass_if: {field: name, eq: a}\n    fail_if:"),
            "exactly one of fail_if or pass_if",
        ),
        (
            ("id: corp_s3_bucket_block_public_acls", "id: s3_bucket_public_read_access"),
            "id of a built-in check",
        ),
        (("title: Buckets", "titel: Buckets"), "rules.0.titel"),
    ],
)
def test_bad_rules_are_config_errors_naming_file_and_field(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    directory = _rules_dir(tmp_path, RULE.replace(*edit))
    with pytest.raises(ConfigError) as error:
        load_rules_dirs([directory])
    assert str(directory / "corp.yaml") in str(error.value)
    assert expected in str(error.value)


def test_ambiguous_types_need_a_collector(tmp_path: Path) -> None:
    text = """
    rules:
      - id: corp_bpa
        title: Block public access state is on
        severity: low
        resource_type: BlockPublicAccessState
        pass_if: {field: name, exists: true}
        message: "state is off"
        rationale: a rationale long enough to pass
        remediation: a remediation long enough to pass
    """
    with pytest.raises(ConfigError, match="name one with collector"):
        load_rules_dirs([_rules_dir(tmp_path, text)])
    fixed = text.replace(
        "resource_type: BlockPublicAccessState",
        "resource_type: BlockPublicAccessState\n        collector: ec2.image_block_public_access",
    )
    (loaded,) = load_rules_dirs([_rules_dir(tmp_path, fixed)])
    assert loaded.collectors == ("ec2.image_block_public_access",)


def test_not_a_directory_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a directory"):
        load_rules_dirs([tmp_path / "absent"])
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_rules_dirs([_rules_dir(tmp_path, "rules: [\n")])


# -- compiled rules are ordinary checks --


def test_a_compiled_rule_is_selected_evaluated_and_counted_in_the_policy(tmp_path: Path) -> None:
    (item,) = load_rules_dirs([_rules_dir(tmp_path, RULE)])
    assert item.id in CHECKS and item.service == "s3" and item.title.startswith("Buckets block")
    assert [c.id for c in select_checks(CheckFilter(checks=(item.id,)))] == [item.id]
    assert "s3:GetBucketPublicAccessBlock" in document_actions(policy_documents([item]))
    ctx = CheckContext(account_id="123456789012", region="us-east-1")
    (passing,) = item.run(BUCKET, ctx)
    assert passing.status is ResultStatus.PASS
    bare = S3Bucket(name="open", arn="arn:aws:s3:::open", region="us-east-1")
    (failing,) = item.run(bare, ctx)
    assert failing.status is ResultStatus.FAIL
    assert failing.message == "bucket open does not block public ACLs"
    assert failing.evidence["frameworks"] == ["corp-std:S3-4"]
    # loading again (a second scan in one process) replaces, never duplicates
    load_rules_dirs([_rules_dir(tmp_path, RULE)])
    assert sum(c.id == item.id for c in CHECKS) == 1


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def test_rules_dir_on_soryoku_posture_against_moto(
    aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="corp-open")
    s3.create_bucket(Bucket="corp-closed")
    s3.put_public_access_block(
        Bucket="corp-closed",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    directory = _rules_dir(tmp_path, RULE)
    code = _run(
        [
            "posture",
            "--rules-dir",
            str(directory),
            "--checks",
            "corp_s3_bucket_block_public_acls",
            "-f",
            "json-ocsf",
            "--no-store",
        ]
    )
    assert code == 0, capsys.readouterr().err
    findings = json.loads(capsys.readouterr().out)
    findings = findings if isinstance(findings, list) else findings["findings"]
    verdicts = {f["resources"][0]["name"]: f["status_code"] for f in findings}
    assert verdicts == {"corp-open": "FAIL", "corp-closed": "PASS"}


def test_rules_dir_on_permissions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = _rules_dir(tmp_path, RULE)
    assert (
        _run(
            [
                "posture",
                "permissions",
                "--rules-dir",
                str(directory),
                "--checks",
                "corp_s3_bucket_block_public_acls",
            ]
        )
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert "s3:GetBucketPublicAccessBlock" in document_actions([document])


# -- Python plugins through the soryoku.checks entry-point group --

PLUGIN = '''
"""A tiny soryoku check plugin: S3 bucket names follow the corp- convention."""

from soryoku.core.severity import Severity
from soryoku.posture.registry import CheckProse, check
from soryoku.posture.results import failed, passed


@check(
    "plugin_s3_bucket_name_prefix",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.LOW,
    collectors=("s3.buckets",),
    prose=CheckProse(
        title="Bucket names start with corp-",
        risk="Buckets outside the naming convention escape the lifecycle and cost tooling.",
        remediation="Recreate the bucket under a corp- name and move the objects.",
        references=("https://example.com/naming",),
    ),
)
def bucket_prefix(bucket, ctx):
    if bucket.name.startswith("corp-"):
        return passed(f"{bucket.name} follows the convention")
    return failed(f"{bucket.name} does not start with corp-")
'''


@pytest.fixture
def plugin_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A plugin distribution installed into a temp dir on sys.path (a .dist-info with entry_points.txt)."""
    site = tmp_path / "site"
    (site / "soryoku_corp_checks").mkdir(parents=True)
    (site / "soryoku_corp_checks" / "__init__.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "soryoku_corp_checks-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: soryoku-corp-checks\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[soryoku.checks]\ncorp = soryoku_corp_checks\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(CHECKS, "_loaded", False)  # a fresh process would load entry points on first use
    try:
        CHECKS.load()
        yield "plugin_s3_bucket_name_prefix"
    finally:
        CHECKS.remove("plugin_s3_bucket_name_prefix")
        sys.modules.pop("soryoku_corp_checks", None)


def test_an_entry_point_plugin_joins_the_registry_and_runs(aws: str, plugin_distribution: str) -> None:
    item = CHECKS.get(plugin_distribution)
    assert item.title == "Bucket names start with corp-"
    assert "s3:ListAllMyBuckets" in item.permissions
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="corp-data")
    s3.create_bucket(Bucket="scratch-data")
    (result,) = run_posture(PostureOptions(checks=(plugin_distribution,)))
    verdicts = {f.resources[0].name: f.status_code for f in result.findings}
    assert verdicts == {"corp-data": ResultStatus.PASS, "scratch-data": ResultStatus.FAIL}


def test_a_broken_plugin_is_a_config_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "broken"
    info = site / "soryoku_broken-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: soryoku-broken\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[soryoku.checks]\nbroken = soryoku_no_such_module\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(CHECKS, "_loaded", False)
    with pytest.raises(ConfigError, match="plugin 'broken'"):
        CHECKS.load()
    # A failed load stays unloaded (the broken plugin is reported on every use): take the plugin
    # away again before other fixtures' teardown uses the registry.
    sys.path.remove(str(site))
    importlib.invalidate_caches()
    CHECKS.load()


def test_a_bad_rules_dir_stops_soryoku_scan_before_any_aws_call(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = _rules_dir(tmp_path, RULE.replace("severity: High", "severity: urgent"))
    assert _run(["scan", "--rules-dir", str(directory), "--no-store"]) == 2
    err = capsys.readouterr().err
    assert "corp.yaml" in err and "rules.0.severity" in err
