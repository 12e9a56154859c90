"""S3 access beyond public buckets: HTTPS-only policies, cross-account grants, ACL use, access points
and Multi-Region Access Points."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.s3 import S3AccessPoint, S3Bucket, S3MultiRegionAccessPoint
from soryoku.posture.policy import Statement, matches, statements
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

BUCKETS = "s3.buckets"
ACCESS_POINTS = "s3.access_points"
# The actions FSBP S3.6 forbids granting to other accounts (the control's fixed parameter).
CROSS_ACCOUNT_DENIED_ACTIONS = (
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketPolicy",
    "s3:PutEncryptionConfiguration",
    "s3:PutObjectAcl",
)


def _denies_insecure_transport(statement: Statement, bucket_arn: str) -> bool:
    """A Deny to everyone of every S3 action on the bucket and its objects when SecureTransport is false."""
    if statement.allow or not statement.everyone or statement.not_principal or statement.not_resource:
        return False
    if not statement.covers_pattern("s3:*"):
        return False
    resources = statement.resources
    if not (
        any(matches(r, bucket_arn) for r in resources)
        and any(matches(r, f"{bucket_arn}/any-key") for r in resources)
    ):
        return False
    return any(
        c.base_operator == "bool" and any(v.lower() == "false" for v in c.values)
        for c in statement.condition("aws:SecureTransport")
    )


@check(
    "s3_bucket_secure_transport_policy",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.MEDIUM,
    collectors=(BUCKETS,),
)
def s3_bucket_secure_transport_policy(bucket: S3Bucket, ctx: CheckContext) -> CheckResult:
    """FAIL unless the bucket policy denies every S3 request that does not use HTTPS."""
    if bucket.policy is None:
        return failed(f"Bucket {bucket.name} has no bucket policy, so requests over plain HTTP are allowed.")
    if any(_denies_insecure_transport(s, bucket.arn) for s in statements(bucket.policy)):
        return passed(f"Bucket {bucket.name} denies requests that do not use HTTPS (aws:SecureTransport).")
    return failed(
        f"Bucket {bucket.name}'s policy has no Deny of s3:* on the bucket and its objects "
        "when aws:SecureTransport is false."
    )


def _other_accounts(statement: Statement, account_id: str) -> list[str]:
    """The statement's AWS principals outside ``account_id`` ("*" for everyone, any account)."""
    if statement.not_principal:
        return ["*"]
    found = []
    for principal in statement.principals:
        if principal.everyone:
            found.append("*")
        elif principal.account and principal.account != account_id:
            found.append(principal.account)
    return found


@check(
    "s3_bucket_cross_account_sensitive_actions",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.HIGH,
    collectors=(BUCKETS,),
)
def s3_bucket_cross_account_sensitive_actions(bucket: S3Bucket, ctx: CheckContext) -> CheckResult:
    """FAIL when another account (or everyone) may change the bucket's policy, ACLs or encryption.

    As the control says, only the Principal element counts; conditions are not considered.
    """
    grants: set[str] = set()
    for statement in statements(bucket.policy):
        foreign = _other_accounts(statement, ctx.account_id) if statement.allow else []
        actions = [a for a in CROSS_ACCOUNT_DENIED_ACTIONS if foreign and statement.allows_action(a)]
        grants.update(f"{principal}:{action}" for principal in foreign for action in actions)
    if grants:
        listed = ", ".join(sorted(grants))
        return failed(
            f"Bucket {bucket.name}'s policy grants sensitive actions to other accounts: {listed}.",
            grants=sorted(grants),
        )
    return passed(f"Bucket {bucket.name}'s policy grants no other account policy, ACL or encryption changes.")


@check(
    "s3_bucket_acl_not_used",
    service="s3",
    resource_type="AwsS3Bucket",
    severity=Severity.MEDIUM,
    collectors=(BUCKETS,),
)
def s3_bucket_acl_not_used(bucket: S3Bucket, ctx: CheckContext) -> CheckResult:
    """FAIL when the bucket ACL grants anything to anyone but the bucket owner."""
    others = sorted(
        f"{g.grantee}:{g.permission}"
        for g in bucket.acl_grants
        if not g.grantee or g.grantee != bucket.owner_id
    )
    if others:
        return failed(
            f"Bucket {bucket.name} uses its ACL to grant access: {', '.join(others)}.", grants=others
        )
    return passed(f"Bucket {bucket.name}'s ACL grants access to its owner only.")


@check(
    "s3_access_point_public_access_block",
    service="s3",
    resource_type="AwsS3AccessPoint",
    severity=Severity.CRITICAL,
    collectors=(ACCESS_POINTS,),
)
def s3_access_point_public_access_block(point: S3AccessPoint, ctx: CheckContext) -> CheckResult:
    """FAIL unless all four Block Public Access settings are on for the access point."""
    block = point.public_access_block
    if block is None:
        return failed(f"Access point {point.name} has no Block Public Access configuration.")
    if not block.all_enabled:
        off = ", ".join(block.disabled_settings)
        return failed(f"Access point {point.name} has Block Public Access settings off: {off}.", disabled=off)
    return passed(f"Access point {point.name} has all four Block Public Access settings on.")


@check(
    "s3_multi_region_access_point_public_access_block",
    service="s3",
    resource_type="AwsS3MultiRegionAccessPoint",
    severity=Severity.HIGH,
    collectors=("s3.multi_region_access_points",),
)
def s3_multi_region_access_point_public_access_block(
    point: S3MultiRegionAccessPoint, ctx: CheckContext
) -> CheckResult:
    """FAIL unless all four Block Public Access settings are on for the Multi-Region Access Point."""
    block = point.public_access_block
    if block is None:
        return failed(f"Multi-Region Access Point {point.name} has no Block Public Access configuration.")
    if not block.all_enabled:
        off = ", ".join(block.disabled_settings)
        return failed(
            f"Multi-Region Access Point {point.name} has Block Public Access settings off: {off}.",
            disabled=off,
        )
    return passed(f"Multi-Region Access Point {point.name} has all four Block Public Access settings on.")
