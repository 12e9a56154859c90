"""DynamoDB checks: capacity autoscaling, point-in-time recovery, deletion protection."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.dynamodb import DynamoDbTable
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

TABLES = "dynamodb.tables"


@check(
    "dynamodb_table_autoscaling_enabled",
    service="dynamodb",
    resource_type="AwsDynamoDbTable",
    severity=Severity.MEDIUM,
    collectors=(TABLES,),
)
def dynamodb_table_autoscaling_enabled(table: DynamoDbTable, ctx: CheckContext) -> CheckResult:
    """FAIL when a provisioned table lacks read or write capacity autoscaling (on-demand passes)."""
    if table.billing_mode == "PAY_PER_REQUEST":
        return passed(f"Table {table.name} uses on-demand capacity.")
    missing = [kind for kind in ("read", "write") if kind not in table.autoscaled]
    if missing:
        return failed(
            f"Provisioned table {table.name} has no {' or '.join(missing)} capacity autoscaling.",
            missing=missing,
        )
    return passed(f"Provisioned table {table.name} autoscales read and write capacity.")


@check(
    "dynamodb_table_point_in_time_recovery",
    service="dynamodb",
    resource_type="AwsDynamoDbTable",
    severity=Severity.MEDIUM,
    collectors=(TABLES,),
)
def dynamodb_table_point_in_time_recovery(table: DynamoDbTable, ctx: CheckContext) -> CheckResult:
    """FAIL unless point-in-time recovery is enabled."""
    if table.point_in_time_recovery:
        return passed(f"Table {table.name} has point-in-time recovery enabled.")
    return failed(f"Table {table.name} does not have point-in-time recovery enabled.")


@check(
    "dynamodb_table_deletion_protection",
    service="dynamodb",
    resource_type="AwsDynamoDbTable",
    severity=Severity.MEDIUM,
    collectors=(TABLES,),
)
def dynamodb_table_deletion_protection(table: DynamoDbTable, ctx: CheckContext) -> CheckResult:
    """FAIL unless deletion protection is enabled."""
    if table.deletion_protection:
        return passed(f"Table {table.name} has deletion protection enabled.")
    return failed(f"Table {table.name} does not have deletion protection enabled.")
