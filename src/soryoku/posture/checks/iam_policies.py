"""IAM policy content, through the shared analyzer: service wildcards, KMS decrypt on every key,
privilege-escalation action sets, inline admin policies, and the CloudShell full-access policy.

Managed-policy checks judge customer managed policies (AWS managed ones are AWS's to scope); the
inline-policy checks run once per identity kind (user, role, group), as Security Hub's resources do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from soryoku.core.severity import Severity
from soryoku.inventory.iam import IamPolicy, InlinePolicy
from soryoku.posture.policy import (
    escalation_paths,
    grants_full_admin,
    kms_decrypt_on_all_keys,
    service_wildcards,
)
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

POLICIES = "iam.policies"
CLOUDSHELL_FULL_ACCESS = "policy/AWSCloudShellFullAccess"
# (identity kind, resource type, collector) — the three holders of inline and attached policies.
IDENTITIES = (
    ("user", "AwsIamUser", "iam.users"),
    ("role", "AwsIamRole", "iam.roles"),
    ("group", "AwsIamGroup", "iam.groups"),
)


@check(
    "iam_policy_no_service_wildcard_actions",
    service="iam",
    resource_type="AwsIamPolicy",
    severity=Severity.LOW,
    collectors=(POLICIES,),
)
def policy_service_wildcards(policy: IamPolicy, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a customer managed policy allows ``service:*`` (or ``NotAction service:*``)."""
    if policy.aws_managed:
        return
    found = service_wildcards(policy.document)
    if found:
        yield failed(
            f"Customer managed policy {policy.name} allows every action of a service: {', '.join(found)}.",
            wildcards=list(found),
        )
    else:
        yield passed(f"Customer managed policy {policy.name} allows no service-wide wildcard action.")


