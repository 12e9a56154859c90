"""The IAM actions the iam/kms/access-analyzer collectors declare cover every API call they make.

Every botocore call made while the collectors run against moto is recorded (``before-call`` event)
as ``<signing name>:<operation>`` and must be among the collector's declared actions, from which the
least-privilege scan role is generated.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from soryoku.aws.clients import ClientFactory
from soryoku.aws.failures import COLLECTION_ERRORS
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"
COLLECTOR_IDS = (
    "iam.users",
    "iam.roles",
    "iam.groups",
    "iam.policies",
    "iam.root",
    "iam.password_policy",
    "iam.server_certificates",
    "iam.root_credentials",
    "kms.keys",
    "accessanalyzer.analyzers",
)


class RecordingFactory(ClientFactory):
    """A client factory whose clients record every operation they call."""

    def __init__(self) -> None:
        super().__init__(boto3.Session(), ACCOUNT, max_attempts=1)
        self.calls: list[str] = []

    def client(self, service: str, region: str) -> Any:
        client = super().client(service, region)
        if not getattr(client, "_soryoku_recording", False):
            client.meta.events.register("before-call.*.*", self._record)
            client._soryoku_recording = True
        return client

    def _record(self, model: Any, **_: Any) -> None:
        self.calls.append(f"{model.service_model.signing_name}:{model.name}")


def _seed() -> None:
    iam = boto3.client("iam")
    document = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    )
    iam.create_user(UserName="u")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=document)
    iam.create_group(GroupName="g")
    iam.create_policy(PolicyName="p", PolicyDocument=document)
    kms = boto3.client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/k", TargetKeyId=key)


# moto lacks these answers (no root row, no Access Analyzer); the calls made before failing still count.
FAILING_ON_MOTO = {"iam.root_credentials", "accessanalyzer.analyzers"}


def test_declared_actions_cover_the_calls(aws: str) -> None:
    _seed()
    for collector_id in COLLECTOR_IDS:
        factory = RecordingFactory()
        collector = COLLECTORS.get(collector_id)
        context = CollectContext(factory, ACCOUNT, REGION)
        if collector_id in FAILING_ON_MOTO:
            with pytest.raises(COLLECTION_ERRORS):
                collector.collect(context)
        else:
            collector.collect(context)
        assert factory.calls, collector_id
        assert set(factory.calls) <= set(collector.actions), (collector_id, sorted(set(factory.calls)))
