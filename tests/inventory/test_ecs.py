"""ECS collector against the moto server: latest revision per family with container settings."""

from __future__ import annotations

from typing import Any

import boto3

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
