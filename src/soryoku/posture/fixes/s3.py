"""S3 fixes: bucket and account Block Public Access, versioning, default encryption with AWS KMS."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from soryoku.posture.fixes.base import ApiCall, Aws, Change, FixTarget, error_code, fix

ALL_BLOCKED = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
_NO_BLOCK = "NoSuchPublicAccessBlockConfiguration"


def _bucket(target: FixTarget) -> str:
    return target.resource_uid.rsplit(":", 1)[-1]


def _block_public_access(service: str, region: str, client: Any, owner: dict[str, str]) -> list[Change]:
    """Turn on all four BPA settings for ``owner`` (``{"Bucket": …}`` on s3, ``{"AccountId": …}`` on
    s3control: the two APIs are the same apart from that parameter)."""
    try:
        before: dict[str, Any] | None = dict(
            client.get_public_access_block(**owner)["PublicAccessBlockConfiguration"]
        )
    except ClientError as exc:
        if error_code(exc) != _NO_BLOCK:
            raise
        before = None
    if before == ALL_BLOCKED:
        return []
    call = ApiCall(
        service, region, "put_public_access_block", {**owner, "PublicAccessBlockConfiguration": ALL_BLOCKED}
    )
    undo = (
        ApiCall(service, region, "delete_public_access_block", dict(owner))
        if before is None
        else ApiCall(
            service, region, "put_public_access_block", {**owner, "PublicAccessBlockConfiguration": before}
        )
    )
    return [Change(call, before, ALL_BLOCKED, undo)]


@fix("s3_bucket_level_public_access_block", service="s3", summary="Turn on all four bucket BPA settings")
def bucket_public_access_block(target: FixTarget, aws: Aws) -> list[Change]:
    """Put a bucket-level Block Public Access configuration with all four settings on."""
    client = aws.client("s3", target.region)
    return _block_public_access("s3", target.region, client, {"Bucket": _bucket(target)})


@fix("s3_account_level_public_access_block", service="s3", summary="Turn on all four account BPA settings")
def account_public_access_block(target: FixTarget, aws: Aws) -> list[Change]:
    """Put the account-level (S3 Control) Block Public Access configuration with all four settings on."""
    client = aws.client("s3control", target.region)
    account = target.account_id or aws.account_id
    return _block_public_access("s3control", target.region, client, {"AccountId": account})


@fix("s3_bucket_versioning_enabled", service="s3", summary="Enable bucket versioning")
def bucket_versioning(target: FixTarget, aws: Aws) -> list[Change]:
    """Enable versioning (undo suspends it: a bucket that had versioning can never be unversioned)."""
    bucket = _bucket(target)
    status = aws.client("s3", target.region).get_bucket_versioning(Bucket=bucket).get("Status")
    if status == "Enabled":
        return []
    call = ApiCall(
        "s3",
        target.region,
        "put_bucket_versioning",
        {"Bucket": bucket, "VersioningConfiguration": {"Status": "Enabled"}},
    )
    undo = ApiCall(
        "s3",
        target.region,
        "put_bucket_versioning",
        {"Bucket": bucket, "VersioningConfiguration": {"Status": "Suspended"}},
    )
    note = "undo suspends versioning; object versions written meanwhile are kept"
    return [Change(call, {"Status": status or "Unversioned"}, {"Status": "Enabled"}, undo, note=note)]


KMS_DEFAULT = {
    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}]
}


@fix(
    "s3_bucket_default_encryption_kms",
    service="s3",
    summary="Default-encrypt new objects with the aws/s3 KMS key",
)
def bucket_default_encryption(target: FixTarget, aws: Aws) -> list[Change]:
    """Set default encryption to SSE-KMS with the AWS managed key (existing objects are unchanged)."""
    bucket = _bucket(target)
    s3 = aws.client("s3", target.region)
    try:
        before: dict[str, Any] | None = {
            "Rules": s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        }
    except ClientError as exc:
        if error_code(exc) != "ServerSideEncryptionConfigurationNotFoundError":
            raise
        before = None
    rules = (before or {}).get("Rules", [])
    if any(
        r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm", "").startswith("aws:kms")
        for r in rules
    ):
        return []
    call = ApiCall(
        "s3",
        target.region,
        "put_bucket_encryption",
        {"Bucket": bucket, "ServerSideEncryptionConfiguration": KMS_DEFAULT},
    )
    undo = (
        ApiCall("s3", target.region, "delete_bucket_encryption", {"Bucket": bucket})
        if before is None
        else ApiCall(
            "s3",
            target.region,
            "put_bucket_encryption",
            {"Bucket": bucket, "ServerSideEncryptionConfiguration": before},
        )
    )
    return [Change(call, before, KMS_DEFAULT, undo, note="applies to objects written from now on")]
