"""CloudFront checks: root object, viewer and origin TLS, failover, logging, WAF, certificates, S3 origins."""

from __future__ import annotations

from collections.abc import Iterator

from soryoku.core.severity import Severity
from soryoku.inventory.cloudfront import CloudFrontDistribution, CloudFrontOrigin
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

DISTRIBUTIONS = "cloudfront.distributions"
RESOURCE_TYPE = "AwsCloudFrontDistribution"


def _label(dist: CloudFrontDistribution) -> str:
    return f"{dist.name} ({dist.arn.rpartition('/')[2] if dist.aliases else dist.domain_name or 'no domain'})"


@check(
    "cloudfront_distribution_default_root_object",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(DISTRIBUTIONS,),
)
def default_root_object(dist: CloudFrontDistribution, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a distribution with S3 origins has no default root object (others are out of scope)."""
    if not any(o.kind in {"s3", "s3-website"} for o in dist.origins):
        return
    if dist.default_root_object:
        yield passed(f"Distribution {_label(dist)} serves {dist.default_root_object} at its root.")
    else:
        yield failed(
            f"Distribution {_label(dist)} has no default root object: a request for / may expose the S3 "
            "origin's listing or errors."
        )


@check(
    "cloudfront_distribution_https_only",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(DISTRIBUTIONS,),
)
def https_only(dist: CloudFrontDistribution, ctx: CheckContext) -> CheckResult:
    """FAIL when a cache behavior's viewer protocol policy is allow-all (plain HTTP served)."""
    plain = [path for path, policy in dist.viewer_protocol_policies if policy == "allow-all"]
    if plain:
        return failed(
            f"Distribution {_label(dist)} serves plain HTTP for {', '.join(plain)} "
            "(viewer policy allow-all).",
            behaviors=plain,
        )
    return passed(f"Distribution {_label(dist)} requires HTTPS or redirects HTTP for every behavior.")


@check(
    "cloudfront_distribution_origin_failover",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.LOW,
    collectors=(DISTRIBUTIONS,),
)
def origin_failover(dist: CloudFrontDistribution, ctx: CheckContext) -> CheckResult:
    """FAIL when no origin group with two or more origins is configured."""
    if dist.failover_groups:
        return passed(f"Distribution {_label(dist)} has {dist.failover_groups} origin failover group(s).")
    return failed(f"Distribution {_label(dist)} has no origin group with two origins for failover.")


@check(
    "cloudfront_distribution_logging_enabled",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(DISTRIBUTIONS,),
)
def logging_enabled(dist: CloudFrontDistribution, ctx: CheckContext) -> CheckResult:
    """FAIL when standard (access) logging is off in the distribution config."""
    if dist.logging_enabled:
        return passed(f"Distribution {_label(dist)} writes standard access logs.")
    return failed(f"Distribution {_label(dist)} has standard access logging disabled.")


@check(
    "cloudfront_distribution_waf_enabled",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(DISTRIBUTIONS,),
)
def waf_enabled(dist: CloudFrontDistribution, ctx: CheckContext) -> CheckResult:
    """FAIL when no AWS WAF (v2 or Classic) web ACL is associated with the distribution."""
    if dist.web_acl_id:
        return passed(f"Distribution {_label(dist)} is protected by web ACL {dist.web_acl_id}.")
    return failed(
        f"Distribution {_label(dist)} has no AWS WAF web ACL: requests reach the origin unfiltered.",
        exposure="internet",
    )


@check(
    "cloudfront_distribution_custom_certificate",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(DISTRIBUTIONS,),
)
def custom_certificate(dist: CloudFrontDistribution, ctx: CheckContext) -> CheckResult:
    """FAIL when the distribution uses the default *.cloudfront.net certificate."""
    if dist.default_certificate:
        return failed(f"Distribution {_label(dist)} uses the default CloudFront certificate.")
    return passed(f"Distribution {_label(dist)} uses a custom SSL/TLS certificate.")


@check(
    "cloudfront_distribution_sni_enabled",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.LOW,
    collectors=(DISTRIBUTIONS,),
)
def sni_enabled(dist: CloudFrontDistribution, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a custom certificate is served from dedicated IPs (vip) instead of SNI."""
    if dist.default_certificate:
        return
    if dist.ssl_support_method == "vip":
        yield failed(f"Distribution {_label(dist)} serves its custom certificate from dedicated IPs (vip).")
    else:
        yield passed(f"Distribution {_label(dist)} serves its custom certificate with SNI.")


# CloudFront.15's accepted security policies (not customizable in Security Hub).
RECOMMENDED_TLS_POLICIES = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")


@check(
    "cloudfront_distribution_recommended_tls_policy",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(DISTRIBUTIONS,),
)
def recommended_tls_policy(dist: CloudFrontDistribution, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a custom-certificate, SNI distribution allows a TLS policy older than TLSv1.2_2021."""
    if dist.default_certificate or dist.ssl_support_method == "vip":
        return
    policy = dist.minimum_protocol_version or "unset"
    if policy in RECOMMENDED_TLS_POLICIES:
        yield passed(f"Distribution {_label(dist)} uses the recommended TLS security policy {policy}.")
    else:
        yield failed(
            f"Distribution {_label(dist)} uses the TLS security policy {policy}; use TLSv1.2_2021 or later.",
            policy=policy,
        )


@check(
    "cloudfront_distribution_origin_traffic_encrypted",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(DISTRIBUTIONS,),
)
def origin_traffic_encrypted(dist: CloudFrontDistribution, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a custom origin is reached over http-only, or match-viewer while viewers may use HTTP."""
    custom = [o for o in dist.origins if o.kind != "s3"]
    if not custom:
        return
    viewer_http = any(policy == "allow-all" for _, policy in dist.viewer_protocol_policies)
    plain = [
        o.id
        for o in custom
        if o.protocol_policy == "http-only" or (o.protocol_policy == "match-viewer" and viewer_http)
    ]
    if plain:
        yield failed(
            f"Distribution {_label(dist)} sends unencrypted traffic to origin(s) {', '.join(plain)}.",
            origins=plain,
        )
    else:
        yield passed(f"Distribution {_label(dist)} reaches its custom origins over HTTPS.")


@check(
    "cloudfront_distribution_no_deprecated_origin_ssl",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(DISTRIBUTIONS,),
)
def no_deprecated_origin_ssl(dist: CloudFrontDistribution, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a custom origin allows SSLv3 between edge locations and the origin."""
    custom = [o for o in dist.origins if o.protocol_policy is not None]
    if not custom:
        return
    weak = [o.id for o in custom if "SSLv3" in o.ssl_protocols]
    if weak:
        yield failed(
            f"Distribution {_label(dist)} allows SSLv3 to origin(s) {', '.join(weak)}.", origins=weak
        )
    else:
        yield passed(f"Distribution {_label(dist)} allows no SSLv3 to its custom origins.")


@check(
    "cloudfront_distribution_s3_origin_exists",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(DISTRIBUTIONS,),
)
def s3_origin_exists(dist: CloudFrontDistribution, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when an S3 (REST endpoint) origin names a bucket that does not exist (takeover risk)."""
    s3 = [o for o in dist.origins if o.kind == "s3"]
    if not s3:
        return
    missing = [o.bucket or o.domain_name for o in s3 if o.bucket_exists is False]
    if missing:
        yield failed(
            f"Distribution {_label(dist)} points to non-existent S3 bucket(s) {', '.join(missing)}: whoever "
            "creates that bucket serves content through your distribution.",
            buckets=missing,
        )
    else:
        yield passed(f"Distribution {_label(dist)}'s S3 origins exist.")


@check(
    "cloudfront_distribution_s3_origin_access_control",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(DISTRIBUTIONS,),
)
def s3_origin_access_control(dist: CloudFrontDistribution, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when an S3 (REST endpoint) origin has no origin access control."""
    s3 = [o for o in dist.origins if o.kind == "s3"]
    if not s3:
        return
    without = [o.id for o in s3 if not o.origin_access_control_id]
    if without:
        legacy = [o.id for o in s3 if not o.origin_access_control_id and o.origin_access_identity]
        yield failed(
            f"Distribution {_label(dist)} reaches S3 origin(s) {', '.join(without)} without origin access "
            "control" + (f" ({', '.join(legacy)} use a legacy OAI)" if legacy else "") + ".",
            origins=without,
        )
    else:
        yield passed(f"Distribution {_label(dist)} uses origin access control for its S3 origins.")


def _lambda_url(origin: CloudFrontOrigin) -> bool:
    # Function URLs are https://<url-id>.lambda-url.<region>.on.aws
    host = origin.domain_name.lower().rstrip(".")
    return ".lambda-url." in host and host.endswith(".on.aws")


@check(
    "cloudfront_distribution_lambda_url_origin_access_control",
    service="cloudfront",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(DISTRIBUTIONS,),
)
def lambda_url_origin_access_control(
    dist: CloudFrontDistribution, ctx: CheckContext
) -> Iterator[CheckResult]:
    """FAIL when a Lambda function URL origin has no origin access control (no verdict without one)."""
    urls = [o for o in dist.origins if _lambda_url(o)]
    if not urls:
        return
    without = [o.id for o in urls if not o.origin_access_control_id]
    if without:
        yield failed(
            f"Distribution {_label(dist)} reaches Lambda function URL origin(s) {', '.join(without)} without "
            "origin access control.",
            origins=without,
        )
    else:
        yield passed(f"Distribution {_label(dist)} uses origin access control for its Lambda function URLs.")
