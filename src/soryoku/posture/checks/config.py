"""AWS Config checks: a running recorder of every resource type in each region."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.config import ConfigRecorder, ConfigRegion
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


def _describe(recorder: ConfigRecorder) -> str:
    scope = "all supported types" if recorder.all_supported else f"{len(recorder.resource_types)} types"
    state = "recording" if recorder.recording else "stopped"
    return f"{recorder.name}: {state}, {scope}, last status {recorder.last_status or 'none'}"


@check(
    "config_recorder_enabled_service_linked_role",
    service="config",
    resource_type="AwsAccount",
    severity=Severity.CRITICAL,
    collectors=("config.recorders",),
)
def recorder_service_linked(state: ConfigRegion, ctx: CheckContext) -> CheckResult:
    """PASS when a healthy recorder records all supported types with the service-linked role."""
    good = [r for r in state.recorders if r.healthy and r.all_supported and r.service_linked_role]
    if good:
        return passed(f"AWS Config records all resources in {state.region} ({_describe(good[0])}).")
    if not state.recorders:
        return failed(f"AWS Config is not enabled in {state.region} (no configuration recorder).")
    why = []
    for recorder in state.recorders:
        reasons = [
            text
            for text, bad in (
                ("not recording", not recorder.recording),
                ("last delivery failed", recorder.recording and not recorder.healthy),
                ("records only some resource types", not recorder.all_supported),
                ("does not use the service-linked role", not recorder.service_linked_role),
            )
            if bad
        ]
        why.append(f"{recorder.name}: {', '.join(reasons)}")
    return failed(f"AWS Config in {state.region} does not qualify ({'; '.join(why)}).", recorders=why)


@check(
    "config_recorder_all_resources_in_region",
    service="config",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=("config.recorders",),
)
def recorder_all_resources(state: ConfigRegion, ctx: CheckContext) -> CheckResult:
    """PASS when a recording recorder covers all supported types including global (IAM) resources."""
    good = [r for r in state.recorders if r.healthy and r.all_supported and r.include_global_resource_types]
    if good:
        return passed(f"AWS Config records all resources, global ones included, in {state.region}.")
    if not state.recorders:
        return failed(f"AWS Config is not enabled in {state.region} (no configuration recorder).")
    return failed(
        f"No AWS Config recorder in {state.region} records all supported and global resource types "
        f"({'; '.join(_describe(r) for r in state.recorders)}).",
    )
