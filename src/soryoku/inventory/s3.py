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
_NO_ENCRYPTION = {"ServerSideEncryptionConfigurationNotFoundError"}
_NO_LIFECYCLE = {"NoSuchLifecycleConfiguration"}
_NO_LOCK = {"ObjectLockConfigurationNotFoundError"}


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
    owner_id: str | None = None


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


@dataclass(frozen=True, slots=True)
class S3BucketSettings:
    """A bucket's data-protection settings: versioning, encryption, logging, lifecycle, events, lock.

    ``versioning`` is ``Enabled``, ``Suspended`` or None (never enabled); ``encryption_algorithms``
    lists the default-encryption SSE algorithms (``AES256``, ``aws:kms``, ``aws:kms:dsse``).
    """

    name: str
    arn: str
    region: str
    versioning: str | None = None
    mfa_delete: bool = False
    encryption_algorithms: tuple[str, ...] = ()
    logging_target: str | None = None
    lifecycle_rules_enabled: int = 0
    notification_destinations: tuple[str, ...] = ()
    object_lock: bool = False


@dataclass(frozen=True, slots=True)
class S3AccessPoint:
    """An S3 access point and its own Block Public Access configuration."""

    name: str
    arn: str
    region: str
    bucket: str
    network_origin: str
    public_access_block: PublicAccessBlock | None


@dataclass(frozen=True, slots=True)
class S3MultiRegionAccessPoint:
    """A Multi-Region Access Point (an account-level resource) and its Block Public Access settings."""

    name: str
    arn: str
    region: str
    alias: str
    public_access_block: PublicAccessBlock | None


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
    owner_id: str | None = None,
) -> S3Bucket:
    """Build an S3Bucket from the raw answers of its four calls."""
    return S3Bucket(
        name=name,
        arn=f"arn:{partition}:s3:::{name}",
        region=region,
        acl_grants=grants_from_acl(grants),
        policy=json.loads(policy_text) if policy_text else None,
        public_access_block=public_access_block_from(block),
        owner_id=owner_id,
    )


def notification_destinations_from(config: Mapping[str, Any]) -> tuple[str, ...]:
    """GetBucketNotificationConfiguration as ``kind:target`` strings (EventBridge has no target)."""
    destinations = [
        f"{kind}:{entry.get(key, '')}"
        for kind, section, key in (
            ("sqs", "QueueConfigurations", "QueueArn"),
            ("sns", "TopicConfigurations", "TopicArn"),
            ("lambda", "LambdaFunctionConfigurations", "LambdaFunctionArn"),
        )
        for entry in config.get(section, []) or []
    ]
    if "EventBridgeConfiguration" in config:
        destinations.append("eventbridge")
    return tuple(destinations)


