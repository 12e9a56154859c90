"""Identity policies: full admin, service-wide wildcards, actions on every resource, escalation paths.

Identity checks read ``Allow`` statements as written, as Security Hub's controls do: conditions do not
excuse them; only an unconditioned ``Deny`` on every resource removes an action.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from soryoku.posture.policy.statements import PolicyDocument, Statement, statements

# -- identity policies --


def _denied_everywhere(items: Iterable[Statement], action: str) -> bool:
    return any(
        not s.allow and not s.conditions and s.on_all_resources and s.allows_action(action) for s in items
    )


def allowed_on_all_resources(document: PolicyDocument, actions: Iterable[str]) -> list[str]:
    """Which of ``actions`` an ``Allow`` grants on every resource (``*``), minus unconditioned denies."""
    items = statements(document)
    allows = [s for s in items if s.allow and s.on_all_resources]
    return sorted(
        {a for a in actions if any(s.allows_action(a) for s in allows) and not _denied_everywhere(items, a)}
    )


def allowed_actions(document: PolicyDocument, actions: Iterable[str]) -> list[str]:
    """Which of ``actions`` an ``Allow`` grants on any resource, minus unconditioned denies on ``*``."""
    items = statements(document)
    allows = [s for s in items if s.allow]
    return sorted(
        {a for a in actions if any(s.allows_action(a) for s in allows) and not _denied_everywhere(items, a)}
    )


def full_admin_statements(document: PolicyDocument) -> tuple[str, ...]:
    """Labels of ``Allow`` statements granting ``*`` (or ``*:*``) on ``*`` — full administrator."""
    return tuple(
        s.label
        for s in statements(document)
        if s.allow
        and not s.not_action
        and "*" in s.resources
        and not s.not_resource
        and any(a in {"*", "*:*"} for a in s.actions)
    )


def grants_full_admin(document: PolicyDocument) -> bool:
    """True when a statement allows every action (``*`` or ``*:*``) on every resource."""
    return bool(full_admin_statements(document))


def service_wildcards(document: PolicyDocument) -> tuple[str, ...]:
    """Service-wide wildcards in ``Allow`` statements (FSBP IAM.21), sorted and lowercased.

    ``"Action": "s3:*"`` gives ``s3:*``; ``"NotAction": "s3:*"`` (everything but one service) gives
    ``NotAction s3:*``. ``*`` and ``*:*`` are full admin, judged by :func:`grants_full_admin`;
    ``ec2:Describe*`` is a prefix wildcard and passes, as the control defines.
    """
    found: set[str] = set()
    for statement in statements(document):
        if not statement.allow:
            continue
        for action in statement.actions:
            service, _, name = action.partition(":")
            if name == "*" and service not in {"", "*"}:
                found.add(f"NotAction {action.lower()}" if statement.not_action else action.lower())
    return tuple(sorted(found))


KMS_DECRYPT_ACTIONS = ("kms:Decrypt", "kms:ReEncryptFrom")


def kms_decrypt_on_all_keys(document: PolicyDocument) -> list[str]:
    """``kms:Decrypt``/``kms:ReEncryptFrom`` allowed on ``Resource: *`` (FSBP KMS.1 and KMS.2)."""
    return allowed_on_all_resources(document, KMS_DECRYPT_ACTIONS)


@dataclass(frozen=True, slots=True)
class EscalationPath:
    """A known set of actions that together let an identity raise its own privileges."""

    name: str
    actions: tuple[str, ...]
    how: str


# After Rhino Security Labs' catalogue of IAM privilege-escalation methods: name | actions | how.
_ESCALATION_TABLE = """
create-policy-version | iam:CreatePolicyVersion | publish an admin version of a policy
set-default-policy-version | iam:SetDefaultPolicyVersion | switch a policy to a wider old version
create-access-key | iam:CreateAccessKey | mint access keys for a more privileged user
create-login-profile | iam:CreateLoginProfile | give another user a console password
update-login-profile | iam:UpdateLoginProfile | reset another user's console password
attach-user-policy | iam:AttachUserPolicy | attach an admin policy to a user
attach-group-policy | iam:AttachGroupPolicy | attach an admin policy to a group
attach-role-policy | iam:AttachRolePolicy | attach an admin policy to a role
put-user-policy | iam:PutUserPolicy | write an admin inline policy on a user
put-group-policy | iam:PutGroupPolicy | write an admin inline policy on a group
put-role-policy | iam:PutRolePolicy | write an admin inline policy on a role
add-user-to-group | iam:AddUserToGroup | join a more privileged group
update-assume-role-policy | iam:UpdateAssumeRolePolicy sts:AssumeRole | trust oneself in a role, assume it
passrole-ec2 | iam:PassRole ec2:RunInstances | run an instance with a privileged role
passrole-lambda-invoke | iam:PassRole lambda:CreateFunction lambda:InvokeFunction | run code in Lambda
passrole-lambda-event-source | iam:PassRole lambda:CreateFunction lambda:CreateEventSourceMapping | \
run code as a role from an event source
update-lambda-code | lambda:UpdateFunctionCode | replace a privileged function's code
passrole-glue-dev-endpoint | iam:PassRole glue:CreateDevEndpoint | open a Glue endpoint as a privileged role
update-glue-dev-endpoint | glue:UpdateDevEndpoint | add an SSH key to a privileged Glue endpoint
passrole-cloudformation | iam:PassRole cloudformation:CreateStack | create a stack acting as a privileged role
passrole-datapipeline | iam:PassRole datapipeline:CreatePipeline datapipeline:PutPipelineDefinition | \
run a pipeline activity with a privileged role
passrole-sagemaker-notebook | iam:PassRole sagemaker:CreateNotebookInstance \
sagemaker:CreatePresignedNotebookInstanceUrl | open a notebook running as a privileged role
"""


def _escalation_paths(table: str) -> tuple[EscalationPath, ...]:
    rows = table.replace("\\\n", " ").strip().splitlines()
    paths = []
    for row in rows:
        name, actions, how = (part.strip() for part in row.split("|"))
        paths.append(EscalationPath(name, tuple(actions.split()), how))
    return tuple(paths)


ESCALATION_PATHS: tuple[EscalationPath, ...] = _escalation_paths(_ESCALATION_TABLE)


def escalation_paths(document: PolicyDocument) -> tuple[EscalationPath, ...]:
    """The :data:`ESCALATION_PATHS` whose every action is allowed on every resource.

    A full administrator (``*`` on ``*``) holds every path. Actions scoped to named resources (e.g.
    ``iam:CreateAccessKey`` on the caller's own user) are not counted, so a self-service policy does
    not read as an escalation.
    """
    wanted = {a for path in ESCALATION_PATHS for a in path.actions}
    granted = {a.lower() for a in allowed_on_all_resources(document, wanted)}
    return tuple(p for p in ESCALATION_PATHS if all(a.lower() in granted for a in p.actions))


__all__ = [
    "ESCALATION_PATHS",
    "KMS_DECRYPT_ACTIONS",
    "EscalationPath",
    "allowed_actions",
    "allowed_on_all_resources",
    "escalation_paths",
    "full_admin_statements",
    "grants_full_admin",
    "kms_decrypt_on_all_keys",
    "service_wildcards",
]
