"""IAM account-level settings: the password policy, server certificates, the root credential-report row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector
from soryoku.inventory.iam import AccessKey, credential_report, parse_credential_report, parse_time

ROOT_ROW = "<root_account>"


class CredentialReportIncompleteError(BotoCoreError):  # type: ignore[misc]  # botocore is untyped
    """The credential report lacks a row the checks need (e.g. an endpoint that does not report root)."""

    fmt = "the credential report has no {row} row: {why}"


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """The account password policy for IAM users; ``present=False`` when none is set (AWS defaults)."""

    arn: str
    region: str
    account_id: str
    present: bool
    minimum_length: int = 0
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False
    max_age_days: int | None = None
    reuse_prevention: int | None = None
    hard_expiry: bool = False

    @property
    def name(self) -> str:
        """The setting's display name."""
        return "account-password-policy"


@dataclass(frozen=True, slots=True)
class ServerCertificate:
    """An SSL/TLS server certificate stored in IAM and its expiry."""

    name: str
    arn: str
    region: str
    expiration: datetime | None
    uploaded: datetime | None


@dataclass(frozen=True, slots=True)
class RootCredentials:
    """The root user's row of the credential report: password and access-key use."""

    arn: str
    region: str
    password_enabled: bool | None
    password_last_used: datetime | None
    mfa_active: bool
    access_keys: tuple[AccessKey, ...] = ()

    @property
    def name(self) -> str:
        """The root user's display name."""
        return ROOT_ROW

    @property
    def last_used(self) -> datetime | None:
        """The latest use of the root password or of a root access key, if any was recorded."""
        uses = [self.password_last_used, *(k.last_used for k in self.access_keys)]
        known = [u for u in uses if u is not None]
        return max(known) if known else None


# -- transforms (pure) --


def _policy_arn(partition: str, account_id: str) -> str:
    return f"arn:{partition}:iam::{account_id}:account-password-policy"


def password_policy_from(
    raw: Mapping[str, Any] | None, account_id: str, partition: str, region: str
) -> PasswordPolicy:
    """GetAccountPasswordPolicy's ``PasswordPolicy`` (None when no policy is set) as the model."""
    arn = _policy_arn(partition, account_id)
    if raw is None:
        return PasswordPolicy(arn, region, account_id, present=False)
    return PasswordPolicy(
        arn=arn,
        region=region,
        account_id=account_id,
        present=True,
        minimum_length=int(raw.get("MinimumPasswordLength", 0)),
        require_symbols=bool(raw.get("RequireSymbols", False)),
        require_numbers=bool(raw.get("RequireNumbers", False)),
        require_uppercase=bool(raw.get("RequireUppercaseCharacters", False)),
        require_lowercase=bool(raw.get("RequireLowercaseCharacters", False)),
        max_age_days=int(raw["MaxPasswordAge"]) if raw.get("MaxPasswordAge") else None,
        reuse_prevention=int(raw["PasswordReusePrevention"]) if raw.get("PasswordReusePrevention") else None,
        hard_expiry=bool(raw.get("HardExpiry", False)),
    )


def certificates_from(items: Iterable[Mapping[str, Any]], region: str) -> tuple[ServerCertificate, ...]:
    """ListServerCertificates metadata as ServerCertificate models."""
    return tuple(
        sorted(
            (
                ServerCertificate(
                    name=str(c["ServerCertificateName"]),
                    arn=str(c["Arn"]),
                    region=region,
                    expiration=c.get("Expiration"),
                    uploaded=c.get("UploadDate"),
                )
                for c in items
            ),
            key=lambda c: c.name,
        )
    )


def root_credentials_from(rows: Iterable[Mapping[str, str]], region: str) -> RootCredentials | None:
    """The ``<root_account>`` row of the credential report, or None when the report has none."""
    row = next((r for r in rows if r.get("user") == ROOT_ROW), None)
    if row is None:
        return None
    password = row.get("password_enabled", "")
    keys = tuple(
        AccessKey(
            slot=slot,
            active=row.get(f"access_key_{slot}_active", "false").lower() == "true",
            last_rotated=parse_time(row.get(f"access_key_{slot}_last_rotated")),
            last_used=parse_time(row.get(f"access_key_{slot}_last_used_date")),
        )
        for slot in (1, 2)
    )
    return RootCredentials(
        arn=row.get("arn", ""),
        region=region,
        password_enabled=None if password == "not_supported" else password.lower() == "true",
        password_last_used=parse_time(row.get("password_last_used")),
        mfa_active=row.get("mfa_active", "false").lower() == "true",
        access_keys=tuple(k for k in keys if k.active or k.last_used or k.last_rotated),
    )


# -- get (I/O) --


@collector(
    "iam.password_policy",
    service="iam",
    scope="global",
    actions=("iam:GetAccountPasswordPolicy",),
    description="the account password policy for IAM users",
)
def collect_iam_password_policy(ctx: CollectContext) -> tuple[PasswordPolicy, ...]:
    """The password policy; NoSuchEntity means none is set (a fact, not a failure)."""
    try:
        raw = ctx.client("iam").get_account_password_policy()["PasswordPolicy"]
    except ClientError as exc:
        if error_code(exc) != "NoSuchEntity":
            raise
        raw = None
    return (password_policy_from(raw, ctx.account_id, ctx.partition, ctx.region),)


@collector(
    "iam.server_certificates",
    service="iam",
    scope="global",
    actions=("iam:ListServerCertificates",),
    description="SSL/TLS server certificates stored in IAM",
)
def collect_iam_server_certificates(ctx: CollectContext) -> tuple[ServerCertificate, ...]:
    """Every server certificate's metadata (one paginated listing)."""
    paginator = ctx.client("iam").get_paginator("list_server_certificates")
    items = [c for page in paginator.paginate() for c in page.get("ServerCertificateMetadataList", [])]
    return certificates_from(items, ctx.region)


@collector(
    "iam.root_credentials",
    service="iam",
    scope="global",
    actions=("iam:GenerateCredentialReport", "iam:GetCredentialReport"),
    description="the root user's credential-report row (password and access-key use)",
)
def collect_iam_root_credentials(ctx: CollectContext) -> tuple[RootCredentials, ...]:
    """The root row; a report without one fails the unit, so its checks are NOT_EVALUATED, not PASS."""
    root = root_credentials_from(parse_credential_report(credential_report(ctx)), ctx.region)
    if root is None:
        raise CredentialReportIncompleteError(row=ROOT_ROW, why="the endpoint does not report the root user")
    return (root,)


__all__ = [
    "ROOT_ROW",
    "CredentialReportIncompleteError",
    "PasswordPolicy",
    "RootCredentials",
    "ServerCertificate",
    "certificates_from",
    "collect_iam_password_policy",
    "collect_iam_root_credentials",
    "collect_iam_server_certificates",
    "password_policy_from",
    "root_credentials_from",
]
