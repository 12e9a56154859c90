"""The least-privilege IAM policy of a check selection, the scan-role templates, and API→action names.

Every check declares the IAM actions it needs (its collectors' calls plus its own extras);
:func:`policy_documents` turns a selection into identity-policy documents, one statement per IAM
service prefix, packed into as few documents as fit under the managed-policy size limit.
:func:`scan_role_template` and :func:`stackset_template` build the CloudFormation templates kept in
``deploy/``. :func:`iam_action` names the IAM action a botocore call needs (for the coverage test).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from soryoku.posture.registry import Check
from soryoku.posture.selection import required_permissions

POLICY_VERSION = "2012-10-17"
# A customer managed policy holds at most 6,144 characters (whitespace not counted).
MANAGED_POLICY_SIZE_LIMIT = 6144

# botocore service name → IAM action prefix, where they differ.
SERVICE_PREFIXES: Mapping[str, str] = {
    "accessanalyzer": "access-analyzer",
    "apigatewayv2": "apigateway",
    "efs": "elasticfilesystem",
    "elb": "elasticloadbalancing",
    "elbv2": "elasticloadbalancing",
    "es": "es",
    "opensearch": "es",
    "logs": "logs",
    "monitoring": "cloudwatch",
    "s3control": "s3",
    "stepfunctions": "states",
}

# (botocore service, operation) → IAM action, where the action is not "<prefix>:<operation>".
OPERATION_ACTIONS: Mapping[tuple[str, str], str] = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("s3", "ListObjects"): "s3:ListBucket",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3", "GetBucketLifecycle"): "s3:GetLifecycleConfiguration",
    ("s3", "GetBucketNotificationConfiguration"): "s3:GetBucketNotification",
    ("s3", "GetObjectLockConfiguration"): "s3:GetBucketObjectLockConfiguration",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("opensearch", "ListDomainNames"): "es:ListDomainNames",
    ("opensearch", "DescribeDomains"): "es:DescribeDomains",
}

# The REST-style APIs authorised by HTTP verb rather than by operation name.
_VERB_SERVICES = frozenset({"apigateway", "apigatewayv2"})


def iam_action(service: str, operation: str, http_method: str = "GET") -> str:
    """The IAM action a botocore call ``service.operation`` needs (``elbv2``/``DescribeListeners`` →
    ``elasticloadbalancing:DescribeListeners``)."""
    if service in _VERB_SERVICES:
        return f"apigateway:{http_method.upper()}"
    explicit = OPERATION_ACTIONS.get((service, operation))
    if explicit is not None:
        return explicit
    return f"{SERVICE_PREFIXES.get(service, service)}:{operation}"


def _sid(prefix: str) -> str:
    return "Read" + "".join(part.capitalize() for part in prefix.replace("_", "-").split("-"))


def statements(actions: Iterable[str]) -> list[dict[str, Any]]:
    """One Allow statement per IAM service prefix, actions sorted and deduplicated."""
    by_prefix: dict[str, set[str]] = {}
    for action in actions:
        prefix, sep, name = action.partition(":")
        if not sep or not name:
            raise ValueError(f"IAM action {action!r}: expected <service>:<Action>")
        by_prefix.setdefault(prefix, set()).add(action)
    return [
        {"Sid": _sid(prefix), "Effect": "Allow", "Action": sorted(by_prefix[prefix]), "Resource": "*"}
        for prefix in sorted(by_prefix)
    ]


def policy_size(document: Mapping[str, Any]) -> int:
    """The size IAM counts for a policy document: its JSON without whitespace."""
    return len(json.dumps(document, separators=(",", ":")))


def _document(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": POLICY_VERSION, "Statement": list(items)}


def _fit(statement: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """``statement`` split into parts that each fit a document of ``limit`` on its own."""
    if policy_size(_document([statement])) <= limit:
        return [statement]
    actions = statement["Action"]
    if len(actions) < 2:
        raise ValueError(f"statement {statement['Sid']}: one action exceeds the {limit}-character limit")
    half = len(actions) // 2
    parts = []
    for index, chunk in enumerate((actions[:half], actions[half:]), start=1):
        parts.extend(_fit({**statement, "Sid": f"{statement['Sid']}{index}", "Action": chunk}, limit))
    return parts


def policy_documents(
    checks: Iterable[Check], *, limit: int = MANAGED_POLICY_SIZE_LIMIT
) -> list[dict[str, Any]]:
    """The identity-policy documents granting exactly what ``checks`` need, each under ``limit``."""
    return pack(required_permissions(checks), limit=limit)


def pack(actions: Iterable[str], *, limit: int = MANAGED_POLICY_SIZE_LIMIT) -> list[dict[str, Any]]:
    """``actions`` as statements per prefix, packed in order into documents each under ``limit``."""
    documents: list[list[dict[str, Any]]] = [[]]
    for whole in statements(actions):
        for part in _fit(whole, limit):
            if documents[-1] and policy_size(_document([*documents[-1], part])) > limit:
                documents.append([])
            documents[-1].append(part)
    return [_document(items) for items in documents if items]


def document_actions(documents: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """Every action the documents allow, sorted."""
    found: set[str] = set()
    for document in documents:
        for statement in document["Statement"]:
            value = statement["Action"]
            found.update([value] if isinstance(value, str) else value)
    return tuple(sorted(found))


def scan_role_template(actions: Iterable[str]) -> dict[str, Any]:
    """A CloudFormation template: the read-only scan role, trusted by one principal with an ExternalId."""
    documents = pack(actions)
    resources: dict[str, Any] = {
        "ScanRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": {"Ref": "RoleName"},
                "Description": "soryoku posture scan role (read-only, generated from the check registry)",
                "MaxSessionDuration": 3600,
                "AssumeRolePolicyDocument": {
                    "Version": POLICY_VERSION,
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": {"Ref": "TrustedPrincipalArn"}},
                            "Action": "sts:AssumeRole",
                            "Condition": {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}},
                        }
                    ],
                },
            },
        }
    }
    for index, document in enumerate(documents, start=1):
        resources[f"ScanPolicy{index}"] = {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "Description": f"soryoku posture scan permissions, part {index} of {len(documents)}",
                "Roles": [{"Ref": "ScanRole"}],
                "PolicyDocument": document,
            },
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (
            "soryoku posture scan role: the least-privilege read-only permissions of every check. "
            "Generated by `soryoku posture permissions`; do not edit by hand."
        ),
        "Parameters": {
            "TrustedPrincipalArn": {
                "Type": "String",
                "Description": "The IAM principal (role or account root ARN) that runs soryoku.",
                "AllowedPattern": "^arn:aws[a-z-]*:iam::[0-9]{12}:.+$",
            },
            "ExternalId": {
                "Type": "String",
                "Description": "The external id soryoku passes with --external-id.",
                "MinLength": 2,
                "MaxLength": 1224,
                "NoEcho": True,
            },
            "RoleName": {
                "Type": "String",
                "Default": "SoryokuPostureScan",
                "Description": "Name of the scan role.",
            },
        },
        "Resources": resources,
        "Outputs": {
            "ScanRoleArn": {
                "Description": "Pass to `soryoku posture --role-arn`.",
                "Value": {"Fn::GetAtt": ["ScanRole", "Arn"]},
            }
        },
    }


def stackset_template(actions: Iterable[str]) -> dict[str, Any]:
    """A CloudFormation template deploying the scan role to every account of OUs (service-managed)."""
    member = scan_role_template(actions)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (
            "soryoku posture scan role in every member account of the given OUs, through a "
            "service-managed StackSet (deploy from the management or a delegated administrator account). "
            "Generated by `soryoku posture permissions`; do not edit by hand."
        ),
        "Parameters": {
            "TrustedPrincipalArn": member["Parameters"]["TrustedPrincipalArn"],
            "ExternalId": member["Parameters"]["ExternalId"],
            "RoleName": member["Parameters"]["RoleName"],
            "OrganizationalUnitIds": {
                "Type": "CommaDelimitedList",
                "Description": "OU ids (or the root id r-xxxx) whose accounts get the role.",
            },
            "DeploymentRegion": {
                "Type": "String",
                "Default": "us-east-1",
                "Description": "The one region the (global) IAM role stack is created in.",
            },
        },
        "Resources": {
            "ScanRoleStackSet": {
                "Type": "AWS::CloudFormation::StackSet",
                "Properties": {
                    "StackSetName": "soryoku-posture-scan-role",
                    "Description": "soryoku posture scan role in member accounts",
                    "PermissionModel": "SERVICE_MANAGED",
                    "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
                    "Capabilities": ["CAPABILITY_NAMED_IAM"],
                    "OperationPreferences": {"FailureTolerancePercentage": 10, "MaxConcurrentPercentage": 25},
                    "Parameters": [
                        {"ParameterKey": key, "ParameterValue": {"Ref": key}}
                        for key in ("TrustedPrincipalArn", "ExternalId", "RoleName")
                    ],
                    "StackInstancesGroup": [
                        {
                            "DeploymentTargets": {"OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"}},
                            "Regions": [{"Ref": "DeploymentRegion"}],
                        }
                    ],
                    "TemplateBody": json.dumps(member, indent=1, sort_keys=False),
                },
            }
        },
    }


__all__ = [
    "MANAGED_POLICY_SIZE_LIMIT",
    "OPERATION_ACTIONS",
    "SERVICE_PREFIXES",
    "document_actions",
    "iam_action",
    "pack",
    "policy_documents",
    "policy_size",
    "render_template",
    "scan_role_template",
    "stackset_template",
    "statements",
]


def render_template(template: Mapping[str, Any]) -> str:
    """A template as the YAML committed under ``deploy/`` (long-form intrinsics, stable key order)."""
    import yaml

    header = (
        "# Generated from the check registry; regenerate with\n"
        "# SORYOKU_REGEN_DEPLOY=1 pytest tests/posture/test_permissions.py\n"
    )
    return header + yaml.safe_dump(dict(template), sort_keys=False, width=110, allow_unicode=True)
