"""The least-privilege policy: packing, the CLI, the deploy/ templates, and coverage of every API call."""

from __future__ import annotations

import importlib.util
import json
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from soryoku.aws.clients import ClientFactory
from soryoku.cli.app import main
from soryoku.inventory.base import COLLECTORS, CollectContext, collector
from soryoku.posture.collection import Unit, run_unit
from soryoku.posture.permissions import (
    MANAGED_POLICY_SIZE_LIMIT,
    document_actions,
    iam_action,
    pack,
    policy_documents,
    policy_size,
    render_template,
    scan_role_template,
    stackset_template,
)
from soryoku.posture.registry import CHECKS
from soryoku.posture.selection import CheckFilter, required_permissions, select_checks

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ROLE_TEMPLATE = DEPLOY / "posture-scan-role.yaml"
STACKSET_TEMPLATE = DEPLOY / "posture-scan-role-stackset.yaml"
REGEN = os.environ.get("SORYOKU_REGEN_DEPLOY") == "1"

needs_cfnlint = pytest.mark.skipif(
    importlib.util.find_spec("cfnlint") is None, reason="cfn-lint not installed"
)


def _policy_actions(node: Any) -> set[str]:
    """Every action of every Allow statement under ``node`` (trust policies excluded)."""
    found: set[str] = set()
    if isinstance(node, dict):
        if node.get("Effect") == "Allow" and "Action" in node and "Principal" not in node:
            value = node["Action"]
            found.update([value] if isinstance(value, str) else value)
        for value in node.values():
            found |= _policy_actions(value)
    elif isinstance(node, list):
        for value in node:
            found |= _policy_actions(value)
    return found


# -- policy shape --


def test_statements_are_sorted_deduplicated_and_grouped_by_service() -> None:
    documents = pack(["s3:GetBucketAcl", "ec2:DescribeVpcs", "s3:GetBucketAcl", "ec2:DescribeInstances"])
    assert documents == [
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "ReadEc2",
                    "Effect": "Allow",
                    "Action": ["ec2:DescribeInstances", "ec2:DescribeVpcs"],
                    "Resource": "*",
                },
                {"Sid": "ReadS3", "Effect": "Allow", "Action": ["s3:GetBucketAcl"], "Resource": "*"},
            ],
        }
    ]


def test_large_action_sets_split_into_documents_under_the_limit() -> None:
    actions = [f"svc{n % 7}:DescribeSomethingRatherLong{n:04d}" for n in range(600)]
    documents = pack(actions, limit=2048)
    assert len(documents) > 5
    assert all(policy_size(d) <= 2048 for d in documents)
    assert document_actions(documents) == tuple(sorted(set(actions)))
    sids = [s["Sid"] for d in documents for s in d["Statement"]]
    assert len(sids) == len(set(sids))


def test_bad_action_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="expected <service>:<Action>"):
        pack(["DescribeInstances"])


def test_the_full_policy_equals_the_declared_permissions_and_fits() -> None:
    documents = policy_documents(CHECKS)
    assert document_actions(documents) == required_permissions(CHECKS)
    assert all(policy_size(d) <= MANAGED_POLICY_SIZE_LIMIT for d in documents)
    assert not any("*" in a for a in document_actions(documents))


def test_selection_narrows_the_policy() -> None:
    s3_only = document_actions(policy_documents(select_checks(CheckFilter(services=("s3",)))))
    assert "s3:GetBucketAcl" in s3_only
    assert not any(a.startswith("iam:") for a in s3_only)
    assert set(s3_only) < set(required_permissions(CHECKS))


def test_botocore_names_map_to_iam_prefixes() -> None:
    assert iam_action("elbv2", "DescribeListeners") == "elasticloadbalancing:DescribeListeners"
    assert iam_action("opensearch", "DescribeDomains") == "es:DescribeDomains"
    assert iam_action("s3control", "GetPublicAccessBlock") == "s3:GetAccountPublicAccessBlock"
    assert iam_action("s3", "ListBuckets") == "s3:ListAllMyBuckets"
    assert iam_action("monitoring", "DescribeAlarms") == "cloudwatch:DescribeAlarms"
    assert iam_action("apigatewayv2", "GetApis", "GET") == "apigateway:GET"
    assert iam_action("ec2", "DescribeVpcs") == "ec2:DescribeVpcs"


# -- CLI --


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def test_cli_prints_json_for_a_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["posture", "permissions", "--services", "kms"]) == 0
    document = json.loads(capsys.readouterr().out)
    kms_checks = select_checks(CheckFilter(services=("kms",)))
    assert document_actions([document]) == required_permissions(kms_checks)


def test_cli_prints_yaml_and_takes_compliance(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["posture", "permissions", "--compliance", "cis-3.0", "--format", "yaml"]) == 0
    document = yaml.safe_load(capsys.readouterr().out)
    cis = select_checks(CheckFilter(compliance="cis-3.0"))
    assert document_actions([document]) == required_permissions(cis)


@pytest.mark.parametrize(
    "args", [["--format", "xml"], ["--checks", "no-such-check"], ["--compliance", "nist-9"]]
)
def test_cli_rejects_bad_input_with_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["posture", "permissions", *args]) == 2
    assert "error:" in capsys.readouterr().err


# -- deploy/ templates --


