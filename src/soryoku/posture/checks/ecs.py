"""ECS checks over the latest active task definition of each family: container privileges and secrets."""

from __future__ import annotations

from collections.abc import Iterator

from soryoku.core.severity import Severity
from soryoku.inventory.ecs import EcsContainer, EcsTaskDefinition
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

TASK_DEFINITIONS = "ecs.task_definitions"
RESOURCE_TYPE = "AwsEcsTaskDefinition"

# The environment variable names AWS Config's ecs-no-environment-secrets rule looks for by default.
SECRET_ENVIRONMENT_NAMES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA")


def _root(container: EcsContainer) -> bool:
    user = (container.user or "").split(":", 1)[0]
    return user in {"", "root", "0"}


@check(
    "ecs_task_definition_no_privileged_containers",
    service="ecs",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(TASK_DEFINITIONS,),
)
def no_privileged(task: EcsTaskDefinition, ctx: CheckContext) -> CheckResult:
    """FAIL when a container definition sets privileged to true."""
    privileged = [c.name for c in task.containers if c.privileged]
    if privileged:
        return failed(
            f"Task definition {task.name} runs privileged containers ({', '.join(privileged)}): they have "
            "root-like access to the host.",
            containers=privileged,
        )
    return passed(f"Task definition {task.name} runs no privileged container.")


@check(
    "ecs_task_definition_readonly_root_filesystem",
    service="ecs",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(TASK_DEFINITIONS,),
)
def readonly_root(task: EcsTaskDefinition, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a container's root filesystem is writable (readonlyRootFilesystem false or absent).

    Windows containers do not support the parameter and get no verdict (as in Security Hub).
    """
    if task.windows:
        return
    writable = [c.name for c in task.containers if not c.readonly_root_filesystem]
    if writable:
        yield failed(
            f"Task definition {task.name} has containers with a writable root filesystem "
            f"({', '.join(writable)}).",
            containers=writable,
        )
    else:
        yield passed(f"Task definition {task.name} mounts every container's root filesystem read-only.")


@check(
    "ecs_task_definition_no_secrets_in_environment",
    service="ecs",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(TASK_DEFINITIONS,),
)
def no_environment_secrets(task: EcsTaskDefinition, ctx: CheckContext) -> CheckResult:
    """FAIL when a container passes AWS credentials or registry auth data as plain environment variables."""
    found = sorted(
        f"{c.name}:{name}"
        for c in task.containers
        for name in c.environment_names
        if name in SECRET_ENVIRONMENT_NAMES
    )
    if found:
        return failed(
            f"Task definition {task.name} passes secrets as plain environment variables "
            f"({', '.join(found)}).",
            variables=found,
        )
    return passed(f"Task definition {task.name} passes no credential as a plain environment variable.")


@check(
    "ecs_task_definition_no_host_pid_mode",
    service="ecs",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(TASK_DEFINITIONS,),
)
def no_host_pid(task: EcsTaskDefinition, ctx: CheckContext) -> CheckResult:
    """FAIL when the task shares the host's process namespace (pidMode host)."""
    if task.pid_mode == "host":
        return failed(f"Task definition {task.name} shares the host's process namespace (pidMode host).")
    return passed(f"Task definition {task.name} does not share the host's process namespace.")


@check(
    "ecs_task_definition_host_network_nonroot_user",
    service="ecs",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(TASK_DEFINITIONS,),
)
def host_network_user(task: EcsTaskDefinition, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a host-network task runs a non-privileged container as root (or with no user set).

    Only host network mode is judged: there a root container shares the host's network stack.
    """
    if task.network_mode != "host":
        return
    root = [c.name for c in task.containers if not c.privileged and _root(c)]
    if root:
        yield failed(
            f"Task definition {task.name} uses host network mode and runs containers as root "
            f"({', '.join(root)}).",
            containers=root,
        )
    else:
        yield passed(f"Task definition {task.name} uses host network mode with non-root container users.")
