"""ECS collector against the moto server: latest revision per family with container settings."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.ecs import latest_revisions

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get("ecs.task_definitions").collect(CollectContext(factory, ACCOUNT, region))


def test_latest_task_definitions_with_container_settings(aws: str) -> None:
    ecs = boto3.client("ecs")
    ecs.register_task_definition(
        family="agent", containerDefinitions=[{"name": "old", "image": "a", "memory": 64}]
    )
    ecs.register_task_definition(
        family="agent",
        networkMode="host",
        pidMode="host",
        containerDefinitions=[
            {"name": "agent", "image": "a", "memory": 64, "privileged": True, "user": "root",
             "environment": [{"name": "AWS_SECRET_ACCESS_KEY", "value": "x"}]},
        ],
    )  # fmt: skip
    ecs.register_task_definition(
        family="web",
        networkMode="awsvpc",
        containerDefinitions=[
            {"name": "web", "image": "w", "memory": 64, "privileged": False, "user": "1000",
             "readonlyRootFilesystem": True, "environment": [{"name": "PORT", "value": "80"}]},
        ],
    )  # fmt: skip

    tasks = {t.name: t for t in collect()}
    assert set(tasks) == {"agent:2", "web:1"}
    agent, web = tasks["agent:2"], tasks["web:1"]
    assert agent.network_mode == "host" and agent.pid_mode == "host"
    (container,) = agent.containers
    assert container.privileged is True and container.user == "root"
    assert container.environment_names == ("AWS_SECRET_ACCESS_KEY",)
    assert container.readonly_root_filesystem is None
    assert web.containers[0].readonly_root_filesystem is True and web.containers[0].privileged is False
    assert agent.arn.endswith(":task-definition/agent:2")
    assert collect("eu-west-1") == ()


def test_latest_revisions() -> None:
    arns = [f"arn:aws:ecs:r:1:task-definition/{f}:{n}" for f, n in (("a", 1), ("a", 10), ("a", 2), ("b", 3))]
    assert latest_revisions(arns) == [
        "arn:aws:ecs:r:1:task-definition/a:10",
        "arn:aws:ecs:r:1:task-definition/b:3",
    ]


def collect_set(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_clusters_services_and_task_sets(aws: str) -> None:
    ecs, ec2 = boto3.client("ecs"), boto3.client("ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    group = ec2.describe_security_groups()["SecurityGroups"][0]["GroupId"]
    ecs.create_cluster(clusterName="web", settings=[{"name": "containerInsights", "value": "enabled"}])
    ecs.create_cluster(clusterName="batch")
    ecs.register_task_definition(
        family="web",
        networkMode="awsvpc",
        containerDefinitions=[
            {"name": "web", "image": "w", "memory": 64, "logConfiguration": {"logDriver": "awslogs"}}
        ],
    )
    vpc_config = {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": "ENABLED"}
    network = {"awsvpcConfiguration": vpc_config}
    ecs.create_service(cluster="web", serviceName="public", taskDefinition="web", desiredCount=0,
                       launchType="FARGATE", platformVersion="1.3.0",
                       networkConfiguration=network)  # fmt: skip
    ecs.create_service(cluster="web", serviceName="canary", taskDefinition="web", desiredCount=0,
                       deploymentController={"type": "EXTERNAL"})  # fmt: skip
    ecs.create_task_set(cluster="web", service="canary", taskDefinition="web", networkConfiguration=network)
    clusters = {c.name: c.container_insights for c in collect_set("ecs.clusters")}
    assert clusters == {"web": "enabled", "batch": "disabled"}
    services = {s.name: s for s in collect_set("ecs.services")}
    public, canary = services["public"], services["canary"]
    assert public.assign_public_ip and public.launch_type == "FARGATE" and public.platform_version == "1.3.0"
    assert public.cluster_arn.endswith(":cluster/web") and public.task_sets == ()
    assert not canary.assign_public_ip and [t.assign_public_ip for t in canary.task_sets] == [True]
    (task,) = collect()
    assert [c.log_driver for c in task.containers] == ["awslogs"]


def test_describe_failures_fail_the_collection_except_missing() -> None:
    from botocore.exceptions import ClientError

    from soryoku.inventory.ecs import _described

    gone = {"clusters": [{"clusterArn": "a"}], "failures": [{"arn": "b", "reason": "MISSING"}]}
    assert _described(gone, "clusters", "DescribeClusters") == [{"clusterArn": "a"}]
    denied = {"clusters": [], "failures": [{"arn": "c", "reason": "AccessDenied", "detail": "no"}]}
    with pytest.raises(ClientError, match=r"AccessDenied.*1 item"):
        _described(denied, "clusters", "DescribeClusters")
