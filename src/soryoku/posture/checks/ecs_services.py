"""ECS checks over clusters, services and task sets (Container Insights, public IPs, the Fargate
platform version) and task definitions' logging configuration."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.severity import Severity
from soryoku.inventory.ecs import EcsCluster, EcsService, EcsTaskDefinition
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

# FSBP ECS.10's latestLinuxVersion / latestWindowsVersion parameters (not customizable), from the
# control reference (docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-10,
# read 2026-11-29). LATEST resolves to the latest version.
LATEST_FARGATE = {"linux": "1.4.0", "windows": "1.0.0"}


@check(
    "ecs_cluster_container_insights_enabled",
    service="ecs",
    resource_type="AwsEcsCluster",
    severity=Severity.MEDIUM,
    collectors=("ecs.clusters",),
)
def container_insights(cluster: EcsCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless Container Insights is on (``enabled`` or ``enhanced``) for the cluster."""
    if cluster.container_insights in {"enabled", "enhanced"}:
        return passed(f"ECS cluster {cluster.name} uses Container Insights ({cluster.container_insights}).")
    return failed(f"ECS cluster {cluster.name} does not use Container Insights.")


@check(
    "ecs_service_no_public_ip",
    service="ecs",
    resource_type="AwsEcsService",
    severity=Severity.HIGH,
    collectors=("ecs.services",),
)
def service_public_ip(service: EcsService, ctx: CheckContext) -> CheckResult:
    """FAIL when the service's awsvpc configuration assigns public IP addresses (assignPublicIp)."""
    if service.assign_public_ip:
        return failed(f"ECS service {service.name} assigns public IP addresses to its tasks.")
    return passed(f"ECS service {service.name} does not assign public IP addresses.")


@check(
    "ecs_task_set_no_public_ip",
    service="ecs",
    resource_type="AwsEcsService",
    severity=Severity.HIGH,
    collectors=("ecs.services",),
)
def task_set_public_ip(service: EcsService, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when a task set of the service assigns public IPs; services without task sets (the ECS
    deployment controller) get no verdict."""
    if not service.task_sets:
        return []
    public = [t.task_set_id for t in service.task_sets if t.assign_public_ip]
    if public:
        return [failed(f"ECS service {service.name} task set(s) {', '.join(public)} assign public IPs.")]
    return [passed(f"No task set of ECS service {service.name} assigns public IPs.")]


@check(
    "ecs_fargate_service_latest_platform_version",
    service="ecs",
    resource_type="AwsEcsService",
    severity=Severity.MEDIUM,
    collectors=("ecs.services",),
)
def fargate_platform(service: EcsService, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when a Fargate service pins a platform version older than the latest (Linux 1.4.0,
    Windows 1.0.0); services on EC2 or external capacity get no verdict."""
    if service.launch_type != "FARGATE" and service.platform_version is None:
        return []
    version = service.platform_version or "LATEST"
    family = "windows" if (service.platform_family or "").upper().startswith("WINDOWS") else "linux"
    latest = LATEST_FARGATE[family]
    if version in {"LATEST", latest}:
        return [passed(f"Fargate service {service.name} runs platform version {version}.")]
    return [failed(f"Fargate service {service.name} runs platform version {version}, not {latest}.")]


@check(
    "ecs_task_definition_logging_configured",
    service="ecs",
    resource_type="AwsEcsTaskDefinition",
    severity=Severity.HIGH,
    collectors=("ecs.task_definitions",),
)
def task_logging(task: EcsTaskDefinition, ctx: CheckContext) -> CheckResult:
    """FAIL when a container of the latest active revision has no logConfiguration log driver."""
    missing = [c.name for c in task.containers if not c.log_driver]
    if missing:
        return failed(
            f"Task definition {task.name} has containers without a log configuration ({', '.join(missing)}).",
            containers=missing,
        )
    drivers = ", ".join(sorted({str(c.log_driver) for c in task.containers}))
    return passed(f"Every container of task definition {task.name} has a log driver ({drivers}).")
