"""Systems Manager checks on the account's compliance data and settings: patch and association
compliance of managed instances, Automation output logging and the documents' public sharing block."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.ssm import ComplianceSummary, SsmServiceSettings
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

COMPLIANCE = "ssm.compliance_summaries"
SETTINGS = "ssm.service_settings"


def _compliance(summary: ComplianceSummary, kind: str, what: str) -> list[CheckResult]:
    if summary.compliance_type != kind:
        return []
    if summary.status == "COMPLIANT":
        return [passed(f"Managed instance {summary.resource_id} is {what} compliant.")]
    return [
        failed(
            f"Managed instance {summary.resource_id} is {what} {summary.status or 'of unknown status'} "
            f"({summary.non_compliant_count} non-compliant item(s)).",
            non_compliant_count=summary.non_compliant_count,
        )
    ]


@check(
    "ssm_managed_instance_patch_compliant",
    service="ssm",
    resource_type="AwsSsmPatchCompliance",
    severity=Severity.HIGH,
    collectors=(COMPLIANCE,),
)
def patch_compliant(summary: ComplianceSummary, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when a managed instance's Patch compliance status is not COMPLIANT."""
    return _compliance(summary, "Patch", "patch")


@check(
    "ssm_managed_instance_association_compliant",
    service="ssm",
    resource_type="AwsSsmAssociationCompliance",
    severity=Severity.LOW,
    collectors=(COMPLIANCE,),
)
def association_compliant(summary: ComplianceSummary, ctx: CheckContext) -> list[CheckResult]:
    """FAIL when a managed instance's Association compliance status is not COMPLIANT."""
    return _compliance(summary, "Association", "association")


@check(
    "ssm_automation_cloudwatch_logging_enabled",
    service="ssm",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=(SETTINGS,),
)
def automation_logging(settings: SsmServiceSettings, ctx: CheckContext) -> CheckResult:
    """FAIL unless SSM Automation sends script output to CloudWatch Logs in the region."""
    if settings.automation_log_destination == "CloudWatch":
        return passed(f"SSM Automation logs script output to CloudWatch Logs in {settings.region}.")
    return failed(
        f"SSM Automation does not log script output to CloudWatch Logs in {settings.region} "
        f"(destination {settings.automation_log_destination or 'not set'})."
    )


@check(
    "ssm_documents_block_public_sharing",
    service="ssm",
    resource_type="AwsAccount",
    severity=Severity.CRITICAL,
    collectors=(SETTINGS,),
)
def block_public_sharing(settings: SsmServiceSettings, ctx: CheckContext) -> CheckResult:
    """FAIL unless the region's block public sharing setting for SSM documents is on."""
    if settings.document_public_sharing == "Disable":
        return passed(f"Public sharing of SSM documents is blocked in {settings.region}.")
    return failed(
        f"Public sharing of SSM documents is not blocked in {settings.region} "
        f"(setting {settings.document_public_sharing or 'not set'})."
    )
