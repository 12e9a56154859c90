"""Amazon Inspector checks: EC2, ECR, Lambda standard and Lambda code scanning enabled per region."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.inspector import InspectorRegion
from soryoku.posture.registry import CheckFunction, check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

# (check id, Inspector resource state key, what it scans)
SCANS = (
    ("inspector_ec2_scanning_enabled", "ec2", "EC2 instance scanning"),
    ("inspector_ecr_scanning_enabled", "ecr", "ECR container image scanning"),
    ("inspector_lambda_code_scanning_enabled", "lambdaCode", "Lambda code scanning"),
    ("inspector_lambda_standard_scanning_enabled", "lambda", "Lambda standard scanning"),
)


def _register(check_id: str, scan: str, what: str) -> CheckFunction:
    def run(state: InspectorRegion, ctx: CheckContext) -> CheckResult:
        status = state.scans.get(scan)
        if state.enabled(scan):
            return passed(f"Amazon Inspector {what} is enabled in {state.region}.")
        if status is None:
            return failed(
                f"Amazon Inspector {what} is not enabled in {state.region} (Inspector never enabled)."
            )
        return failed(f"Amazon Inspector {what} is {status} in {state.region}.")

    run.__name__ = check_id
    run.__doc__ = f"PASS when Inspector {what} is ENABLED in the region."
    run.__module__ = __name__
    return check(
        check_id,
        service="inspector2",
        resource_type="AwsAccount",
        severity=Severity.HIGH,
        collectors=("inspector2.account_status",),
    )(run)


for _check_id, _scan, _what in SCANS:
    _register(_check_id, _scan, _what)

__all__ = ["SCANS"]
