"""ACM: every certificate of a region with its type, status, key algorithm and expiry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from soryoku.inventory.base import CollectContext, collector

# ListCertificates returns only RSA_1024, RSA_2048 and EC_prime256v1 certificates unless asked.
KEY_TYPES = (
    "RSA_1024",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "EC_prime256v1",
    "EC_secp384r1",
    "EC_secp521r1",
)


@dataclass(frozen=True, slots=True)
class AcmCertificate:
    """A certificate: ``type`` is AMAZON_ISSUED, IMPORTED or PRIVATE; ``key_algorithm`` e.g. RSA_2048."""

    arn: str
    region: str
    name: str
    type: str
    status: str
    key_algorithm: str
    not_after: datetime | None
    in_use: bool


def certificate_from(item: Mapping[str, Any], region: str) -> AcmCertificate:
    """One ListCertificates summary as a model."""
    not_after = item.get("NotAfter")
    return AcmCertificate(
        arn=str(item["CertificateArn"]),
        region=region,
        name=str(item.get("DomainName", "")),
        type=str(item.get("Type", "")),
        status=str(item.get("Status", "")),
        key_algorithm=str(item.get("KeyAlgorithm", "")),
        not_after=not_after if isinstance(not_after, datetime) else None,
        in_use=bool(item.get("InUse", False)),
    )


@collector(
    "acm.certificates",
    service="acm",
    scope="regional",
    actions=("acm:ListCertificates",),
    description="ACM certificates with type, status, key algorithm and expiry (every key type)",
)
def collect_certificates(ctx: CollectContext) -> tuple[AcmCertificate, ...]:
    """ListCertificates over every key type (the summary carries all the checks need)."""
    pages = (
        ctx.client("acm").get_paginator("list_certificates").paginate(Includes={"keyTypes": list(KEY_TYPES)})
    )
    return tuple(
        certificate_from(item, ctx.region)
        for page in pages
        for item in page.get("CertificateSummaryList", [])
    )


__all__ = ["KEY_TYPES", "AcmCertificate", "certificate_from", "collect_certificates"]