def _generated(path: Path) -> str:
    actions = required_permissions(CHECKS)
    template = scan_role_template(actions) if path == ROLE_TEMPLATE else stackset_template(actions)
    return render_template(template)


@pytest.mark.parametrize("path", [ROLE_TEMPLATE, STACKSET_TEMPLATE], ids=lambda p: p.name)
def test_committed_templates_grant_exactly_the_generated_actions(path: Path) -> None:
    if REGEN:
        path.write_text(_generated(path), encoding="utf-8")
    committed = yaml.safe_load(path.read_text(encoding="utf-8"))
    if path == STACKSET_TEMPLATE:
        body = committed["Resources"]["ScanRoleStackSet"]["Properties"]["TemplateBody"]
        committed = json.loads(body)
    assert tuple(sorted(_policy_actions(committed["Resources"]))) == required_permissions(CHECKS), (
        f"{path.name} is stale: SORYOKU_REGEN_DEPLOY=1 pytest tests/posture/test_permissions.py"
    )
    assert path.read_text(encoding="utf-8") == _generated(path), f"{path.name} was edited by hand"


def test_the_trust_policy_requires_the_external_id() -> None:
    role = yaml.safe_load(ROLE_TEMPLATE.read_text(encoding="utf-8"))["Resources"]["ScanRole"]
    (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"AWS": {"Ref": "TrustedPrincipalArn"}}
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}}


@needs_cfnlint
@pytest.mark.parametrize("path", [ROLE_TEMPLATE, STACKSET_TEMPLATE], ids=lambda p: p.name)
def test_cfn_lint_passes(path: Path, tmp_path: Path) -> None:
    from cfnlint.api import lint_file

    matches = lint_file(path)
    assert matches == [], "\n".join(str(m) for m in matches)
    if path == STACKSET_TEMPLATE:  # the member template inside the StackSet is linted too
        body = yaml.safe_load(path.read_text(encoding="utf-8"))["Resources"]["ScanRoleStackSet"]
        inner = tmp_path / "member.json"
        inner.write_text(body["Properties"]["TemplateBody"], encoding="utf-8")
        inner_matches = lint_file(inner)
        assert inner_matches == [], "\n".join(str(m) for m in inner_matches)


# -- coverage: every API a collector calls is granted --


class RecordingFactory(ClientFactory):
    """A client factory that records (botocore service, operation, HTTP method) per client call."""

    def __init__(self, session: boto3.Session, account_id: str) -> None:
        super().__init__(session, account_id, max_attempts=1)
        self.calls: set[tuple[str, str, str]] = set()

    def client(self, service: str, region: str) -> Any:
        created = super().client(service, region)
        if not getattr(created, "_soryoku_recorded", False):

            def record(model: Any, **_: Any) -> None:
                self.calls.add(
                    (model.service_model.service_name, model.name, model.http.get("method", "GET"))
                )

            created.meta.events.register("before-call.*.*", record)
            created._soryoku_recorded = True
        return created


def _undeclared(
    session: boto3.Session, account_id: str, collector_ids: list[str]
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per collector: the IAM actions of the calls it made, and those no check using it declares."""
    users: dict[str, set[str]] = defaultdict(set)
    for item in CHECKS:
        for collector_id in (*item.collectors, *item.optional_collectors):
            users[collector_id].update(item.permissions)
    baseline = {"sts:GetCallerIdentity", "ec2:DescribeRegions"}

    def calls_of(collector_id: str) -> set[str]:
        factory = RecordingFactory(session, account_id)
        run_unit(Unit(account_id, "us-east-1", collector_id), factory)
        return {iam_action(service, op, method) for service, op, method in factory.calls}

    with ThreadPoolExecutor(max_workers=4) as pool:
        recorded = dict(zip(collector_ids, pool.map(calls_of, collector_ids), strict=True))
    granted = {cid: users.get(cid, set(COLLECTORS.get(cid).actions)) | baseline for cid in collector_ids}
    missing = {cid: recorded[cid] - granted[cid] for cid in collector_ids if recorded[cid] - granted[cid]}
    return recorded, missing


def test_an_undeclared_call_is_caught(aws: str) -> None:
    def collect(ctx: CollectContext) -> tuple[Any, ...]:
        ctx.client("ec2").describe_vpcs()
        ctx.client("elbv2").describe_load_balancers()
        return ()

    collector(
        "test.undeclared", service="ec2", scope="regional", actions=("ec2:DescribeVpcs",), description="t"
    )(collect)
    try:
        _, found = _undeclared(boto3.Session(region_name="us-east-1"), "123456789012", ["test.undeclared"])
    finally:
        COLLECTORS.remove("test.undeclared")
    assert found == {"test.undeclared": {"elasticloadbalancing:DescribeLoadBalancers"}}


@pytest.mark.slow
def test_declared_permissions_cover_every_api_the_collectors_call(aws: str) -> None:
    from soryoku.demo.scenario import seed_demo_account

    estate = seed_demo_account()  # every group's resources, so per-resource detail calls happen too
    recorded, found = _undeclared(
        boto3.Session(region_name="us-east-1"), estate.account_id, [c.id for c in COLLECTORS]
    )
    assert recorded["s3.buckets"] >= {"s3:ListAllMyBuckets", "s3:GetBucketAcl"}, "the hook saw too few calls"
    assert sum(map(len, recorded.values())) > len(recorded)
    assert not found, f"collectors call APIs no check declares: {found}"
