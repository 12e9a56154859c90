"""SNS checks: KMS encryption at rest and public topic policies (through the shared policy analyzer)."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.sns import SnsTopic
from soryoku.posture.policy import analyze_resource_policy
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

TOPICS = "sns.topics"


@check(
    "sns_topic_encrypted_kms",
    service="sns",
    resource_type="AwsSnsTopic",
    severity=Severity.MEDIUM,
    collectors=(TOPICS,),
)
def sns_topic_encrypted_kms(topic: SnsTopic, ctx: CheckContext) -> CheckResult:
    """FAIL unless the topic is encrypted at rest with an AWS KMS key."""
    if topic.kms_key_id:
        return passed(f"Topic {topic.name} is encrypted with KMS key {topic.kms_key_id}.")
    return failed(f"Topic {topic.name} is not encrypted at rest with AWS KMS.")


@check(
    "sns_topic_policy_not_public",
    service="sns",
    resource_type="AwsSnsTopic",
    severity=Severity.CRITICAL,
    collectors=(TOPICS,),
)
def sns_topic_policy_not_public(topic: SnsTopic, ctx: CheckContext) -> CheckResult:
    """FAIL when the topic policy lets anyone (no restricting condition) publish or subscribe."""
    if topic.policy is None:
        return passed(f"Topic {topic.name} has no access policy.")
    access = analyze_resource_policy(topic.policy, ctx.account_id)
    if access.public:
        return failed(
            f"Topic {topic.name}'s policy is {access.describe()}.", statements=list(access.public_statements)
        )
    return passed(f"Topic {topic.name}'s policy is {access.describe()}.")