def settings_from(
    name: str,
    region: str,
    partition: str,
    *,
    versioning: Mapping[str, Any],
    encryption: Mapping[str, Any] | None,
    logging: Mapping[str, Any],
    lifecycle: Mapping[str, Any] | None,
    notifications: Mapping[str, Any],
    object_lock: Mapping[str, Any] | None,
) -> S3BucketSettings:
    """Build an S3BucketSettings from the raw answers of its six calls (None = not configured)."""
    rules = (encryption or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    algorithms = tuple(
        str(r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm", ""))
        for r in rules
        if r.get("ApplyServerSideEncryptionByDefault")
    )
    target = logging.get("LoggingEnabled", {}).get("TargetBucket")
    lock = (object_lock or {}).get("ObjectLockConfiguration", {})
    return S3BucketSettings(
        name=name,
        arn=f"arn:{partition}:s3:::{name}",
        region=region,
        versioning=versioning.get("Status"),
        mfa_delete=versioning.get("MFADelete") == "Enabled",
        encryption_algorithms=algorithms,
        logging_target=str(target) if target else None,
        lifecycle_rules_enabled=sum(
            1 for rule in (lifecycle or {}).get("Rules", []) if rule.get("Status") == "Enabled"
        ),
        notification_destinations=notification_destinations_from(notifications),
        object_lock=lock.get("ObjectLockEnabled") == "Enabled",
    )


def access_point_from(
    entry: Mapping[str, Any], detail: Mapping[str, Any], region: str, partition: str, account_id: str
) -> S3AccessPoint:
    """An access point from its ListAccessPoints entry and GetAccessPoint answer."""
    name = str(entry["Name"])
    arn = entry.get("AccessPointArn") or f"arn:{partition}:s3:{region}:{account_id}:accesspoint/{name}"
    return S3AccessPoint(
        name=name,
        arn=str(arn),
        region=region,
        bucket=str(entry.get("Bucket", "")),
        network_origin=str(entry.get("NetworkOrigin", detail.get("NetworkOrigin", ""))),
        public_access_block=public_access_block_from(detail.get("PublicAccessBlockConfiguration")),
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


def _list_buckets(ctx: CollectContext) -> list[Mapping[str, Any]]:
    listing = ctx.client("s3").get_paginator("list_buckets")
    return [entry for page in listing.paginate() for entry in page.get("Buckets", [])]


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
    entries = _list_buckets(ctx)

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
            acl.get("Owner", {}).get("ID"),
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


@collector(
    "s3.bucket_settings",
    service="s3",
    scope="global",
    actions=(
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation",
        "s3:GetBucketVersioning",
        "s3:GetEncryptionConfiguration",
        "s3:GetBucketLogging",
        "s3:GetLifecycleConfiguration",
        "s3:GetBucketNotification",
        "s3:GetBucketObjectLockConfiguration",
    ),
    description="per-bucket versioning, MFA delete, encryption, logging, lifecycle, events, object lock",
)
def collect_s3_bucket_settings(ctx: CollectContext) -> tuple[S3BucketSettings, ...]:
    """Every bucket's data-protection settings (six detail calls per bucket)."""

    def detail(entry: Mapping[str, Any]) -> S3BucketSettings:
        name = str(entry["Name"])
        region = _bucket_region(ctx, entry)
        s3 = ctx.client("s3", region)
        return settings_from(
            name,
            region,
            ctx.partition,
            versioning=s3.get_bucket_versioning(Bucket=name),
            encryption=_optional(s3.get_bucket_encryption, _NO_ENCRYPTION, Bucket=name),
            logging=s3.get_bucket_logging(Bucket=name),
            lifecycle=_optional(s3.get_bucket_lifecycle_configuration, _NO_LIFECYCLE, Bucket=name),
            notifications=s3.get_bucket_notification_configuration(Bucket=name),
            object_lock=_optional(s3.get_object_lock_configuration, _NO_LOCK, Bucket=name),
        )

    return tuple(sorted(ctx.map(detail, _list_buckets(ctx)), key=lambda b: b.name))


@collector(
    "s3.access_points",
    service="s3control",
    scope="regional",
    actions=("s3:ListAccessPoints", "s3:GetAccessPoint"),
    description="S3 access points of the region with their Block Public Access settings (S3 Control)",
)
def collect_s3_access_points(ctx: CollectContext) -> tuple[S3AccessPoint, ...]:
    """The region's access points: list them, then read each one's Block Public Access."""
    s3control = ctx.client("s3control")
    entries: list[Mapping[str, Any]] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {"AccountId": ctx.account_id}
        if token:
            params["NextToken"] = token
        page = s3control.list_access_points(**params)
        entries.extend(page.get("AccessPointList", []))
        token = page.get("NextToken")
        if not token:
            break

    def detail(entry: Mapping[str, Any]) -> S3AccessPoint:
        answer = s3control.get_access_point(AccountId=ctx.account_id, Name=entry["Name"])
        return access_point_from(entry, answer, ctx.region, ctx.partition, ctx.account_id)

    return tuple(sorted(ctx.map(detail, entries), key=lambda p: p.name))


# Multi-Region Access Point requests are served by the control plane in us-west-2 only.
MRAP_CONTROL_REGION = "us-west-2"


def multi_region_access_point_from(
    raw: Mapping[str, Any], partition: str, account_id: str, region: str
) -> S3MultiRegionAccessPoint:
    """A ListMultiRegionAccessPoints entry as the model."""
    alias = str(raw.get("Alias", "") or raw.get("Name", ""))
    return S3MultiRegionAccessPoint(
        name=str(raw["Name"]),
        arn=f"arn:{partition}:s3::{account_id}:accesspoint/{alias}",
        region=region,
        alias=alias,
        public_access_block=public_access_block_from(raw.get("PublicAccessBlock")),
    )


@collector(
    "s3.multi_region_access_points",
    service="s3control",
    scope="global",
    actions=("s3:ListMultiRegionAccessPoints",),
    description="S3 Multi-Region Access Points with their Block Public Access settings (S3 Control)",
)
def collect_s3_multi_region_access_points(ctx: CollectContext) -> tuple[S3MultiRegionAccessPoint, ...]:
    """The account's Multi-Region Access Points (listed through the us-west-2 control plane)."""
    s3control = ctx.client("s3control", MRAP_CONTROL_REGION)
    entries: list[Mapping[str, Any]] = []
    params: dict[str, Any] = {"AccountId": ctx.account_id}
    while True:
        page = s3control.list_multi_region_access_points(**params)
        entries.extend(page.get("AccessPoints", []))
        token = page.get("NextToken")
        if not token:
            break
        params["NextToken"] = token
    points = (multi_region_access_point_from(e, ctx.partition, ctx.account_id, ctx.region) for e in entries)
    return tuple(sorted(points, key=lambda p: p.name))


__all__ = [
    "ALL_USERS",
    "AUTHENTICATED_USERS",
    "AclGrant",
    "PublicAccessBlock",
    "S3AccessPoint",
    "S3AccountPublicAccessBlock",
    "S3Bucket",
    "S3BucketSettings",
    "S3MultiRegionAccessPoint",
    "access_point_from",
    "bucket_from",
    "collect_s3_access_points",
    "collect_s3_account_public_access_block",
    "collect_s3_bucket_settings",
    "collect_s3_buckets",
    "collect_s3_multi_region_access_points",
    "grants_from_acl",
    "multi_region_access_point_from",
    "notification_destinations_from",
    "public_access_block_from",
    "settings_from",
]
