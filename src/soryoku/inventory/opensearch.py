"""OpenSearch Service domains (including legacy Elasticsearch domains): encryption, network, access."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class OpenSearchDomain:
    """A domain's security settings; ``log_types`` are the enabled CloudWatch log publishing options."""

    name: str
    arn: str
    region: str
    engine_version: str = ""
    encryption_at_rest: bool = False
    node_to_node_encryption: bool = False
    enforce_https: bool = False
    tls_policy: str = ""
    fine_grained_access: bool = False
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    log_types: tuple[str, ...] = ()
    data_nodes: int = 1
    zone_awareness: bool = False
    access_policy: Mapping[str, Any] | None = None
    update_available: bool = False

    @property
    def in_vpc(self) -> bool:
        """True when the domain has a VPC endpoint (VPC options with a VPC or subnets)."""
        return bool(self.vpc_id or self.subnet_ids)


def domain_from(raw: Mapping[str, Any], region: str) -> OpenSearchDomain:
    """A DescribeDomains entry (DomainStatus) as the model."""
    logs = raw.get("LogPublishingOptions") or {}
    vpc = raw.get("VPCOptions") or {}
    endpoint = raw.get("DomainEndpointOptions") or {}
    cluster = raw.get("ClusterConfig") or {}
    policy = raw.get("AccessPolicies") or ""
    return OpenSearchDomain(
        name=str(raw["DomainName"]),
        arn=str(raw["ARN"]),
        region=region,
        engine_version=str(raw.get("EngineVersion", "")),
        encryption_at_rest=bool((raw.get("EncryptionAtRestOptions") or {}).get("Enabled", False)),
        node_to_node_encryption=bool((raw.get("NodeToNodeEncryptionOptions") or {}).get("Enabled", False)),
        enforce_https=bool(endpoint.get("EnforceHTTPS", False)),
        tls_policy=str(endpoint.get("TLSSecurityPolicy", "")),
        fine_grained_access=bool((raw.get("AdvancedSecurityOptions") or {}).get("Enabled", False)),
        vpc_id=vpc.get("VPCId") or None,
        subnet_ids=tuple(str(x) for x in vpc.get("SubnetIds", []) or []),
        log_types=tuple(sorted(k for k, v in logs.items() if (v or {}).get("Enabled"))),
        data_nodes=int(cluster.get("InstanceCount", 1) or 1),
        zone_awareness=bool(cluster.get("ZoneAwarenessEnabled", False)),
        access_policy=json.loads(policy) if policy else None,
        update_available=bool((raw.get("ServiceSoftwareOptions") or {}).get("UpdateAvailable", False)),
    )


@collector(
    "opensearch.domains",
    service="opensearch",
    scope="regional",
    actions=("es:ListDomainNames", "es:DescribeDomains"),
    description="OpenSearch Service and Elasticsearch domains with encryption, network and access settings",
)
def collect_opensearch_domains(ctx: CollectContext) -> tuple[OpenSearchDomain, ...]:
    """List the region's domains and describe them in batches of five (the API's limit)."""
    client = ctx.client("opensearch")
    names = [d["DomainName"] for d in client.list_domain_names().get("DomainNames", [])]
    batches = [names[i : i + 5] for i in range(0, len(names), 5)]
    described = ctx.map(lambda batch: client.describe_domains(DomainNames=batch)["DomainStatusList"], batches)
    domains = [domain_from(d, ctx.region) for batch in described for d in batch]
    return tuple(sorted(domains, key=lambda d: d.name))


__all__ = ["OpenSearchDomain", "collect_opensearch_domains", "domain_from"]
