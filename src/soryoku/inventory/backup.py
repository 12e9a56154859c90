"""AWS Backup: the resource assignments (backup selections) of every backup plan, and which resources
they cover."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from soryoku.inventory.base import CollectContext, collector

TAG_KEY_PREFIX = "aws:ResourceTag/"


@dataclass(frozen=True, slots=True)
class BackupSelection:
    """One resource assignment of a backup plan: ARNs (wildcards allowed), excluded ARNs, tag
    conditions of the legacy ``ListOfTags`` (any may match) and ``Conditions`` (all must hold)."""

    name: str
    arn: str
    region: str
    plan_name: str
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    list_of_tags: tuple[tuple[str, str], ...] = ()
    conditions: tuple[tuple[str, str, str], ...] = ()

    def covers(self, resource_arn: str, tags: Mapping[str, str]) -> bool:
        """Whether AWS Backup assigns the resource (with these tags) to this selection.

        With neither ``Resources`` nor ``ListOfTags``, AWS Backup starts from every supported
        resource, which ``NotResources`` and ``Conditions`` then narrow; a selection with none of
        the four assigns nothing.
        """
        if not (self.resources or self.list_of_tags or self.not_resources or self.conditions):
            return False
        if any(fnmatchcase(resource_arn, pattern) for pattern in self.not_resources):
            return False
        if self.resources or self.list_of_tags:
            by_arn = any(fnmatchcase(resource_arn, pattern) for pattern in self.resources)
            by_tag = any(tags.get(key) == value for key, value in self.list_of_tags)
            if not (by_arn or by_tag):
                return False
        return all(_condition_holds(kind, key, value, tags) for kind, key, value in self.conditions)


def _condition_holds(kind: str, key: str, value: str, tags: Mapping[str, str]) -> bool:
    actual = tags.get(key.removeprefix(TAG_KEY_PREFIX))
    if kind == "StringEquals":
        return actual == value
    if kind == "StringNotEquals":
        return actual != value
    if kind == "StringLike":
        return actual is not None and fnmatchcase(actual, value)
    if kind == "StringNotLike":
        return actual is None or not fnmatchcase(actual, value)
    return False  # an operator this code does not know never widens the assignment


def selection_from(
    raw: Mapping[str, Any],
    plan_name: str,
    selection_id: str,
    plan_id: str,
    region: str,
    partition: str,
    account_id: str,
) -> BackupSelection:
    """A GetBackupSelection ``BackupSelection`` as the model."""
    conditions = raw.get("Conditions") or {}
    return BackupSelection(
        name=str(raw.get("SelectionName", selection_id)),
        arn=f"arn:{partition}:backup:{region}:{account_id}:backup-plan:{plan_id}/selection/{selection_id}",
        region=region,
        plan_name=plan_name,
        resources=tuple(str(r) for r in raw.get("Resources", []) or []),
        not_resources=tuple(str(r) for r in raw.get("NotResources", []) or []),
        list_of_tags=tuple(
            (str(t["ConditionKey"]).removeprefix(TAG_KEY_PREFIX), str(t.get("ConditionValue", "")))
            for t in raw.get("ListOfTags", []) or []
            if str(t.get("ConditionType", "STRINGEQUALS")).upper() == "STRINGEQUALS" and t.get("ConditionKey")
        ),
        conditions=tuple(
            (kind, str(c["ConditionKey"]), str(c.get("ConditionValue", "")))
            for kind in ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")
            for c in conditions.get(kind, []) or []
            if c.get("ConditionKey")
        ),
    )


@collector(
    "backup.selections",
    service="backup",
    scope="regional",
    actions=("backup:ListBackupPlans", "backup:ListBackupSelections", "backup:GetBackupSelection"),
    description="AWS Backup plans' resource assignments (which resources each plan backs up)",
)
def collect_backup_selections(ctx: CollectContext) -> tuple[BackupSelection, ...]:
    """Every selection of every backup plan of the region (two pages of lists, one call each)."""
    backup = ctx.client("backup")
    plans = [
        p
        for page in backup.get_paginator("list_backup_plans").paginate()
        for p in page.get("BackupPlansList", [])
    ]

    def of_plan(plan: Mapping[str, Any]) -> list[BackupSelection]:
        plan_id = str(plan["BackupPlanId"])
        pages = backup.get_paginator("list_backup_selections").paginate(BackupPlanId=plan_id)
        selections = [s for page in pages for s in page.get("BackupSelectionsList", [])]
        found = []
        for item in selections:
            selection_id = str(item["SelectionId"])
            answer = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
            found.append(
                selection_from(
                    answer.get("BackupSelection") or {},
                    str(plan.get("BackupPlanName", plan_id)),
                    selection_id,
                    plan_id,
                    ctx.region,
                    ctx.partition,
                    ctx.account_id,
                )
            )
        return found

    selections = [s for group in ctx.map(of_plan, plans) for s in group]
    return tuple(sorted(selections, key=lambda s: (s.plan_name, s.name)))


__all__ = ["BackupSelection", "collect_backup_selections", "selection_from"]
