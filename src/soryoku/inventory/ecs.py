"""ECS: the latest active revision of every task definition family, with its containers' settings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class EcsContainer:
    """One container definition: privileges, user, root filesystem, environment variable names."""

    name: str
    privileged: bool | None
    user: str | None
    readonly_root_filesystem: bool | None
    environment_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EcsTaskDefinition:
    """A task definition revision (``name`` is ``family:revision``)."""

    arn: str
    region: str
    name: str
    network_mode: str
    pid_mode: str | None
    containers: tuple[EcsContainer, ...]
    os_family: str | None = None

    @property
    def windows(self) -> bool:
        """True for Windows containers (runtimePlatform.operatingSystemFamily WINDOWS_SERVER_*)."""
        return (self.os_family or "").startswith("WINDOWS")


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def task_definition_from(item: Mapping[str, Any], region: str) -> EcsTaskDefinition:
    """DescribeTaskDefinition's taskDefinition as a model."""
    containers = tuple(
        EcsContainer(
            name=str(c.get("name", "")),
            privileged=_flag(c.get("privileged")),
            user=str(c["user"]) if c.get("user") else None,
            readonly_root_filesystem=_flag(c.get("readonlyRootFilesystem")),
            environment_names=tuple(str(e.get("name", "")) for e in c.get("environment") or ()),
        )
        for c in item.get("containerDefinitions") or ()
    )
    return EcsTaskDefinition(
        arn=str(item["taskDefinitionArn"]),
        region=region,
        name=f"{item['family']}:{item['revision']}",
        network_mode=str(item.get("networkMode") or "bridge"),
        pid_mode=str(item["pidMode"]) if item.get("pidMode") else None,
        containers=containers,
        os_family=(item.get("runtimePlatform") or {}).get("operatingSystemFamily"),
    )


def latest_revisions(arns: Iterable[str]) -> list[str]:
    """The highest revision ARN of each family (Security Hub evaluates the latest active revision)."""
    best: dict[str, tuple[int, str]] = {}
    for arn in arns:
        family, _, revision = arn.rpartition(":")
        number = int(revision) if revision.isdigit() else 0
        if family not in best or number > best[family][0]:
            best[family] = (number, arn)
    return sorted(arn for _, arn in best.values())


@collector(
    "ecs.task_definitions",
    service="ecs",
    scope="regional",
    actions=("ecs:ListTaskDefinitions", "ecs:DescribeTaskDefinition"),
    description="Latest active ECS task definition per family: container privileges, user, environment",
)
def collect_task_definitions(ctx: CollectContext) -> tuple[EcsTaskDefinition, ...]:
    """ListTaskDefinitions (ACTIVE), then DescribeTaskDefinition for the latest revision of each family."""
    client = ctx.client("ecs")
    arns = [
        a
        for page in client.get_paginator("list_task_definitions").paginate(status="ACTIVE")
        for a in page["taskDefinitionArns"]
    ]

    def detail(arn: str) -> EcsTaskDefinition:
        answer = client.describe_task_definition(taskDefinition=arn)
        return task_definition_from(answer["taskDefinition"], ctx.region)

    return tuple(ctx.map(detail, latest_revisions(arns)))


__all__ = [
    "EcsContainer",
    "EcsTaskDefinition",
    "collect_task_definitions",
    "latest_revisions",
    "task_definition_from",
]
