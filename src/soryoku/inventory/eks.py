"""EKS: clusters with endpoint access, Kubernetes version, secrets encryption and control-plane logging."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class EksCluster:
    """A cluster: its API endpoint exposure, version, secrets encryption and enabled log types."""

    arn: str
    region: str
    name: str
    version: str
    endpoint_public: bool
    endpoint_private: bool
    public_access_cidrs: tuple[str, ...]
    secrets_encrypted: bool
    log_types: tuple[str, ...]


def cluster_from(item: Mapping[str, Any], region: str) -> EksCluster:
    """DescribeCluster's cluster as a model."""
    vpc = item.get("resourcesVpcConfig") or {}
    encrypted = any("secrets" in (c.get("resources") or ()) for c in item.get("encryptionConfig") or ())
    enabled = sorted(
        {
            str(kind)
            for setup in (item.get("logging") or {}).get("clusterLogging") or ()
            if setup.get("enabled")
            for kind in setup.get("types") or ()
        }
    )
    return EksCluster(
        arn=str(item["arn"]),
        region=region,
        name=str(item["name"]),
        version=str(item.get("version", "")),
        endpoint_public=bool(vpc.get("endpointPublicAccess", True)),
        endpoint_private=bool(vpc.get("endpointPrivateAccess", False)),
        public_access_cidrs=tuple(str(c) for c in vpc.get("publicAccessCidrs") or ()),
        secrets_encrypted=encrypted,
        log_types=tuple(enabled),
    )


@collector(
    "eks.clusters",
    service="eks",
    scope="regional",
    actions=("eks:ListClusters", "eks:DescribeCluster"),
    description="EKS clusters with endpoint access, version, secrets encryption and control-plane log types",
)
def collect_clusters(ctx: CollectContext) -> tuple[EksCluster, ...]:
    """ListClusters, then DescribeCluster for each."""
    client = ctx.client("eks")
    names = [n for page in client.get_paginator("list_clusters").paginate() for n in page["clusters"]]
    clusters = ctx.map(
        lambda name: cluster_from(client.describe_cluster(name=name)["cluster"], ctx.region), names
    )
    return tuple(sorted(clusters, key=lambda c: c.arn))


__all__ = ["EksCluster", "cluster_from", "collect_clusters"]
