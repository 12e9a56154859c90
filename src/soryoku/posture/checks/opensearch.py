"""OpenSearch checks: encryption at rest and between nodes, VPC placement (with the access policy's
exposure from the shared analyzer), logging, data nodes, fine-grained access control, TLS, pending
service software updates."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.opensearch import OpenSearchDomain
from soryoku.posture.policy import analyze_resource_policy
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

DOMAINS = "opensearch.domains"
# The control's fixed parameter: the latest TLS security policy.
LATEST_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10"
MIN_DATA_NODES = 3


@check(
    "opensearch_domain_encryption_at_rest",
    service="opensearch",
    resource_type="AwsOpenSearchServiceDomain",
    severity=Severity.MEDIUM,
    collectors=(DOMAINS,),
)
def opensearch_domain_encryption_at_rest(domain: OpenSearchDomain, ctx: CheckContext) -> CheckResult:
    """FAIL unless encryption at rest is enabled."""
    if domain.encryption_at_rest:
        return passed(f"Domain {domain.name} encrypts data at rest.")
    return failed(f"Domain {domain.name} does not encrypt data at rest.")


@check(
    "opensearch_domain_in_vpc",
    service="opensearch",
    resource_type="AwsOpenSearchServiceDomain",
    severity=Severity.CRITICAL,
    collectors=(DOMAINS,),
)
def opensearch_domain_in_vpc(domain: OpenSearchDomain, ctx: CheckContext) -> CheckResult:
    """FAIL when the domain has a public endpoint; the exposure says what its access policy allows."""
    if domain.in_vpc:
        where = domain.vpc_id or ", ".join(domain.subnet_ids)
        return passed(f"Domain {domain.name} has a VPC endpoint only ({where}).")
    if domain.access_policy is None:
        exposure = "public endpoint, no access policy (only signed requests of this account's principals)"
    else:
        access = analyze_resource_policy(domain.access_policy, ctx.account_id)
        exposure = f"public endpoint, access policy {access.describe()}"
    return failed(f"Domain {domain.name} is not in a VPC: {exposure}.", exposure=exposure)


@check(
    "opensearch_domain_node_to_node_encryption",
    service="opensearch",
    resource_type="AwsOpenSearchServiceDomain",
    severity=Severity.MEDIUM,
    collectors=(DOMAINS,),
)
def opensearch_domain_node_to_node_encryption(domain: OpenSearchDomain, ctx: CheckContext) -> CheckResult:
    """FAIL unless traffic between the domain's nodes is encrypted."""
    if domain.node_to_node_encryption:
        return passed(f"Domain {domain.name} encrypts node-to-node traffic.")
    return failed(f"Domain {domain.name} does not encrypt node-to-node traffic.")


@check(
    "opensearch_domain_error_logging",
    service="opensearch",
    resource_type="AwsOpenSearchServiceDomain",
    severity=Severity.MEDIUM,
    collectors=(DOMAINS,),
)
def opensearch_domain_error_logging(domain: OpenSearchDomain, ctx: CheckContext) -> CheckResult:
    """FAIL unless error logs (ES_APPLICATION_LOGS) are published to CloudWatch Logs."""
    if "ES_APPLICATION_LOGS" in domain.log_types:
        return passed(f"Domain {domain.name} publishes error logs to CloudWatch Logs.")
    return failed(f"Domain {domain.name} does not publish error logs to CloudWatch Logs.")


@check(
    "opensearch_domain_audit_logging",
    service="opensearch",
    resource_type="AwsOpenSearchServiceDomain",
    severity=Severity.MEDIUM,
    collectors=(DOMAINS,),
)
def opensearch_domain_audit_logging(domain: OpenSearchDomain, ctx: CheckContext) -> CheckResult:
    """FAIL unless audit logs (AUDIT_LOGS) are published to CloudWatch Logs."""
    if "AUDIT_LOGS" in domain.log_types:
        return passed(f"Domain {domain.name} publishes audit logs to CloudWatch Logs.")
    return failed(f"Domain {domain.name} does not publish audit logs.")


@check(
    "opensearch_domain_three_data_nodes",
    service="opensearch",
    resource_type="AwsOpenSearchServiceDomain",
    severity=Severity.MEDIUM,
    collectors=(DOMAINS,),
)
def opensearch_domain_three_data_nodes(domain: OpenSearchDomain, ctx: CheckContext) -> CheckResult:
    """FAIL unless the domain has at least three data nodes and zone awareness."""
    problems = []
    if domain.data_nodes < MIN_DATA_NODES:
        problems.append(f"{domain.data_nodes} data node(s)")
    if not domain.zone_awareness:
        problems.append("zone awareness off")
    if problems:
        return failed(f"Domain {domain.name} is not highly available: {', '.join(problems)}.")
    return passed(f"Domain {domain.name} has {domain.data_nodes} data nodes across zones.")


@check(
    "opensearch_domain_fine_grained_access_control",
    service="opensearch",
    resource_type="AwsOpenSearchServiceDomain",
    severity=Severity.HIGH,
    collectors=(DOMAINS,),
)
def opensearch_domain_fine_grained_access_control(domain: OpenSearchDomain, ctx: CheckContext) -> CheckResult:
    """FAIL unless fine-grained access control is enabled."""
    if domain.fine_grained_access:
        return passed(f"Domain {domain.name} has fine-grained access control enabled.")
    return failed(f"Domain {domain.name} does not have fine-grained access control enabled.")


@check(
    "opensearch_domain_latest_tls_policy",
    service="opensearch",
    resource_type="AwsOpenSearchServiceDomain",
    severity=Severity.MEDIUM,
    collectors=(DOMAINS,),
)
def opensearch_domain_latest_tls_policy(domain: OpenSearchDomain, ctx: CheckContext) -> CheckResult:
    """FAIL unless the endpoint enforces HTTPS with the latest TLS security policy."""
    if domain.enforce_https and domain.tls_policy == LATEST_TLS_POLICY:
        return passed(f"Domain {domain.name} requires HTTPS with {domain.tls_policy}.")
    if not domain.enforce_https:
        return failed(f"Domain {domain.name} does not require HTTPS.")
    return failed(
        f"Domain {domain.name} uses TLS security policy {domain.tls_policy}, not {LATEST_TLS_POLICY}.",
        tls_policy=domain.tls_policy,
    )


@check(
    "opensearch_domain_software_up_to_date",
    service="opensearch",
    resource_type="AwsOpenSearchServiceDomain",
    severity=Severity.LOW,
    collectors=(DOMAINS,),
)
def opensearch_domain_software_up_to_date(domain: OpenSearchDomain, ctx: CheckContext) -> CheckResult:
    """FAIL when a service software update is available but not installed."""
    if domain.update_available:
        return failed(f"Domain {domain.name} has a service software update available that is not installed.")
    return passed(f"Domain {domain.name} runs the latest service software.")
