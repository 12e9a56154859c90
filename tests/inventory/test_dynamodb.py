"""DynamoDB table collector against the moto server over HTTP."""

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


KEY = {
    "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
}


def test_tables_with_backups_protection_and_autoscaling(aws: str) -> None:
    assert collect("dynamodb.tables") == ()
    ddb = boto3.client("dynamodb")
    ddb.create_table(
        TableName="sessions", BillingMode="PAY_PER_REQUEST", DeletionProtectionEnabled=True, **KEY
    )
    ddb.update_continuous_backups(
        TableName="sessions", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    ddb.create_table(
        TableName="orders", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}, **KEY
    )
    boto3.client("application-autoscaling").register_scalable_target(
        ServiceNamespace="dynamodb",
        ResourceId="table/orders",
        ScalableDimension="dynamodb:table:ReadCapacityUnits",
        MinCapacity=1,
        MaxCapacity=10,
    )
    orders, sessions = collect("dynamodb.tables")
    assert orders.arn == f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"
    assert orders.billing_mode == "PROVISIONED" and orders.autoscaled == ("read",)
    assert not orders.point_in_time_recovery and not orders.deletion_protection
    assert sessions.billing_mode == "PAY_PER_REQUEST" and sessions.point_in_time_recovery
    assert sessions.deletion_protection
