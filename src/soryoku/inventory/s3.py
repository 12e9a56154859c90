"""S3: buckets with their ACL, policy and block-public-access, and the account-level block."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
_NO_POLICY = {"NoSuchBucketPolicy"}
_NO_BLOCK = {"NoSuchPublicAccessBlockConfiguration"}


@dataclass(frozen=True, slots=True)
class PublicAccessBlock:
    """The four S3 Block Public Access settings (bucket or account level)."""

    block_public_acls: bool = False
    ignore_public_acls: bool = False
    block_public_policy: bool = False
    restrict_public_buckets: bool = False

    @property
    def all_enabled(self) -> bool:
        """True when all four settings are on."""
        return (
            self.block_public_acls
            and self.ignore_public_acls
            and self.block_public_policy
            and self.restrict_public_buckets
        )

    @property
    def disabled_settings(self) -> tuple[str, ...]:
        """The names of the settings that are off."""
        return tuple(
            name
            for name, on in (
                ("BlockPublicAcls", self.block_public_acls),
                ("IgnorePublicAcls", self.ignore_public_acls),
                ("BlockPublicPolicy", self.block_public_policy),
                ("RestrictPublicBuckets", self.restrict_public_buckets),
            )
            if not on
        )


@dataclass(frozen=True, slots=True)
class AclGrant:
    """One ACL grant: who (canonical id or group URI) and what permission."""

    grantee: str
    permission: str


@dataclass(frozen=True, slots=True)
class S3Bucket:
    """A general purpose bucket and what decides whether it is public."""

    name: str
    arn: str
    region: str
    acl_grants: tuple[AclGrant, ...] = ()
    policy: Mapping[str, Any] | None = None
    public_access_block: PublicAccessBlock | None = None


@dataclass(frozen=True, slots=True)
class S3AccountPublicAccessBlock:
    """The account-level S3 Block Public Access configuration (None when never set)."""

    arn: str
    region: str
    account_id: str
    configuration: PublicAccessBlock | None

    @property
    def name(self) -> str:
        """The account id (the resource is the account)."""
        return self.account_id


# -- transforms (pure) --


def public_access_block_from(config: Mapping[str, Any] | None) -> PublicAccessBlock | None:
    """A PublicAccessBlockConfiguration dict as the model (None stays None)."""
    if config is None:
        return None
    return PublicAccessBlock(
        block_public_acls=bool(config.get("BlockPublicAcls", False)),
        ignore_public_acls=bool(config.get("IgnorePublicAcls", False)),
        block_public_policy=bool(config.get("BlockPublicPolicy", False)),
        restrict_public_buckets=bool(config.get("RestrictPublicBuckets", False)),
    )


def grants_from_acl(grants: Iterable[Mapping[str, Any]]) -> tuple[AclGrant, ...]:
    """GetBucketAcl ``Grants`` as AclGrant models."""
    result = []
    for grant in grants:
        grantee = grant.get("Grantee", {})
        who = grantee.get("URI") or grantee.get("ID") or grantee.get("EmailAddress") or ""
        result.append(AclGrant(grantee=str(who), permission=str(grant.get("Permission", ""))))
    return tuple(result)


def bucket_from(
    name: str,
    region: str,
    partition: str,
    grants: Iterable[Mapping[str, Any]],
    policy_text: str | None,
    block: Mapping[str, Any] | None,
) -> S3Bucket:
    """Build an S3Bucket from the raw answers of its four calls."""
    return S3Bucket(
        name=name,
        arn=f"arn:{partition}:s3:::{name}",
        region=region,
        acl_grants=grants_from_acl(grants),
        policy=json.loads(policy_text) if policy_text else None,
        public_access_block=public_access_block_from(block),
    )


# -- get (I/O) --


def _bucket_region(ctx: CollectContext, entry: Mapping[str, Any]) -> str:
    if entry.get("BucketRegion"):
        return str(entry["BucketRegion"])
    location = ctx.client("s3").get_bucket_location(Bucket=entry["Name"]).get("LocationConstraint")
    return str(location or "us-east-1")


def _optional(call: Any, missing: set[str], **params: Any) -> Any:
    try:
        return call(**params)
    except ClientError as exc:
        if error_code(exc) in missing:
            return None
        raise


@collector(
    "s3.buckets",
    service="s3",
    scope="global",
    actions=(
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation",
        "s3:GetBucketAcl",
        "s3:GetBucketPolicy",
        "s3:GetBucketPublicAccessBlock",
    ),
    description="general purpose buckets with ACL, policy and bucket-level block public access",
)
def collect_s3_buckets(ctx: CollectContext) -> tuple[S3Bucket, ...]:
    """Every bucket of the account: list once, then ACL, policy and public access block per bucket."""
    listing = ctx.client("s3").get_paginator("list_buckets")
    entries = [entry for page in listing.paginate() for entry in page.get("Buckets", [])]

    def detail(entry: Mapping[str, Any]) -> S3Bucket:
        name = str(entry["Name"])
        region = _bucket_region(ctx, entry)
        s3 = ctx.client("s3", region)
        acl = s3.get_bucket_acl(Bucket=name)
        policy = _optional(s3.get_bucket_policy, _NO_POLICY, Bucket=name)
        block = _optional(s3.get_public_access_block, _NO_BLOCK, Bucket=name)
        return bucket_from(
            name,
            region,
            ctx.partition,
            acl.get("Grants", []),
            policy.get("Policy") if policy else None,
            block.get("PublicAccessBlockConfiguration") if block else None,
        )

    buckets = ctx.map(detail, entries)
    return tuple(sorted(buckets, key=lambda b: b.name))


@collector(
    "s3.account_public_access_block",
    service="s3control",
    scope="global",
    actions=("s3:GetAccountPublicAccessBlock",),
    description="account-level S3 Block Public Access (S3 Control)",
)
def collect_s3_account_public_access_block(ctx: CollectContext) -> tuple[S3AccountPublicAccessBlock, ...]:
    """The account's S3 Block Public Access configuration (one S3 Control call)."""
    answer = _optional(ctx.client("s3control").get_public_access_block, _NO_BLOCK, AccountId=ctx.account_id)
    config = answer.get("PublicAccessBlockConfiguration") if answer else None
    return (
        S3AccountPublicAccessBlock(
            arn=ctx.account_arn("s3", "account-public-access-block", region=""),
            region=ctx.region,
            account_id=ctx.account_id,
            configuration=public_access_block_from(config),
        ),
    )


__all__ = [
    "ALL_USERS",
    "AUTHENTICATED_USERS",
    "AclGrant",
    "PublicAccessBlock",
    "S3AccountPublicAccessBlock",
    "S3Bucket",
    "bucket_from",
    "collect_s3_account_public_access_block",
    "collect_s3_buckets",
    "grants_from_acl",
    "public_access_block_from",
]
