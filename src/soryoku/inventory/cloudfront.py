"""CloudFront: distributions with their viewer and origin TLS settings, logging, WAF and S3 origins."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector

# bucket.s3.amazonaws.com, bucket.s3.eu-west-1.amazonaws.com, bucket.s3-eu-west-1.amazonaws.com
S3_REST_DOMAIN = re.compile(r"^(?P<bucket>.+?)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$")
S3_WEBSITE_DOMAIN = re.compile(r"\.s3-website[.-][a-z0-9-]+\.amazonaws\.com$")


@dataclass(frozen=True, slots=True)
class CloudFrontOrigin:
    """An origin: ``kind`` is ``s3`` (REST endpoint), ``s3-website`` or ``custom``.

    ``bucket_exists`` is None when not an S3 REST origin; False only when S3 answered 404 for the bucket.
    """

    id: str
    domain_name: str
    kind: str
    protocol_policy: str | None
    ssl_protocols: tuple[str, ...]
    origin_access_identity: str | None
    origin_access_control_id: str | None
    bucket: str | None
    bucket_exists: bool | None


@dataclass(frozen=True, slots=True)
class CloudFrontDistribution:
    """A distribution and the settings the CloudFront controls read (``name``: first alias, else its id)."""

    arn: str
    region: str
    name: str
    domain_name: str
    aliases: tuple[str, ...]
    default_root_object: str
    viewer_protocol_policies: tuple[tuple[str, str], ...]
    origins: tuple[CloudFrontOrigin, ...]
    failover_groups: int
    logging_enabled: bool
    web_acl_id: str
    default_certificate: bool
    ssl_support_method: str | None
    minimum_protocol_version: str | None


def _origin_kind(origin: Mapping[str, Any]) -> str:
    domain = str(origin.get("DomainName", ""))
    if S3_WEBSITE_DOMAIN.search(domain):
        return "s3-website"
    if origin.get("S3OriginConfig") is not None or S3_REST_DOMAIN.match(domain):
        return "s3"
    return "custom"


def s3_bucket_of(domain_name: str) -> str | None:
    """The bucket name of an S3 REST origin domain, else None."""
    match = S3_REST_DOMAIN.match(domain_name)
    return match.group("bucket") if match else None


def origin_from(origin: Mapping[str, Any], bucket_exists: bool | None = None) -> CloudFrontOrigin:
    """One origin of a DistributionConfig as a model."""
    kind = _origin_kind(origin)
    custom = origin.get("CustomOriginConfig") or {}
    s3 = origin.get("S3OriginConfig") or {}
    domain = str(origin.get("DomainName", ""))
    return CloudFrontOrigin(
        id=str(origin.get("Id", "")),
        domain_name=domain,
        kind=kind,
        protocol_policy=str(custom["OriginProtocolPolicy"]) if custom.get("OriginProtocolPolicy") else None,
        ssl_protocols=tuple(str(p) for p in (custom.get("OriginSslProtocols") or {}).get("Items") or ()),
        origin_access_identity=str(s3["OriginAccessIdentity"]) if s3.get("OriginAccessIdentity") else None,
        origin_access_control_id=(
            str(origin["OriginAccessControlId"]) if origin.get("OriginAccessControlId") else None
        ),
        bucket=s3_bucket_of(domain) if kind == "s3" else None,
        bucket_exists=bucket_exists if kind == "s3" else None,
    )


def distribution_from(
    arn: str,
    config: Mapping[str, Any],
    bucket_exists: Mapping[str, bool] | None = None,
    domain_name: str = "",
) -> CloudFrontDistribution:
    """GetDistributionConfig's DistributionConfig (and the S3 bucket existence facts) as a model."""
    known = bucket_exists or {}
    origins = tuple(
        origin_from(o, known.get(s3_bucket_of(str(o.get("DomainName", ""))) or ""))
        for o in (config.get("Origins") or {}).get("Items") or ()
    )
    default = config.get("DefaultCacheBehavior") or {}
    policies = [("*", str(default.get("ViewerProtocolPolicy", "allow-all")))]
    policies += [
        (str(b.get("PathPattern", "")), str(b.get("ViewerProtocolPolicy", "allow-all")))
        for b in (config.get("CacheBehaviors") or {}).get("Items") or ()
    ]
    groups = (config.get("OriginGroups") or {}).get("Items") or ()
    failover = sum(1 for g in groups if len((g.get("Members") or {}).get("Items") or ()) >= 2)
    certificate = config.get("ViewerCertificate") or {}
    aliases = tuple(str(a) for a in (config.get("Aliases") or {}).get("Items") or ())
    return CloudFrontDistribution(
        arn=arn,
        region="us-east-1",  # CloudFront is global; AWS reports its resources in us-east-1
        name=next(iter(aliases), arn.rpartition("/")[2]),
        domain_name=domain_name,
        aliases=aliases,
        default_root_object=str(config.get("DefaultRootObject") or ""),
        viewer_protocol_policies=tuple(policies),
        origins=origins,
        failover_groups=failover,
        logging_enabled=bool((config.get("Logging") or {}).get("Enabled", False)),
        web_acl_id=str(config.get("WebACLId") or ""),
        default_certificate=bool(certificate.get("CloudFrontDefaultCertificate", True)),
        ssl_support_method=str(certificate["SSLSupportMethod"])
        if certificate.get("SSLSupportMethod")
        else None,
        minimum_protocol_version=(
            str(certificate["MinimumProtocolVersion"]) if certificate.get("MinimumProtocolVersion") else None
        ),
    )


