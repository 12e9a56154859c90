"""IAM: users (credential report + authorization details), managed policies, and the root account."""

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
    """The account's root user, from GetAccountSummary (moto's credential report has no root row)."""

    arn: str
    region: str
    access_keys_present: bool
    mfa_enabled: bool

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
            )
        )
    return tuple(sorted(users, key=lambda u: u.name))


def _document(raw: Any) -> Mapping[str, Any]:
    if isinstance(raw, str):
        parsed: Mapping[str, Any] = json.loads(unquote(raw))
        return parsed
    return dict(raw or {})


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
    summary: Mapping[str, int], account_id: str, partition: str, region: str
) -> RootAccount:
    """GetAccountSummary's SummaryMap as the RootAccount model."""
    return RootAccount(
        arn=f"arn:{partition}:iam::{account_id}:root",
        region=region,
        access_keys_present=int(summary.get("AccountAccessKeysPresent", 0)) > 0,
        mfa_enabled=int(summary.get("AccountMFAEnabled", 0)) > 0,
    )


# -- get (I/O) --


def _authorization_details(ctx: CollectContext, filters: list[str]) -> dict[str, list[Any]]:
    merged: dict[str, list[Any]] = {"UserDetailList": [], "Policies": []}
    paginator = ctx.client("iam").get_paginator("get_account_authorization_details")
    for page in paginator.paginate(Filter=filters):
        for key, items in merged.items():
            items.extend(page.get(key, []))
    return merged


def _credential_report(ctx: CollectContext) -> bytes:
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
    rows = parse_credential_report(_credential_report(ctx))
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
    "iam.root",
    service="iam",
    scope="global",
    actions=("iam:GetAccountSummary",),
    description="root user access keys and MFA (account summary)",
)
def collect_iam_root(ctx: CollectContext) -> tuple[RootAccount, ...]:
    """The root user's facts from GetAccountSummary."""
    summary = ctx.client("iam").get_account_summary()["SummaryMap"]
    return (root_from_summary(summary, ctx.account_id, ctx.partition, ctx.region),)


__all__ = [
    "AccessKey",
    "IamPolicy",
    "IamUser",
    "RootAccount",
    "collect_iam_policies",
    "collect_iam_root",
    "collect_iam_users",
    "parse_credential_report",
    "parse_time",
    "policies_from_details",
    "root_from_summary",
    "users_from_report",
]
