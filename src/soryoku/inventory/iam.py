"""IAM identities: users (credential report + authorization details), roles, groups, managed policies, root.

Account-level IAM settings (password policy, server certificates, the root row of the credential
report) are in :mod:`soryoku.inventory.iam_account`.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector

_REPORT_POLL_SECONDS = 0.1
_REPORT_POLL_ATTEMPTS = 20
_REPORT_NOT_READY = {"ReportInProgress", "ReportNotPresent", "ReportExpired"}


@dataclass(frozen=True, slots=True)
class AccessKey:
    """One access key slot of a user, as the credential report shows it."""

    slot: int
    active: bool
    last_rotated: datetime | None
    last_used: datetime | None


@dataclass(frozen=True, slots=True)
class InlinePolicy:
    """An inline policy embedded in a user, role or group, with its document."""

    name: str
    document: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class IamUser:
    """An IAM user: console password, MFA, access keys and directly attached permissions."""

    name: str
    arn: str
    region: str
    created: datetime | None
    password_enabled: bool
    mfa_active: bool
    access_keys: tuple[AccessKey, ...] = ()
    attached_policy_arns: tuple[str, ...] = ()
    inline_policy_names: tuple[str, ...] = ()
    group_names: tuple[str, ...] = ()
    password_last_used: datetime | None = None
    password_last_changed: datetime | None = None
    inline_policies: tuple[InlinePolicy, ...] = ()


@dataclass(frozen=True, slots=True)
class IamRole:
    """An IAM role: who may assume it (trust policy) and what it may do (attached and inline policies)."""

    name: str
    arn: str
    region: str
    path: str
    trust_policy: Mapping[str, Any]
    attached_policy_arns: tuple[str, ...] = ()
    inline_policies: tuple[InlinePolicy, ...] = ()
    created: datetime | None = None

    @property
    def service_linked(self) -> bool:
        """True for roles AWS services create and manage (path ``/aws-service-role/``)."""
        return self.path.startswith("/aws-service-role/")


@dataclass(frozen=True, slots=True)
class IamGroup:
    """An IAM group and the policies its members receive."""

    name: str
    arn: str
    region: str
    attached_policy_arns: tuple[str, ...] = ()
    inline_policies: tuple[InlinePolicy, ...] = ()


@dataclass(frozen=True, slots=True)
class IamPolicy:
    """A managed policy and the document of its default version."""

    name: str
    arn: str
    region: str
    aws_managed: bool
    attachment_count: int
    document: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RootAccount:
    """The account's root user: GetAccountSummary (keys, MFA) and whether its MFA device is virtual."""

    arn: str
    region: str
    access_keys_present: bool
    mfa_enabled: bool
    virtual_mfa: bool = False

    @property
    def name(self) -> str:
        """The root user's display name."""
        return "<root_account>"


# -- transforms (pure) --


def parse_time(value: str | None) -> datetime | None:
    """A credential-report timestamp, or None for ``N/A``/``no_information``/empty."""
    if not value or value in {"N/A", "not_supported", "no_information"}:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_credential_report(content: bytes | str) -> list[dict[str, str]]:
    """The credential report CSV as rows (dicts keyed by the AWS column names)."""
    text = content.decode() if isinstance(content, bytes) else content
    return list(csv.DictReader(io.StringIO(text)))


def users_from_report(
    rows: Iterable[Mapping[str, str]], details: Iterable[Mapping[str, Any]], region: str
) -> tuple[IamUser, ...]:
    """Merge credential-report rows with GetAccountAuthorizationDetails users into IamUser models."""
    by_name = {str(d["UserName"]): d for d in details}
    users: list[IamUser] = []
    for row in rows:
        name = row.get("user", "")
        if not name or name == "<root_account>":
            continue
        detail = by_name.get(name, {})
        keys = tuple(
            AccessKey(
                slot=slot,
                active=row.get(f"access_key_{slot}_active", "false").lower() == "true",
                last_rotated=parse_time(row.get(f"access_key_{slot}_last_rotated")),
                last_used=parse_time(row.get(f"access_key_{slot}_last_used_date")),
            )
            for slot in (1, 2)
            if row.get(f"access_key_{slot}_active", "false").lower() == "true"
            or parse_time(row.get(f"access_key_{slot}_last_rotated")) is not None
        )
        users.append(
            IamUser(
                name=name,
                arn=row.get("arn", "") or str(detail.get("Arn", "")),
                region=region,
                created=parse_time(row.get("user_creation_time")),
                password_enabled=row.get("password_enabled", "false").lower() == "true",
                mfa_active=row.get("mfa_active", "false").lower() == "true",
                access_keys=keys,
                attached_policy_arns=tuple(
                    str(p["PolicyArn"]) for p in detail.get("AttachedManagedPolicies", [])
                ),
                inline_policy_names=tuple(str(p["PolicyName"]) for p in detail.get("UserPolicyList", [])),
                group_names=tuple(str(g) for g in detail.get("GroupList", [])),
                password_last_used=parse_time(row.get("password_last_used")),
                password_last_changed=parse_time(row.get("password_last_changed")),
                inline_policies=inline_policies(detail.get("UserPolicyList", [])),
            )
        )
    return tuple(sorted(users, key=lambda u: u.name))


