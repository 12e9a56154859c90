"""Secrets Manager collector against the moto server over HTTP."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_secrets_with_rotation(aws: str) -> None:
    sm = boto3.client("secretsmanager")
    sm.create_secret(Name="static", SecretString="x")
    sm.create_secret(Name="rotating", SecretString="y")
    # Managed-rotation style (no Lambda): moto checks that a given rotation Lambda exists.
    sm.rotate_secret(SecretId="rotating", RotationRules={"AutomaticallyAfterDays": 30})
    rotating, static = collect("secretsmanager.secrets")
    assert rotating.rotation_enabled and rotating.rotation_days == 30 and rotating.last_rotated is not None
    assert not static.rotation_enabled and static.last_rotated is None
    assert static.created is not None and static.created.tzinfo is not None
    assert static.arn.startswith(f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:static-")
