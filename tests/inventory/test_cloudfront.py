"""CloudFront collector against the moto server: viewer/origin TLS, logging, WAF and missing S3 origins."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.cloudfront import distribution_from, s3_bucket_of

ACCOUNT = "123456789012"


def collect() -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get("cloudfront.distributions").collect(CollectContext(factory, ACCOUNT, "us-east-1"))


def _config(reference: str, origins: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "CallerReference": reference,
        "Comment": reference,
        "Enabled": True,
        "Origins": {"Quantity": len(origins), "Items": origins},
        "DefaultCacheBehavior": {
            "TargetOriginId": origins[0]["Id"],
            "ViewerProtocolPolicy": extra.pop("viewer", "redirect-to-https"),
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
        **extra,
    }


def test_distributions_with_origins_logging_waf_and_missing_bucket(aws: str) -> None:
    boto3.client("s3").create_bucket(Bucket="site-assets")
    cloudfront = boto3.client("cloudfront")
    s3_origin = {
        "Id": "site",
        "DomainName": "site-assets.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    gone_origin = {
        "Id": "gone",
        "DomainName": "deleted-bucket.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    protocols = {"Quantity": 2, "Items": ["SSLv3", "TLSv1"]}
    custom = {"Id": "app", "DomainName": "app.example.com",
              "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only",
                                     "OriginSslProtocols": protocols}}  # fmt: skip
    good = cloudfront.create_distribution(
        DistributionConfig=_config(
            "good",
            [s3_origin],
            DefaultRootObject="index.html",
            Logging={
                "Enabled": True,
                "IncludeCookies": False,
                "Bucket": "logs.s3.amazonaws.com",
                "Prefix": "cf/",
            },
            WebACLId=f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/edge/abc",
        )
    )["Distribution"]
    bad = cloudfront.create_distribution(
        DistributionConfig=_config("bad", [custom, gone_origin], viewer="allow-all")
    )["Distribution"]

    dists = {d.name: d for d in collect()}
    assert set(dists) == {good["Id"], bad["Id"]}
    ok, weak = dists[good["Id"]], dists[bad["Id"]]
    assert ok.arn == good["ARN"] and ok.default_root_object == "index.html" and ok.logging_enabled
    assert ok.web_acl_id.endswith("/webacl/edge/abc") and ok.domain_name == good["DomainName"]
    assert ok.viewer_protocol_policies == (("*", "redirect-to-https"),)
    (site,) = ok.origins
    assert site.kind == "s3" and site.bucket == "site-assets" and site.bucket_exists is True
    assert not weak.default_root_object and not weak.logging_enabled and not weak.web_acl_id
    app, gone = weak.origins
    assert (
        app.kind == "custom"
        and app.protocol_policy == "http-only"
        and app.ssl_protocols == ("SSLv3", "TLSv1")
    )
    assert gone.bucket == "deleted-bucket" and gone.bucket_exists is False
    assert weak.viewer_protocol_policies == (("*", "allow-all"),)


def test_origin_domains_and_certificate_transform() -> None:
    assert s3_bucket_of("b.s3.eu-west-1.amazonaws.com") == "b"
    assert s3_bucket_of("b.s3-eu-west-1.amazonaws.com") == "b"
    assert s3_bucket_of("app.example.com") is None
    config = {
        "Origins": {"Items": [{"Id": "w", "DomainName": "b.s3-website-us-east-1.amazonaws.com",
                               "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}}]},
        "ViewerCertificate": {"CloudFrontDefaultCertificate": False, "SSLSupportMethod": "vip",
                              "MinimumProtocolVersion": "TLSv1"},
        "OriginGroups": {"Items": [{"Members": {"Items": [{"OriginId": "a"}, {"OriginId": "b"}]}}]},
    }  # fmt: skip
    dist = distribution_from("arn:aws:cloudfront::1:distribution/E9", config)
    assert dist.origins[0].kind == "s3-website" and dist.origins[0].bucket is None
    assert not dist.default_certificate and dist.ssl_support_method == "vip" and dist.failover_groups == 1
