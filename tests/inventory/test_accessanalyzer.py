"""IAM Access Analyzer collector: moto lacks the API, so the unit fails with a reason (never a PASS)."""

from __future__ import annotations

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.accessanalyzer import analyzers_from
from soryoku.posture.collection import Unit, run_unit

ACCOUNT = "123456789012"


def test_missing_api_fails_the_unit_with_the_reason(aws: str) -> None:
    factory = ClientFactory(boto3.Session(), ACCOUNT, max_attempts=1)  # botocore retries a 500: stay fast
    outcome = run_unit(Unit(ACCOUNT, "us-east-1", "accessanalyzer.analyzers"), factory)
    assert not outcome.ok and outcome.resources is None
    assert "API not available" in (outcome.failure or "") and "ListAnalyzers" in (outcome.failure or "")


def test_analyzers_transform() -> None:
    analyzers = analyzers_from(
        [
            {"name": "unused", "arn": "arn:1", "type": "ACCOUNT_UNUSED_ACCESS", "status": "ACTIVE"},
            {"name": "external", "arn": "arn:2", "type": "ACCOUNT", "status": "ACTIVE"},
            {"name": "org", "arn": "arn:3", "type": "ORGANIZATION", "status": "FAILED"},
        ]
    )
    assert [a.name for a in analyzers] == ["external", "org", "unused"]
    assert [a.active_external_access for a in analyzers] == [True, False, False]
