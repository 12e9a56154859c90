"""DynamoDB Accelerator (DAX): clusters with their encryption at rest and in transit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class DaxCluster:
    """A DAX cluster: server-side encryption status and the endpoint's encryption type."""

    name: str
    arn: str
    region: str
    sse_status: str = "DISABLED"
    endpoint_encryption: str = "NONE"

    @property
    def encrypted_at_rest(self) -> bool:
        """True when server-side encryption is enabled (or being enabled)."""
        return self.sse_status in {"ENABLED", "ENABLING"}

    @property
    def encrypted_in_transit(self) -> bool:
        """True when the cluster endpoint only speaks TLS."""
        return self.endpoint_encryption == "TLS"


def cluster_from(raw: Mapping[str, Any], region: str) -> DaxCluster:
    """A DescribeClusters entry as the model."""
    return DaxCluster(
        name=str(raw["ClusterName"]),
        arn=str(raw["ClusterArn"]),
        region=region,
        sse_status=str((raw.get("SSEDescription") or {}).get("Status", "DISABLED")),
        endpoint_encryption=str(raw.get("ClusterEndpointEncryptionType") or "NONE"),
    )


@collector(
    "dax.clusters",
    service="dax",
    scope="regional",
    actions=("dax:DescribeClusters",),
    description="DynamoDB Accelerator clusters with encryption at rest and in transit",
)
def collect_dax_clusters(ctx: CollectContext) -> tuple[DaxCluster, ...]:
    """Every DAX cluster of the region (paginated)."""
    paginator = ctx.client("dax").get_paginator("describe_clusters")
    raw = [c for page in paginator.paginate() for c in page.get("Clusters", [])]
    return tuple(sorted((cluster_from(r, ctx.region) for r in raw), key=lambda c: c.name))


__all__ = ["DaxCluster", "cluster_from", "collect_dax_clusters"]
