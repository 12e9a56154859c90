"""EKS checks: private API endpoint, supported Kubernetes version, secrets encryption, audit logs."""

from __future__ import annotations

from datetime import UTC, datetime

from soryoku.core.severity import Severity
from soryoku.inventory.eks import EksCluster
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

CLUSTERS = "eks.clusters"
RESOURCE_TYPE = "AwsEksCluster"

# End of extended support per Kubernetes minor version, from the Amazon EKS Kubernetes release calendar
# (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, source
# awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc, read 2026-11-29: 1.34
# added, 1.29-1.33 unchanged). A version FAILs from that date on; versions older than the table FAIL,
# newer ones PASS.
END_OF_SUPPORT: dict[str, datetime] = {
    version: datetime.fromisoformat(day).replace(tzinfo=UTC)
    for version, day in {
        "1.23": "2024-10-11",
        "1.24": "2025-01-31",
        "1.25": "2025-05-01",
        "1.26": "2025-06-11",
        "1.27": "2025-07-24",
        "1.28": "2025-11-26",
        "1.29": "2026-03-23",
        "1.30": "2026-07-23",
        "1.31": "2026-11-26",
        "1.32": "2027-03-23",
        "1.33": "2027-07-29",
        "1.34": "2027-12-02",
    }.items()
}


def _minor(version: str) -> tuple[int, int]:
    major, _, minor = version.partition(".")
    try:
        return int(major), int(minor.split(".")[0] or 0)
    except ValueError:
        return (0, 0)


def support_ends(version: str) -> datetime | None:
    """When ``version`` leaves EKS support: its table date, the distant past if older, None if newer."""
    if version in END_OF_SUPPORT:
        return END_OF_SUPPORT[version]
    oldest = min(END_OF_SUPPORT, key=_minor)
    if _minor(version) < _minor(oldest):
        return datetime(2000, 1, 1, tzinfo=UTC)
    return None


@check(
    "eks_cluster_endpoint_not_public",
    service="eks",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(CLUSTERS,),
)
def endpoint_not_public(cluster: EksCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when the Kubernetes API endpoint is publicly accessible; allowed CIDRs go in the exposure."""
    if not cluster.endpoint_public:
        return passed(f"EKS cluster {cluster.name}'s API endpoint is private.")
    cidrs = cluster.public_access_cidrs or ("0.0.0.0/0",)
    open_world = any(c in {"0.0.0.0/0", "::/0"} for c in cidrs)
    exposure = "internet" if open_world else f"restricted to {len(cidrs)} CIDR(s)"
    return failed(
        f"EKS cluster {cluster.name}'s API endpoint is publicly accessible from {', '.join(cidrs)}.",
        exposure=exposure,
        public_access_cidrs=list(cidrs),
    )


@check(
    "eks_cluster_supported_version",
    service="eks",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(CLUSTERS,),
)
def supported_version(cluster: EksCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when the cluster's Kubernetes version is past the end of EKS (extended) support."""
    ends = support_ends(cluster.version)
    if ends is not None and ends <= ctx.now:
        return failed(
            f"EKS cluster {cluster.name} runs Kubernetes {cluster.version}, out of EKS support: upgrade it.",
            version=cluster.version,
        )
    return passed(f"EKS cluster {cluster.name} runs the supported Kubernetes version {cluster.version}.")


@check(
    "eks_cluster_secrets_encrypted",
    service="eks",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def secrets_encrypted(cluster: EksCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when Kubernetes secrets are not envelope-encrypted with a KMS key."""
    if cluster.secrets_encrypted:
        return passed(f"EKS cluster {cluster.name} encrypts Kubernetes secrets with KMS.")
    return failed(f"EKS cluster {cluster.name} does not encrypt Kubernetes secrets with a KMS key.")


@check(
    "eks_cluster_audit_logging_enabled",
    service="eks",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(CLUSTERS,),
)
def audit_logging(cluster: EksCluster, ctx: CheckContext) -> CheckResult:
    """FAIL when the control plane's audit log is not sent to CloudWatch Logs."""
    if "audit" in cluster.log_types:
        return passed(f"EKS cluster {cluster.name} sends its audit log to CloudWatch Logs.")
    return failed(
        f"EKS cluster {cluster.name} does not send its audit log to CloudWatch Logs "
        f"(enabled: {', '.join(cluster.log_types) or 'none'}).",
        log_types=list(cluster.log_types),
    )
