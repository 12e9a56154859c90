"""DynamoDB Accelerator checks: clusters encrypted at rest and in transit."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.dax import DaxCluster
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed


@check(
    "dax_cluster_encrypted_at_rest",
    service="dax",
    resource_type="AwsDaxCluster",
    severity=Severity.MEDIUM,
    collectors=("dax.clusters",),
)
def dax_cluster_encrypted_at_rest(cluster: DaxCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless server-side encryption is enabled on the cluster."""
    if cluster.encrypted_at_rest:
        return passed(f"DAX cluster {cluster.name} is encrypted at rest.")
    return failed(f"DAX cluster {cluster.name} is not encrypted at rest (SSE {cluster.sse_status}).")


@check(
    "dax_cluster_encrypted_in_transit",
    service="dax",
    resource_type="AwsDaxCluster",
    severity=Severity.MEDIUM,
    collectors=("dax.clusters",),
)
def dax_cluster_encrypted_in_transit(cluster: DaxCluster, ctx: CheckContext) -> CheckResult:
    """FAIL unless the cluster endpoint's encryption type is TLS."""
    if cluster.encrypted_in_transit:
        return passed(f"DAX cluster {cluster.name} only accepts TLS connections.")
    return failed(
        f"DAX cluster {cluster.name} accepts unencrypted connections "
        f"(endpoint encryption {cluster.endpoint_encryption})."
    )
