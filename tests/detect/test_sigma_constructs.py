"""Every Sigma construct the backend supports, compiled and run on real records (and near misses)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from tests.detect.conftest import Detector

from soryoku.detect.rules import RULES, Rule
from soryoku.detect.sigma import load_sigma_dir
from soryoku.detect.simulate.dataset import BOTO_AGENT, alice, ops_admin, web_app
from soryoku.detect.simulate.events import ct

FOLDER = Path(__file__).parent / "sigma_constructs"
T = datetime(2024, 5, 10, 10, 0)
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "%s", "Resource": "*"}]}'
BLOCK = "PublicAccessBlockConfiguration"


def _pairs() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(rule title, an event it matches, a near twin it must not match)."""

    def block(acls: bool, restrict: bool) -> dict[str, Any]:
        return {"bucketName": "b", BLOCK: {"BlockPublicAcls": acls, "RestrictPublicBuckets": restrict}}

    def versioning(status: str) -> dict[str, Any]:
        return {"bucketName": "b", "VersioningConfiguration": {"Status": status}}

    return [
        (
            "Inline Policy Granting PassRole",
            ct(alice, "iam", "PutUserPolicy", T, params={"policyDocument": POLICY % "iam:PassRole"}),
            ct(alice, "iam", "PutUserPolicy", T, params={"policyDocument": POLICY % "s3:GetObject"}),
        ),
        (
            "Instance Role Session Used",
            ct(web_app, "s3", "ListBuckets", T),
            ct(alice, "s3", "ListBuckets", T),
        ),
        (
            "Bucket Public Access Block Weakened",
            ct(ops_admin, "s3", "PutBucketPublicAccessBlock", T, params=block(False, True)),
            ct(ops_admin, "s3", "PutBucketPublicAccessBlock", T, params=block(True, True)),
        ),
        (
            "Console Password Changed For Another User",
            ct(alice, "iam", "UpdateLoginProfile", T, params={"userName": "bob"}),
            ct(alice, "iam", "UpdateLoginProfile", T, params={"userName": "ALICE"}),
        ),
        (
            "Mining Tool Mentioned Anywhere",
            ct(alice, "ec2", "DescribeImages", T, agent="XMRig/6.21.0 (Linux x86_64)"),
            ct(alice, "ec2", "DescribeImages", T),
        ),
        (
            "Console Login From The Test Network",
            ct(alice, "signin", "ConsoleLogin", T, ip="198.51.100.7"),
            ct(alice, "signin", "ConsoleLogin", T, ip="198.51.101.7"),
        ),
        (
            "Flow Logs Deleted Successfully",
            ct(ops_admin, "ec2", "DeleteFlowLogs", T, read_only=False),
            ct(ops_admin, "ec2", "DeleteFlowLogs", T, read_only=False, error="AccessDenied"),
        ),
        (
            "Large Describe Page",
            ct(alice, "ec2", "DescribeInstances", T, params={"maxResults": 1000}),
            ct(alice, "ec2", "DescribeInstances", T, params={"maxResults": 5}),
        ),
        (
            "Bucket Versioning Suspended",
            ct(
                alice,
                "s3",
                "PutBucketVersioning",
                T,
                params={"VersioningConfiguration": {"Status": "Suspended"}},
            ),
            ct(
                alice,
                "s3",
                "PutBucketVersioning",
                T,
                params={"VersioningConfiguration": {"Status": "Enabled"}},
            ),
        ),
        (
            "Exact Boto3 Agent",
            ct(alice, "sts", "GetCallerIdentity", T, agent=BOTO_AGENT),
            ct(alice, "sts", "GetCallerIdentity", T, agent=BOTO_AGENT.lower()),
        ),
    ]


@pytest.fixture
def construct_rules() -> Iterator[list[Rule]]:
    rules, _ = load_sigma_dir(FOLDER)
    for rule in rules:
        RULES.add(rule)
    try:
        yield rules
    finally:
        for rule in rules:
            RULES.remove(rule.id)


def test_each_construct_compiles_and_the_rest_say_why() -> None:
    rules, problems = load_sigma_dir(FOLDER)
    assert sorted(r.title for r in rules) == sorted(title for title, _, _ in _pairs())
    reasons = {p.reason.split(":")[0]: p.reason for p in problems}
    assert set(reasons) == {
        "Placeholder Left Unexpanded",
        "Field CloudTrail Does Not Have",
        "Field The Table Does Not Keep",
    }
    assert "office_ranges" in reasons["Placeholder Left Unexpanded"]
    assert "'status' is not a CloudTrail record field" in reasons["Field CloudTrail Does Not Have"]
    assert "does not keep" in reasons["Field The Table Does Not Keep"]


def test_each_construct_matches_its_event_and_not_the_near_twin(
    run_detect: Detector, construct_rules: list[Rule]
) -> None:
    ids = [r.id for r in construct_rules]
    pairs = _pairs()
    hit = run_detect([event for _, event, _ in pairs], ids)
    fired = {f.finding_info.title: f for f in hit.findings}
    assert sorted(fired) == sorted(title for title, _, _ in pairs)
    for title, event, _ in pairs:
        assert [e.data["event_id"] for e in fired[title].evidences or []] == [event["eventID"]], title
    miss = run_detect([twin for _, _, twin in pairs], ids)
    assert [f.finding_info.title for f in miss.findings] == []
