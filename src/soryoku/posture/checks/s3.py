"""S3 checks: public read/write through ACL or policy, bucket- and account-level Block Public Access."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from soryoku.core.severity import Severity
from soryoku.inventory.s3 import (
    ALL_USERS,
    AUTHENTICATED_USERS,
    PublicAccessBlock,
    S3AccountPublicAccessBlock,
    S3Bucket,
)
from soryoku.posture.policy import public_actions
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

BUCKETS = "s3.buckets"
ACCOUNT_BLOCK = "s3.account_public_access_block"
PUBLIC_GROUPS = {ALL_USERS: "AllUsers", AUTHENTICATED_USERS: "AuthenticatedUsers"}
READ_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketVersions")
WRITE_ACTIONS = (
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:PutObjectAcl",
    "s3:PutBucketAcl",
    "s3:PutBucketPolicy",
)
READ_PERMISSIONS = {"READ", "FULL_CONTROL"}
WRITE_PERMISSIONS = {"WRITE", "WRITE_ACP", "FULL_CONTROL"}


def effective_block(bucket: PublicAccessBlock | None, account: PublicAccessBlock | None) -> PublicAccessBlock:
    """What S3 enforces: a setting is on when it is on at the bucket or at the account level."""
    b = bucket or PublicAccessBlock()
    a = account or PublicAccessBlock()
    return PublicAccessBlock(
        block_public_acls=b.block_public_acls or a.block_public_acls,
        ignore_public_acls=b.ignore_public_acls or a.ignore_public_acls,
        block_public_policy=b.block_public_policy or a.block_public_policy,
        restrict_public_buckets=b.restrict_public_buckets or a.restrict_public_buckets,
    )


def public_policy_actions(policy: Mapping[str, Any] | None, actions: tuple[str, ...]) -> list[str]:
    """The ``actions`` the bucket policy allows to anyone (the shared policy analyzer decides)."""
    return public_actions(policy, actions)


def public_acl_grants(bucket: S3Bucket, permissions: set[str]) -> list[str]:
    """``Group:PERMISSION`` for each ACL grant to everyone or to any AWS user with one of ``permissions``."""
    return sorted(
        f"{PUBLIC_GROUPS[g.grantee]}:{g.permission}"
        for g in bucket.acl_grants
        if g.grantee in PUBLIC_GROUPS and g.permission in permissions
    )


def _public_access(
    bucket: S3Bucket, ctx: CheckContext, kind: str, actions: tuple[str, ...], permissions: set[str]
) -> CheckResult:
    account: S3AccountPublicAccessBlock = ctx.one(ACCOUNT_BLOCK)
    block = effective_block(bucket.public_access_block, account.configuration)
    grants = public_acl_grants(bucket, permissions)
    policy_actions = public_policy_actions(bucket.policy, actions)
    vectors = []
    if grants and not block.ignore_public_acls:
        vectors.append(f"its ACL grants {', '.join(grants)}")
    if policy_actions and not block.restrict_public_buckets:
        vectors.append(f"its bucket policy allows {', '.join(policy_actions)} to everyone")
    if vectors:
        return failed(
            f"Bucket {bucket.name} allows public {kind} access: {'; '.join(vectors)}.",
            acl_grants=grants,
            policy_actions=policy_actions,
        )
    if grants or policy_actions:
        return passed(
            f"Bucket {bucket.name} has public {kind} grants, but Block Public Access neutralises them.",
            exposure="neutralised by Block Public Access",
            acl_grants=grants,
            policy_actions=policy_actions,
        )
    return passed(f"Bucket {bucket.name} grants no public {kind} access by ACL or policy.")


@check(
    "s3_bucket_public_read_access",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.CRITICAL,
    collectors=(BUCKETS, ACCOUNT_BLOCK),
)
def s3_bucket_public_read_access(bucket: S3Bucket, ctx: CheckContext) -> CheckResult:
    """FAIL when the ACL or the policy lets anyone read, and Block Public Access does not stop it."""
    return _public_access(bucket, ctx, "read", READ_ACTIONS, READ_PERMISSIONS)


@check(
    "s3_bucket_public_write_access",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.CRITICAL,
    collectors=(BUCKETS, ACCOUNT_BLOCK),
)
def s3_bucket_public_write_access(bucket: S3Bucket, ctx: CheckContext) -> CheckResult:
    """FAIL when the ACL or the policy lets anyone write, and Block Public Access does not stop it."""
    return _public_access(bucket, ctx, "write", WRITE_ACTIONS, WRITE_PERMISSIONS)


@check(
    "s3_bucket_level_public_access_block",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.HIGH,
    collectors=(BUCKETS,),
)
def s3_bucket_level_public_access_block(bucket: S3Bucket, ctx: CheckContext) -> CheckResult:
    """FAIL unless all four Block Public Access settings are on for the bucket itself."""
    block = bucket.public_access_block
    if block is None:
        return failed(f"Bucket {bucket.name} has no bucket-level Block Public Access configuration.")
    if not block.all_enabled:
        off = ", ".join(block.disabled_settings)
        return failed(f"Bucket {bucket.name} has Block Public Access settings off: {off}.", disabled=off)
    return passed(f"Bucket {bucket.name} has all four Block Public Access settings on.")


@check(
    "s3_account_level_public_access_block",
    service="s3",
    resource_type="AwsAccount",
    severity=Severity.MEDIUM,
    collectors=(ACCOUNT_BLOCK,),
)
def s3_account_level_public_access_block(
    account: S3AccountPublicAccessBlock, ctx: CheckContext
) -> CheckResult:
    """FAIL unless all four account-level Block Public Access settings are on."""
    block = account.configuration
    if block is None:
        return failed(
            f"Account {account.account_id} has no account-level S3 Block Public Access configuration."
        )
    if not block.all_enabled:
        off = ", ".join(block.disabled_settings)
        return failed(
            f"Account {account.account_id} has S3 Block Public Access settings off: {off}.", disabled=off
        )
    return passed(f"Account {account.account_id} has all four S3 Block Public Access settings on.")
