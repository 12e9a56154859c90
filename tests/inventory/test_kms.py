"""KMS collector against the moto server: rotation, deletion state, spec, aliases, key policies."""

from __future__ import annotations

import json
from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.kms import KmsKey, aliases_by_key, key_from

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get("kms.keys").collect(CollectContext(factory, ACCOUNT, region))


def test_keys_with_rotation_deletion_spec_and_policy(aws: str) -> None:
    kms = boto3.client("kms")
    rotated = kms.create_key(Description="rotated")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotated)
    kms.create_alias(AliasName="alias/app-data", TargetKeyId=rotated)
    plain = kms.create_key()["KeyMetadata"]["KeyId"]
    shared_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "kms:Decrypt",
                "Resource": "*",
            },
        ],
    }
    kms.put_key_policy(KeyId=plain, PolicyName="default", Policy=json.dumps(shared_policy))
    doomed = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=doomed, PendingWindowInDays=7)
    signing = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]

    keys = {k.key_id: k for k in collect()}
    assert set(keys) == {rotated, plain, doomed, signing}
    assert all(isinstance(k, KmsKey) and k.customer_managed for k in keys.values())
    assert keys[rotated].rotation_enabled is True and keys[rotated].name == "alias/app-data"
    assert keys[plain].rotation_enabled is False and keys[plain].name == plain
    assert keys[plain].policy == shared_policy
    assert keys[doomed].state == "PendingDeletion" and keys[doomed].deletion_date is not None
    assert keys[doomed].rotation_enabled is None
    assert keys[signing].spec == "RSA_2048" and not keys[signing].rotatable
    assert keys[signing].rotation_enabled is None
    assert keys[rotated].arn == f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{rotated}"
    assert collect("eu-west-1") == ()


def test_transforms() -> None:
    grouped = aliases_by_key(
        [
            {"AliasName": "alias/b", "TargetKeyId": "k1"},
            {"AliasName": "alias/a", "TargetKeyId": "k1"},
            {"AliasName": "alias/aws/s3"},
        ]
    )
    assert grouped == {"k1": ("alias/a", "alias/b")}
    key = key_from(
        {
            "KeyId": "k1",
            "Arn": "arn:aws:kms:r:1:key/k1",
            "KeyManager": "AWS",
            "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
        },
        "r",
        ("alias/aws/s3",),
        True,
        '{"Statement": []}',
        ("key policy: access denied",),
    )
    assert not key.customer_managed and key.rotatable and key.policy == {"Statement": []}
    assert key.read_errors == ("key policy: access denied",)