def _document(raw: Any) -> Mapping[str, Any]:
    if isinstance(raw, str):
        parsed: Mapping[str, Any] = json.loads(unquote(raw))
        return parsed
    return dict(raw or {})


def inline_policies(entries: Iterable[Mapping[str, Any]]) -> tuple[InlinePolicy, ...]:
    """``UserPolicyList``/``RolePolicyList``/``GroupPolicyList`` entries as InlinePolicy models."""
    return tuple(InlinePolicy(str(e["PolicyName"]), _document(e.get("PolicyDocument"))) for e in entries)


def _attached(detail: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(p["PolicyArn"]) for p in detail.get("AttachedManagedPolicies", []))


def roles_from_details(details: Iterable[Mapping[str, Any]], region: str) -> tuple[IamRole, ...]:
    """GetAccountAuthorizationDetails ``RoleDetailList`` entries as IamRole models."""
    roles = [
        IamRole(
            name=str(d["RoleName"]),
            arn=str(d["Arn"]),
            region=region,
            path=str(d.get("Path", "/")),
            trust_policy=_document(d.get("AssumeRolePolicyDocument")),
            attached_policy_arns=_attached(d),
            inline_policies=inline_policies(d.get("RolePolicyList", [])),
            created=_created(d.get("CreateDate")),
        )
        for d in details
    ]
    return tuple(sorted(roles, key=lambda r: r.name))


def groups_from_details(details: Iterable[Mapping[str, Any]], region: str) -> tuple[IamGroup, ...]:
    """GetAccountAuthorizationDetails ``GroupDetailList`` entries as IamGroup models."""
    groups = [
        IamGroup(
            name=str(d["GroupName"]),
            arn=str(d["Arn"]),
            region=region,
            attached_policy_arns=_attached(d),
            inline_policies=inline_policies(d.get("GroupPolicyList", [])),
        )
        for d in details
    ]
    return tuple(sorted(groups, key=lambda g: g.name))


