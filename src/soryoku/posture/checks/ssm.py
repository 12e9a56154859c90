"""Systems Manager checks: EC2 instances managed by SSM, and documents not shared publicly."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.ec2 import Ec2Instance
from soryoku.inventory.ssm import ManagedInstance, SsmDocument
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

MANAGED = "ssm.managed_instances"


@check(
    "ssm_managed_ec2_instance",
    service="ssm",
    resource_type="AwsEc2Instance",
    severity=Severity.MEDIUM,
    collectors=("ec2.instances", MANAGED),
)
def instance_managed_by_ssm(instance: Ec2Instance, ctx: CheckContext) -> CheckResult:
    """FAIL when the instance is not registered with Systems Manager (NOT_EVALUATED if SSM cannot be read)."""
    registered: tuple[ManagedInstance, ...] = ctx.resources(MANAGED)
    match = next((m for m in registered if m.instance_id == instance.instance_id), None)
    if match is None:
        return failed(f"Instance {instance.label} is not managed by Systems Manager.")
    return passed(
        f"Instance {instance.label} is managed by Systems Manager (agent ping: {match.ping_status}).",
        ping_status=match.ping_status,
    )


@check(
    "ssm_document_not_public",
    service="ssm",
    resource_type="AwsSsmDocument",
    severity=Severity.CRITICAL,
    collectors=("ssm.documents",),
)
def document_not_public(document: SsmDocument, ctx: CheckContext) -> CheckResult:
    """FAIL when a document the account owns is shared with all AWS accounts."""
    if document.public:
        return failed(f"SSM document {document.name} is shared publicly (with 'all').")
    if document.shared_with:
        return passed(
            f"SSM document {document.name} is shared with {len(document.shared_with)} account(s), "
            "not publicly.",
            shared_with=list(document.shared_with),
        )
    return passed(f"SSM document {document.name} is not shared.")
