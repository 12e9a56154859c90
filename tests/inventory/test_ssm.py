"""SSM collectors against the moto server: documents and their sharing; managed instances missing."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.ssm import compliance_summaries_from, managed_instances_from

ACCOUNT = "123456789012"
REGION = "us-east-1"
CONTENT = json.dumps(
    {
        "schemaVersion": "2.2",
        "description": "restart the app",
        "mainSteps": [{"action": "aws:runShellScript", "name": "r", "inputs": {"runCommand": ["true"]}}],
    }
)


def collect(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT, max_attempts=1)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_documents_and_their_share_permission(aws: str) -> None:
    ssm = boto3.client("ssm")
    for name in ("public-runbook", "team-runbook"):
        ssm.create_document(Content=CONTENT, Name=name, DocumentType="Command")
    ssm.modify_document_permission(Name="public-runbook", PermissionType="Share", AccountIdsToAdd=["all"])
    ssm.modify_document_permission(
        Name="team-runbook", PermissionType="Share", AccountIdsToAdd=["111122223333"]
    )
    public, team = collect("ssm.documents")
    assert public.name == "public-runbook" and public.public
    assert team.shared_with == ("111122223333",) and not team.public
    assert team.arn == f"arn:aws:ssm:{REGION}:{ACCOUNT}:document/team-runbook"


def test_managed_instances_api_is_missing_in_moto(aws: str) -> None:
    # moto 5.2.5 does not implement DescribeInstanceInformation: the collector must fail (the engine
    # turns that into NOT_EVALUATED), never return an empty list that would fail SSM.1 falsely.
    with pytest.raises((ClientError, BotoCoreError)):
        collect("ssm.managed_instances")


def test_managed_instances_transform() -> None:
    (model,) = managed_instances_from(
        [{"InstanceId": "i-1", "PingStatus": "Online", "ResourceType": "EC2Instance", "ComputerName": "web"}],
        REGION,
        "aws",
        ACCOUNT,
    )
    assert model.instance_id == "i-1" and model.ping_status == "Online" and model.name == "web"


def test_compliance_and_service_setting_apis_are_missing_in_moto(aws: str) -> None:
    # moto 5.2.5 implements neither ListResourceComplianceSummaries nor GetServiceSetting: the
    # collectors must fail (NOT_EVALUATED with the reason), never answer "no data".
    for collector_id in ("ssm.compliance_summaries", "ssm.service_settings"):
        with pytest.raises((ClientError, BotoCoreError)):
            collect(collector_id)


def test_compliance_summaries_transform() -> None:
    items = [
        {
            "ComplianceType": "Patch",
            "ResourceType": "ManagedInstance",
            "ResourceId": "i-1",
            "Status": "NON_COMPLIANT",
            "NonCompliantSummary": {"NonCompliantCount": 3},
        },
        {"ComplianceType": "Association", "ResourceType": "ManagedInstance", "ResourceId": "mi-2"},
        {"ComplianceType": "Custom:Antivirus", "ResourceType": "Document", "ResourceId": "doc"},
    ]
    association, patch = compliance_summaries_from(items, REGION, "aws", ACCOUNT)
    assert patch.resource_id == "i-1" and patch.status == "NON_COMPLIANT" and patch.non_compliant_count == 3
    assert patch.arn == f"arn:aws:ssm:{REGION}:{ACCOUNT}:managed-instance/i-1"
    assert association.compliance_type == "Association" and association.status == ""
