"""ECS: the latest active revision of every task definition family with its containers' settings;
clusters (Container Insights) and services with their task sets (public IPs, Fargate platform)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class EcsContainer:
    """One container definition: privileges, user, root filesystem, environment variable names."""

    name: str
    privileged: bool | None
    user: str | None
    readonly_root_filesystem: bool | None
    environment_names: tuple[str, ...]
    log_driver: str | None = None


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
            log_driver=(c.get("logConfiguration") or {}).get("logDriver") or None,
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


@dataclass(frozen=True, slots=True)
class EcsCluster:
    """An ECS cluster and its Container Insights setting (``disabled`` when the answer omits it)."""

    arn: str
    region: str
    name: str
    container_insights: str


@dataclass(frozen=True, slots=True)
class EcsTaskSet:
    """A task set of a service (external deployments) and whether its tasks get a public IP."""

    task_set_id: str
    arn: str
    assign_public_ip: bool


@dataclass(frozen=True, slots=True)
class EcsService:
    """An ECS service: launch type, Fargate platform, public IP assignment, task sets."""

    arn: str
    region: str
    name: str
    cluster_arn: str
    launch_type: str | None
    platform_version: str | None
    platform_family: str | None
    assign_public_ip: bool
    task_sets: tuple[EcsTaskSet, ...] = ()


def _public_ip(item: Mapping[str, Any]) -> bool:
    awsvpc = (item.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    return str(awsvpc.get("assignPublicIp", "DISABLED")).upper() == "ENABLED"


def cluster_from(item: Mapping[str, Any], region: str) -> EcsCluster:
    """One DescribeClusters cluster as a model."""
    insights = next(
        (str(x.get("value")) for x in item.get("settings") or () if x.get("name") == "containerInsights"),
        "disabled",
    )
    return EcsCluster(
        arn=str(item["clusterArn"]),
        region=region,
        name=str(item.get("clusterName") or item["clusterArn"].rsplit("/", 1)[-1]),
        container_insights=insights,
    )


def service_from(item: Mapping[str, Any], region: str) -> EcsService:
    """One DescribeServices service (with its task sets) as a model."""
    return EcsService(
        arn=str(item["serviceArn"]),
        region=region,
        name=str(item.get("serviceName") or item["serviceArn"].rsplit("/", 1)[-1]),
        cluster_arn=str(item.get("clusterArn", "")),
        launch_type=item.get("launchType") or None,
        platform_version=item.get("platformVersion") or None,
        platform_family=item.get("platformFamily") or None,
        assign_public_ip=_public_ip(item),
        task_sets=tuple(
            EcsTaskSet(
                task_set_id=str(t.get("id", "")),
                arn=str(t.get("taskSetArn", "")),
                assign_public_ip=_public_ip(t),
            )
            for t in item.get("taskSets") or ()
        ),
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


def _cluster_arns(ctx: CollectContext) -> list[str]:
    client = ctx.client("ecs")
    return ctx.once(
        "ecs:ListClusters",
        lambda: [a for page in client.get_paginator("list_clusters").paginate() for a in page["clusterArns"]],
    )


def _described(response: Mapping[str, Any], key: str, operation: str) -> list[Any]:
    """The items of a Describe* answer; a per-item failure other than MISSING (a resource deleted
    between List and Describe) fails the collection instead of dropping the item silently."""
    failed = [f for f in response.get("failures", []) if f.get("reason") != "MISSING"]
    if failed:
        first = failed[0]
        message = f"{len(failed)} item(s) not described, e.g. {first.get('arn')}: {first.get('detail') or ''}"
        raise ClientError({"Error": {"Code": str(first.get("reason")), "Message": message}}, operation)
    return list(response.get(key, []))


@collector(
    "ecs.clusters",
    service="ecs",
    scope="regional",
    actions=("ecs:ListClusters", "ecs:DescribeClusters"),
    description="ECS clusters and their Container Insights setting",
)
def collect_clusters(ctx: CollectContext) -> tuple[EcsCluster, ...]:
    """ListClusters, then DescribeClusters (with settings) 100 at a time."""
    client = ctx.client("ecs")
    arns = _cluster_arns(ctx)
    clusters = [
        cluster_from(item, ctx.region)
        for start in range(0, len(arns), 100)
        for item in _described(
            client.describe_clusters(clusters=arns[start : start + 100], include=["SETTINGS"]),
            "clusters",
            "DescribeClusters",
        )
    ]
    return tuple(sorted(clusters, key=lambda c: c.arn))


@collector(
    "ecs.services",
    service="ecs",
    scope="regional",
    actions=("ecs:ListClusters", "ecs:ListServices", "ecs:DescribeServices"),
    description="ECS services with their network configuration, Fargate platform and task sets",
)
def collect_services(ctx: CollectContext) -> tuple[EcsService, ...]:
    """ListServices per cluster, then DescribeServices 10 at a time (task sets included)."""
    client = ctx.client("ecs")

    def of_cluster(cluster: str) -> list[EcsService]:
        arns = [
            a
            for page in client.get_paginator("list_services").paginate(cluster=cluster)
            for a in page["serviceArns"]
        ]
        return [
            service_from(item, ctx.region)
            for start in range(0, len(arns), 10)
            for item in _described(
                client.describe_services(cluster=cluster, services=arns[start : start + 10]),
                "services",
                "DescribeServices",
            )
        ]

    services = [s for group in ctx.map(of_cluster, _cluster_arns(ctx)) for s in group]
    return tuple(sorted(services, key=lambda s: s.arn))


__all__ = [
    "EcsCluster",
    "EcsContainer",
    "EcsService",
    "EcsTaskDefinition",
    "EcsTaskSet",
    "cluster_from",
    "collect_clusters",
    "collect_services",
    "collect_task_definitions",
    "latest_revisions",
    "service_from",
    "task_definition_from",
]
