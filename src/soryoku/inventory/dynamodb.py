"""DynamoDB: tables with point-in-time recovery, deletion protection and capacity autoscaling."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class DynamoDbTable:
    """A table, how it is billed, and what protects it.

    ``autoscaled`` lists the capacity dimensions with an Application Auto Scaling target
    (``read``/``write``); it only matters for provisioned tables.
    """

    name: str
    arn: str
    region: str
    billing_mode: str = "PROVISIONED"
    point_in_time_recovery: bool = False
    deletion_protection: bool = False
    autoscaled: tuple[str, ...] = ()


def table_from(
    raw: Mapping[str, Any], backups: Mapping[str, Any], scalable_dimensions: Iterable[str], region: str
) -> DynamoDbTable:
    """DescribeTable + DescribeContinuousBackups answers and the table's scaling dimensions as the model."""
    pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"
    dimensions = set(scalable_dimensions)
    return DynamoDbTable(
        name=str(raw["TableName"]),
        arn=str(raw["TableArn"]),
        region=region,
        billing_mode=str((raw.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")),
        point_in_time_recovery=pitr,
        deletion_protection=bool(raw.get("DeletionProtectionEnabled", False)),
        autoscaled=tuple(
            kind
            for kind, dimension in (
                ("read", "dynamodb:table:ReadCapacityUnits"),
                ("write", "dynamodb:table:WriteCapacityUnits"),
            )
            if dimension in dimensions
        ),
    )


@collector(
    "dynamodb.tables",
    service="dynamodb",
    scope="regional",
    actions=(
        "dynamodb:ListTables",
        "dynamodb:DescribeTable",
        "dynamodb:DescribeContinuousBackups",
        "application-autoscaling:DescribeScalableTargets",
    ),
    description="DynamoDB tables with point-in-time recovery, deletion protection and autoscaling",
)
def collect_dynamodb_tables(ctx: CollectContext) -> tuple[DynamoDbTable, ...]:
    """List the tables, describe each (table + continuous backups), and read the scaling targets once."""
    dynamodb = ctx.client("dynamodb")
    names = [
        n for page in dynamodb.get_paginator("list_tables").paginate() for n in page.get("TableNames", [])
    ]
    if not names:
        return ()
    targets = ctx.client("application-autoscaling").get_paginator("describe_scalable_targets")
    dimensions: dict[str, set[str]] = {}
    for page in targets.paginate(ServiceNamespace="dynamodb"):
        for target in page.get("ScalableTargets", []):
            dimensions.setdefault(str(target["ResourceId"]), set()).add(str(target["ScalableDimension"]))

    def detail(name: str) -> DynamoDbTable:
        table = dynamodb.describe_table(TableName=name)["Table"]
        backups = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        return table_from(table, backups, dimensions.get(f"table/{name}", set()), ctx.region)

    return tuple(sorted(ctx.map(detail, names), key=lambda t: t.name))


__all__ = ["DynamoDbTable", "collect_dynamodb_tables", "table_from"]
