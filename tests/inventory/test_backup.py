"""AWS Backup selections: the collector against moto, and the assignment rules over hand-built ones."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.backup import BackupSelection, selection_from
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"
FS = f"arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/fs-1"


def collect(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT, max_attempts=1)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_no_plans_means_no_selections(aws: str) -> None:
    assert collect("backup.selections") == ()


def test_selection_apis_are_missing_in_moto(aws: str) -> None:
    # moto 5.2.5 serves backup plans but not ListBackupSelections/GetBackupSelection: with a plan the
    # collector must fail (NOT_EVALUATED), never report the plan as selecting nothing.
    boto3.client("backup").create_backup_plan(
        BackupPlan={
            "BackupPlanName": "daily",
            "Rules": [{"RuleName": "r", "TargetBackupVaultName": "Default"}],
        }
    )
    with pytest.raises((ClientError, BotoCoreError)):
        collect("backup.selections")


def test_selection_transform_and_assignment_rules() -> None:
    raw = {
        "SelectionName": "efs",
        "Resources": ["arn:aws:elasticfilesystem:*:*:file-system/*"],
        "NotResources": [f"{FS[:-1]}9"],
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "yes"}],
        "Conditions": {"StringNotLike": [{"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "dev*"}]},
    }
    selection = selection_from(raw, "daily", "s-1", "p-1", REGION, "aws", ACCOUNT)
    assert selection.arn == f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-plan:p-1/selection/s-1"
    assert selection.list_of_tags == (("backup", "yes"),)
    assert selection.covers(FS, {})
    assert not selection.covers(f"{FS[:-1]}9", {})  # NotResources
    assert not selection.covers(FS, {"env": "dev-1"})  # Conditions hold for every assigned resource
    assert selection.covers(f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/t", {"backup": "yes"})  # ListOfTags
    assert not BackupSelection("empty", "a", REGION, "daily").covers(FS, {"backup": "yes"})
    # no Resources and no ListOfTags: every supported resource, narrowed by the conditions
    by_condition = BackupSelection("c", "a", REGION, "p", conditions=(("StringEquals", "backup", "daily"),))
    assert by_condition.covers(FS, {"backup": "daily"}) and not by_condition.covers(FS, {"backup": "no"})
    like = BackupSelection("like", "a", REGION, "p", ("*",), conditions=(("StringLike", "env", "prod*"),))
    assert like.covers(FS, {"env": "prod-eu"}) and not like.covers(FS, {})
