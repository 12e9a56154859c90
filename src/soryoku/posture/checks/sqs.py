"""SQS checks: encryption at rest and public queue policies (through the shared policy analyzer)."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.sqs import SqsQueue
from soryoku.posture.policy import analyze_resource_policy
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

QUEUES = "sqs.queues"


@check(
    "sqs_queue_encrypted",
    service="sqs",
    resource_type="AwsSqsQueue",
    severity=Severity.MEDIUM,
    collectors=(QUEUES,),
)
def sqs_queue_encrypted(queue: SqsQueue, ctx: CheckContext) -> CheckResult:
    """FAIL unless the queue is encrypted at rest (SSE-KMS or SQS-managed SSE)."""
    if queue.kms_key_id:
        return passed(f"Queue {queue.name} is encrypted with KMS key {queue.kms_key_id}.")
    if queue.sqs_managed_sse:
        return passed(f"Queue {queue.name} is encrypted with SQS-managed keys (SSE-SQS).")
    return failed(f"Queue {queue.name} is not encrypted at rest.")


@check(
    "sqs_queue_policy_not_public",
    service="sqs",
    resource_type="AwsSqsQueue",
    severity=Severity.CRITICAL,
    collectors=(QUEUES,),
)
def sqs_queue_policy_not_public(queue: SqsQueue, ctx: CheckContext) -> CheckResult:
    """FAIL when the queue policy lets anyone (no restricting condition) use the queue."""
    if queue.policy is None:
        return passed(f"Queue {queue.name} has no access policy.")
    access = analyze_resource_policy(queue.policy, ctx.account_id)
    if access.public:
        return failed(
            f"Queue {queue.name}'s policy is {access.describe()}.", statements=list(access.public_statements)
        )
    return passed(f"Queue {queue.name}'s policy is {access.describe()}.")
