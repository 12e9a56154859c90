"""ECR collector against the moto server: scan on push, tag mutability, lifecycle and repository policy."""

from __future__ import annotations

import json
from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.ecr import registry_scans_everything_on_push

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get("ecr.repositories").collect(CollectContext(factory, ACCOUNT, region))


def test_repositories_with_scanning_mutability_lifecycle_and_policy(aws: str) -> None:
    ecr = boto3.client("ecr")
    ecr.create_repository(repositoryName="scanned", imageScanningConfiguration={"scanOnPush": True},
                          imageTagMutability="IMMUTABLE")  # fmt: skip
    ecr.put_lifecycle_policy(
        repositoryName="scanned",
        lifecyclePolicyText=json.dumps({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged",
            "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
            "action": {"type": "expire"}}]}),
    )  # fmt: skip
    ecr.create_repository(repositoryName="open")
    public = {"Version": "2012-10-17", "Statement": [{"Sid": "pull", "Effect": "Allow", "Principal": "*",
                                                      "Action": ["ecr:BatchGetImage"]}]}  # fmt: skip
    ecr.set_repository_policy(repositoryName="open", policyText=json.dumps(public))

    repos = {r.name: r for r in collect()}
    assert set(repos) == {"scanned", "open"}
    scanned, opened = repos["scanned"], repos["open"]
    assert scanned.scan_on_push and scanned.tag_mutability == "IMMUTABLE" and scanned.lifecycle_policy
    assert scanned.policy is None and not scanned.registry_scan_on_push
    assert not opened.scan_on_push and opened.tag_mutability == "MUTABLE" and not opened.lifecycle_policy
    assert opened.policy == public
    assert scanned.arn == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/scanned"
    assert collect("eu-west-1") == ()


def test_registry_rules() -> None:
    on_push = {"rules": [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "*"}]}]}
    prefix = {"rules": [{"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "prod-*"}]}]}
    manual = {"rules": [{"scanFrequency": "MANUAL", "repositoryFilters": [{"filter": "*"}]}]}
    assert registry_scans_everything_on_push(on_push)
    assert not registry_scans_everything_on_push(prefix)
    assert not registry_scans_everything_on_push(manual)
    assert not registry_scans_everything_on_push({})
