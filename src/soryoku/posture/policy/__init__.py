"""The shared IAM policy analyzer: one answer to "public?", "cross-account?", "restricted by what?".

Every posture check that reads a policy document asks this package, so S3, SQS, SNS, KMS, Lambda,
ECR, Secrets Manager, API Gateway, OpenSearch and IAM judge policies the same way. Pure functions
over the JSON document (a mapping, JSON text, or IAM's URL-encoded JSON):

- :mod:`~soryoku.posture.policy.statements` — normalised statements and the conditions that pin
  callers (aws:SourceArn/SourceAccount/SourceOwner, aws:PrincipalOrgID/PrincipalAccount,
  aws:SourceVpc/SourceVpce, aws:SourceIp …);
- :mod:`~soryoku.posture.policy.resource` — resource policies: :func:`analyze_resource_policy`
  (public, cross-account accounts, restrictions) and role trust policies (:func:`external_trusts`,
  :func:`web_identity_trusts`);
- :mod:`~soryoku.posture.policy.identity` — identity policies: full admin, service-wide wildcards,
  ``kms:Decrypt`` on every key, privilege-escalation action sets.
"""

from __future__ import annotations

from soryoku.posture.policy.identity import (
    ESCALATION_PATHS,
    KMS_DECRYPT_ACTIONS,
    EscalationPath,
    allowed_actions,
    allowed_on_all_resources,
    escalation_paths,
    full_admin_statements,
    grants_full_admin,
    kms_decrypt_on_all_keys,
    service_wildcards,
)
from soryoku.posture.policy.resource import (
    Grant,
    ResourcePolicyAccess,
    TrustedAccount,
    WebIdentityTrust,
    analyze_resource_policy,
    external_trusts,
    public_actions,
    web_identity_trusts,
)
from soryoku.posture.policy.statements import (
    RESTRICTING_KEYS,
    Condition,
    PolicyDocument,
    Principal,
    Restriction,
    Statement,
    has_condition,
    load_document,
    matches,
    restrictions,
    statements,
)

__all__ = [
    "ESCALATION_PATHS",
    "KMS_DECRYPT_ACTIONS",
    "RESTRICTING_KEYS",
    "Condition",
    "EscalationPath",
    "Grant",
    "PolicyDocument",
    "Principal",
    "ResourcePolicyAccess",
    "Restriction",
    "Statement",
    "TrustedAccount",
    "WebIdentityTrust",
    "allowed_actions",
    "allowed_on_all_resources",
    "analyze_resource_policy",
    "escalation_paths",
    "external_trusts",
    "full_admin_statements",
    "grants_full_admin",
    "has_condition",
    "kms_decrypt_on_all_keys",
    "load_document",
    "matches",
    "public_actions",
    "restrictions",
    "service_wildcards",
    "statements",
    "web_identity_trusts",
]