def _bucket_exists(s3: Any, bucket: str) -> bool:
    """True unless S3 says the bucket does not exist (403 means it exists, owned by someone)."""
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as exc:
        if error_code(exc) in {"404", "NoSuchBucket", "NotFound"}:
            return False
        if error_code(exc) in {"403", "AccessDenied", "301", "PermanentRedirect", "400"}:
            return True
        raise
    return True


def _s3_buckets(configs: Iterable[Mapping[str, Any]]) -> list[str]:
    return sorted(
        {
            bucket
            for config in configs
            for o in (config.get("Origins") or {}).get("Items") or ()
            if _origin_kind(o) == "s3" and (bucket := s3_bucket_of(str(o.get("DomainName", "")))) is not None
        }
    )


@collector(
    "cloudfront.distributions",
    service="cloudfront",
    scope="global",
    actions=("cloudfront:ListDistributions", "cloudfront:GetDistributionConfig", "s3:ListBucket"),
    description="CloudFront distributions with viewer/origin TLS, logging, WAF and whether S3 origins exist",
)
def collect_distributions(ctx: CollectContext) -> tuple[CloudFrontDistribution, ...]:
    """ListDistributions, GetDistributionConfig per distribution, HeadBucket per S3 origin bucket."""
    client = ctx.client("cloudfront", "us-east-1")
    summaries = [
        item
        for page in client.get_paginator("list_distributions").paginate()
        for item in (page.get("DistributionList") or {}).get("Items") or ()
    ]
    configs = ctx.map(lambda s: client.get_distribution_config(Id=s["Id"])["DistributionConfig"], summaries)
    s3 = ctx.client("s3", "us-east-1")
    buckets = _s3_buckets(configs)
    exists = dict(zip(buckets, ctx.map(lambda b: _bucket_exists(s3, b), buckets), strict=True))
    return tuple(
        distribution_from(str(summary["ARN"]), config, exists, str(summary.get("DomainName", "")))
        for summary, config in zip(summaries, configs, strict=True)
    )


__all__ = [
    "CloudFrontDistribution",
    "CloudFrontOrigin",
    "collect_distributions",
    "distribution_from",
    "origin_from",
    "s3_bucket_of",
]