def _created(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return parse_time(str(value)) if value else None


def policies_from_details(details: Iterable[Mapping[str, Any]], region: str) -> tuple[IamPolicy, ...]:
    """GetAccountAuthorizationDetails ``Policies`` entries as IamPolicy models (default version only)."""
    policies: list[IamPolicy] = []
    for item in details:
        default = next((v for v in item.get("PolicyVersionList", []) if v.get("IsDefaultVersion")), None)
        arn = str(item["Arn"])
        policies.append(
            IamPolicy(
                name=str(item.get("PolicyName") or arn.rsplit("/", 1)[-1]),
                arn=arn,
                region=region,
                aws_managed=":aws:policy/" in arn,
                attachment_count=int(item.get("AttachmentCount", 0)),
                document=_document(default.get("Document")) if default else {},
            )
        )
    return tuple(sorted(policies, key=lambda p: p.arn))


def root_from_summary(
    summary: Mapping[str, int],
    account_id: str,
    partition: str,
    region: str,
    virtual_devices: Iterable[Mapping[str, Any]] = (),
) -> RootAccount:
    """GetAccountSummary's SummaryMap (and the assigned virtual MFA devices) as the RootAccount model."""
    arn = f"arn:{partition}:iam::{account_id}:root"
    virtual = any(
        str(d.get("SerialNumber", "")).endswith(":mfa/root-account-mfa-device")
        or str(d.get("User", {}).get("Arn", "")) == arn
        for d in virtual_devices
    )
    return RootAccount(
        arn=arn,
        region=region,
        access_keys_present=int(summary.get("AccountAccessKeysPresent", 0)) > 0,
        mfa_enabled=int(summary.get("AccountMFAEnabled", 0)) > 0,
        virtual_mfa=virtual,
    )


# -- get (I/O) --


def _authorization_details(ctx: CollectContext, filters: list[str]) -> dict[str, list[Any]]:
    merged: dict[str, list[Any]] = {
        "UserDetailList": [],
        "RoleDetailList": [],
        "GroupDetailList": [],
        "Policies": [],
    }
    paginator = ctx.client("iam").get_paginator("get_account_authorization_details")
    for page in paginator.paginate(Filter=filters):
        for key, items in merged.items():
            items.extend(page.get(key, []))
    return merged


def credential_report(ctx: CollectContext) -> bytes:
    iam = ctx.client("iam")
    iam.generate_credential_report()
    for attempt in range(_REPORT_POLL_ATTEMPTS):
        try:
            content: bytes = iam.get_credential_report()["Content"]
            return content
        except ClientError as exc:
            if error_code(exc) not in _REPORT_NOT_READY or attempt == _REPORT_POLL_ATTEMPTS - 1:
                raise
        time.sleep(min(_REPORT_POLL_SECONDS * 2**attempt, 2.0))
        iam.generate_credential_report()
    raise AssertionError("unreachable: the last attempt returns or raises")


@collector(
    "iam.users",
    service="iam",
    scope="global",
    actions=("iam:GenerateCredentialReport", "iam:GetCredentialReport", "iam:GetAccountAuthorizationDetails"),
    description="IAM users with password, MFA, access keys and attached policies",
)
def collect_iam_users(ctx: CollectContext) -> tuple[IamUser, ...]:
    """Users from one credential report plus one authorization-details listing."""
    rows = parse_credential_report(credential_report(ctx))
    details = _authorization_details(ctx, ["User"])["UserDetailList"]
    return users_from_report(rows, details, ctx.region)


@collector(
    "iam.policies",
    service="iam",
    scope="global",
    actions=("iam:GetAccountAuthorizationDetails",),
    description="customer- and AWS-managed policies with their default version",
)
def collect_iam_policies(ctx: CollectContext) -> tuple[IamPolicy, ...]:
    """Managed policies and their default documents (one paginated call)."""
    details = _authorization_details(ctx, ["LocalManagedPolicy", "AWSManagedPolicy"])["Policies"]
    return policies_from_details(details, ctx.region)


@collector(
    "iam.roles",
    service="iam",
    scope="global",
    actions=("iam:GetAccountAuthorizationDetails",),
    description="IAM roles with trust policies, attached and inline policies",
)
def collect_iam_roles(ctx: CollectContext) -> tuple[IamRole, ...]:
    """Roles from one paginated authorization-details listing."""
    return roles_from_details(_authorization_details(ctx, ["Role"])["RoleDetailList"], ctx.region)


@collector(
    "iam.groups",
    service="iam",
    scope="global",
    actions=("iam:GetAccountAuthorizationDetails",),
    description="IAM groups with attached and inline policies",
)
def collect_iam_groups(ctx: CollectContext) -> tuple[IamGroup, ...]:
    """Groups from one paginated authorization-details listing."""
    return groups_from_details(_authorization_details(ctx, ["Group"])["GroupDetailList"], ctx.region)


@collector(
    "iam.root",
    service="iam",
    scope="global",
    actions=("iam:GetAccountSummary", "iam:ListVirtualMFADevices"),
    description="root user access keys and MFA (account summary, assigned virtual MFA devices)",
)
def collect_iam_root(ctx: CollectContext) -> tuple[RootAccount, ...]:
    """The root user's facts from GetAccountSummary and the assigned virtual MFA devices."""
    iam = ctx.client("iam")
    summary = iam.get_account_summary()["SummaryMap"]
    devices = [
        d
        for page in iam.get_paginator("list_virtual_mfa_devices").paginate(AssignmentStatus="Assigned")
        for d in page.get("VirtualMFADevices", [])
    ]
    return (root_from_summary(summary, ctx.account_id, ctx.partition, ctx.region, devices),)


__all__ = [
    "AccessKey",
    "IamGroup",
    "IamPolicy",
    "IamRole",
    "IamUser",
    "InlinePolicy",
    "RootAccount",
    "collect_iam_groups",
    "collect_iam_policies",
    "collect_iam_roles",
    "collect_iam_root",
    "collect_iam_users",
    "credential_report",
    "groups_from_details",
    "inline_policies",
    "parse_credential_report",
    "parse_time",
    "policies_from_details",
    "roles_from_details",
    "root_from_summary",
    "users_from_report",
]