@check(
    "iam_policy_no_kms_decrypt_on_all_keys",
    service="iam",
    resource_type="AwsIamPolicy",
    severity=Severity.MEDIUM,
    collectors=(POLICIES,),
)
def policy_kms_decrypt(policy: IamPolicy, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a customer managed policy allows kms:Decrypt or kms:ReEncryptFrom on ``Resource: *``."""
    if policy.aws_managed:
        return
    actions = kms_decrypt_on_all_keys(policy.document)
    if actions:
        yield failed(
            f"Customer managed policy {policy.name} allows {', '.join(actions)} on all KMS keys.",
            actions=actions,
        )
    else:
        yield passed(f"Customer managed policy {policy.name} does not allow decryption on all KMS keys.")


@check(
    "iam_policy_no_privilege_escalation",
    service="iam",
    resource_type="AwsIamPolicy",
    severity=Severity.HIGH,
    collectors=(POLICIES,),
)
def policy_escalation(policy: IamPolicy, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a customer managed policy grants a known privilege-escalation action set on ``*``."""
    if policy.aws_managed:
        return
    yield _escalation(f"Customer managed policy {policy.name}", policy.document)


def _escalation(subject: str, document: Any) -> CheckResult:
    paths = escalation_paths(document)
    if paths:
        names = [p.name for p in paths]
        shown = ", ".join(f"{p.name} ({' + '.join(p.actions)})" for p in paths[:5])
        more = f" and {len(paths) - 5} more" if len(paths) > 5 else ""
        return failed(f"{subject} allows privilege escalation: {shown}{more}.", paths=names)
    return passed(f"{subject} grants no known privilege-escalation action set on all resources.")


def _inline(identity: Any) -> tuple[InlinePolicy, ...]:
    policies: tuple[InlinePolicy, ...] = identity.inline_policies
    return policies


def _inline_kms(kind: str, identity: Any) -> CheckResult:
    found = {p.name: kms_decrypt_on_all_keys(p.document) for p in _inline(identity)}
    bad = {name: actions for name, actions in found.items() if actions}
    if bad:
        shown = "; ".join(f"{name}: {', '.join(actions)}" for name, actions in sorted(bad.items()))
        return failed(
            f"IAM {kind} {identity.name} has inline policies allowing decryption on all KMS keys ({shown}).",
            policies=sorted(bad),
        )
    return passed(f"IAM {kind} {identity.name} has no inline policy allowing decryption on all KMS keys.")


def _inline_escalation(kind: str, identity: Any) -> CheckResult:
    bad = {p.name: escalation_paths(p.document) for p in _inline(identity)}
    named = {name: paths for name, paths in bad.items() if paths}
    if named:
        shown = "; ".join(
            f"{name}: {', '.join(p.name for p in paths)}" for name, paths in sorted(named.items())
        )
        return failed(
            f"IAM {kind} {identity.name} has inline policies allowing privilege escalation ({shown}).",
            policies=sorted(named),
        )
    return passed(f"IAM {kind} {identity.name} has no inline policy allowing privilege escalation.")


def _inline_admin(kind: str, identity: Any) -> CheckResult:
    admin = sorted(p.name for p in _inline(identity) if grants_full_admin(p.document))
    if admin:
        return failed(
            f"IAM {kind} {identity.name} has inline policies allowing * on *: {', '.join(admin)}.",
            policies=admin,
        )
    return passed(f"IAM {kind} {identity.name} has no inline policy allowing * on *.")


def _cloudshell(kind: str, identity: Any) -> CheckResult:
    attached = [
        arn for arn in identity.attached_policy_arns if arn.endswith(f":aws:{CLOUDSHELL_FULL_ACCESS}")
    ]
    if attached:
        return failed(f"IAM {kind} {identity.name} has AWSCloudShellFullAccess attached.", policies=attached)
    return passed(f"IAM {kind} {identity.name} does not have AWSCloudShellFullAccess attached.")


def _register_identity_checks(kind: str, resource_type: str, collector_id: str) -> None:
    """The same four checks for users, roles and groups (Security Hub evaluates each kind)."""
    collectors = (collector_id,)

    @check(
        f"iam_{kind}_inline_policy_no_kms_decrypt_on_all_keys",
        service="iam",
        resource_type=resource_type,
        severity=Severity.MEDIUM,
        collectors=collectors,
    )
    def inline_kms(identity: Any, ctx: CheckContext) -> CheckResult:
        """FAIL when an inline policy allows kms:Decrypt or kms:ReEncryptFrom on all keys (KMS.2)."""
        return _inline_kms(kind, identity)

    @check(
        f"iam_{kind}_inline_policy_no_privilege_escalation",
        service="iam",
        resource_type=resource_type,
        severity=Severity.HIGH,
        collectors=collectors,
    )
    def inline_escalation(identity: Any, ctx: CheckContext) -> CheckResult:
        """FAIL when an inline policy grants a known privilege-escalation action set on ``*``."""
        return _inline_escalation(kind, identity)

    @check(
        f"iam_{kind}_inline_policy_no_full_admin_privileges",
        service="iam",
        resource_type=resource_type,
        severity=Severity.HIGH,
        collectors=collectors,
    )
    def inline_admin(identity: Any, ctx: CheckContext) -> CheckResult:
        """FAIL when an inline policy allows ``*`` on ``*`` (IAM.1 does not look at inline policies)."""
        return _inline_admin(kind, identity)

    @check(
        f"iam_{kind}_no_cloudshell_full_access",
        service="iam",
        resource_type=resource_type,
        severity=Severity.MEDIUM,
        collectors=collectors,
    )
    def cloudshell(identity: Any, ctx: CheckContext) -> CheckResult:
        """FAIL when the AWS managed AWSCloudShellFullAccess policy is attached (IAM.27)."""
        return _cloudshell(kind, identity)


for _kind, _resource_type, _collector in IDENTITIES:
    _register_identity_checks(_kind, _resource_type, _collector)


__all__ = ["CLOUDSHELL_FULL_ACCESS", "IDENTITIES"]
