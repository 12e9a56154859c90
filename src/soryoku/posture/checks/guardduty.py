"""GuardDuty checks: a detector enabled in every scanned region, and its protection plans."""

from __future__ import annotations

from collections.abc import Iterator

from soryoku.core.severity import Severity
from soryoku.inventory.guardduty import GuardDutyRegion
from soryoku.posture.registry import CheckFunction, check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "guardduty_enabled",
    service="guardduty",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=("guardduty.detectors",),
)
def guardduty_enabled(state: GuardDutyRegion, ctx: CheckContext) -> CheckResult:
    """FAIL when the region has no ENABLED detector."""
    if state.enabled:
        return passed(f"GuardDuty is enabled in {state.region}.")
    if state.detectors:
        statuses = ", ".join(f"{d.detector_id}={d.status}" for d in state.detectors)
        return failed(f"GuardDuty has a detector in {state.region} but it is not enabled ({statuses}).")
    return failed(f"GuardDuty is not enabled in {state.region} (no detector).")


# (check id, GuardDuty feature name, protection plan)
PROTECTION_PLANS = (
    ("guardduty_eks_audit_log_monitoring_enabled", "EKS_AUDIT_LOGS", "EKS Audit Log Monitoring"),
    ("guardduty_ec2_malware_protection_enabled", "EBS_MALWARE_PROTECTION", "Malware Protection for EC2"),
    ("guardduty_lambda_protection_enabled", "LAMBDA_NETWORK_LOGS", "Lambda Protection"),
    ("guardduty_rds_protection_enabled", "RDS_LOGIN_EVENTS", "RDS Protection"),
    ("guardduty_s3_protection_enabled", "S3_DATA_EVENTS", "S3 Protection"),
    ("guardduty_runtime_monitoring_enabled", "RUNTIME_MONITORING", "Runtime Monitoring"),
)


def _register_plan(check_id: str, feature: str, plan: str) -> CheckFunction:
    def run(state: GuardDutyRegion, ctx: CheckContext) -> Iterator[CheckResult]:
        enabled = [d for d in state.detectors if d.status == "ENABLED"]
        if not enabled:
            return  # no detector running: guardduty_enabled (GuardDuty.1) already fails the region
        statuses = {d.detector_id: d.feature(feature) for d in enabled}
        if any(status == "ENABLED" for status in statuses.values()):
            yield passed(f"GuardDuty {plan} is enabled in {state.region}.")
        else:
            shown = ", ".join(f"{k}={v or 'not listed'}" for k, v in statuses.items())
            yield failed(f"GuardDuty {plan} is not enabled in {state.region} ({shown}).")

    run.__name__ = check_id
    run.__doc__ = f"PASS when the region's enabled detector runs {plan} ({feature})."
    run.__module__ = __name__
    return check(
        check_id,
        service="guardduty",
        resource_type="AwsAccount",
        severity=Severity.HIGH,
        collectors=("guardduty.detectors",),
    )(run)


for _check_id, _feature, _plan in PROTECTION_PLANS:
    _register_plan(_check_id, _feature, _plan)

# EKS Runtime Monitoring "with automated agent management" (GuardDuty.7): the EKS add-on management
# configuration of the runtime feature, under its current or its legacy feature name.
EKS_RUNTIME_FEATURES = ("RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING")


@check(
    "guardduty_eks_runtime_monitoring_enabled",
    service="guardduty",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=("guardduty.detectors",),
)
def eks_runtime_monitoring(state: GuardDutyRegion, ctx: CheckContext) -> Iterator[CheckResult]:
    """PASS when an enabled detector runs EKS Runtime Monitoring with automated agent management."""
    enabled = [d for d in state.detectors if d.status == "ENABLED"]
    if not enabled:
        return
    if any(
        d.feature(name) == "ENABLED" and d.feature(f"{name}/EKS_ADDON_MANAGEMENT") == "ENABLED"
        for d in enabled
        for name in EKS_RUNTIME_FEATURES
    ):
        yield passed(
            f"GuardDuty EKS Runtime Monitoring with automated agent management is on in {state.region}."
        )
    else:
        yield failed(
            "GuardDuty EKS Runtime Monitoring with automated agent management is not enabled in "
            f"{state.region}."
        )


# Runtime Monitoring's automated agent for ECS on Fargate (GuardDuty.12) and for EC2 (GuardDuty.13):
# an additional configuration of the RUNTIME_MONITORING feature.
AGENT_MANAGEMENT = (
    ("guardduty_ecs_runtime_monitoring_enabled", "ECS_FARGATE_AGENT_MANAGEMENT", "ECS (Fargate)"),
    ("guardduty_ec2_runtime_monitoring_enabled", "EC2_AGENT_MANAGEMENT", "EC2"),
)


def _register_agent(check_id: str, configuration: str, workload: str) -> CheckFunction:
    def run(state: GuardDutyRegion, ctx: CheckContext) -> Iterator[CheckResult]:
        enabled = [d for d in state.detectors if d.status == "ENABLED"]
        if not enabled:
            return  # no detector running: guardduty_enabled (GuardDuty.1) already fails the region
        if any(
            d.feature("RUNTIME_MONITORING") == "ENABLED"
            and d.feature(f"RUNTIME_MONITORING/{configuration}") == "ENABLED"
            for d in enabled
        ):
            yield passed(
                f"GuardDuty {workload} Runtime Monitoring (automated agent) is on in {state.region}."
            )
        else:
            yield failed(
                f"GuardDuty {workload} Runtime Monitoring with the automated agent is not enabled in "
                f"{state.region}."
            )

    run.__name__ = check_id
    run.__doc__ = f"PASS when an enabled detector runs Runtime Monitoring with {configuration} enabled."
    run.__module__ = __name__
    return check(
        check_id,
        service="guardduty",
        resource_type="AwsAccount",
        severity=Severity.MEDIUM,
        collectors=("guardduty.detectors",),
    )(run)


for _check_id, _configuration, _workload in AGENT_MANAGEMENT:
    _register_agent(_check_id, _configuration, _workload)
