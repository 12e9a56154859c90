"""Application/Network/Gateway Load Balancer checks: HTTP to HTTPS redirection, invalid headers,
access logs, deletion protection, desync mitigation, Availability Zones, listener TLS protocol and policy."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.severity import Severity
from soryoku.inventory.elb import LoadBalancerV2
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

LOAD_BALANCERS = "elbv2.load_balancers"
DESYNC_OK = frozenset({"defensive", "strictest"})
# FSBP ELB.17's sslPolicies parameter (not customizable), as listed in the control reference
# (docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-17, read 2026-11-29).
RECOMMENDED_TLS_POLICIES = frozenset(
    {
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    }
)
SECURE_PROTOCOL = {"application": "HTTPS", "network": "TLS"}


def _assumed(lb: LoadBalancerV2, key: str) -> dict[str, str]:
    """Evidence noting that an absent attribute was judged at AWS's default."""
    return {} if key in lb.attributes else {"assumed_default": key}


@check(
    "elbv2_alb_http_redirects_to_https",
    service="elbv2",
    resource_type="AwsElbv2LoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(LOAD_BALANCERS,),
)
def http_to_https(lb: LoadBalancerV2, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when an ALB's HTTP listener does not redirect to HTTPS by default (other types: no verdict)."""
    if lb.type != "application":
        return []
    plain = [x for x in lb.listeners if x.protocol == "HTTP"]
    offending = [f"HTTP:{x.port}" for x in plain if x.redirect_protocol != "HTTPS"]
    if offending:
        return [
            failed(
                f"Application Load Balancer {lb.name} listener(s) {', '.join(offending)} "
                "do not redirect to HTTPS."
            )
        ]
    if plain:
        return [passed(f"Application Load Balancer {lb.name} redirects every HTTP listener to HTTPS.")]
    return [passed(f"Application Load Balancer {lb.name} has no HTTP listener.")]


@check(
    "elbv2_alb_drop_invalid_header_fields",
    service="elbv2",
    resource_type="AwsElbv2LoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(LOAD_BALANCERS,),
)
def drop_invalid_headers(lb: LoadBalancerV2, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when an ALB does not drop invalid HTTP header fields."""
    if lb.type != "application":
        return []
    key = "routing.http.drop_invalid_header_fields.enabled"
    if lb.attribute(key) == "true":
        return [passed(f"Application Load Balancer {lb.name} drops invalid header fields.")]
    return [
        failed(f"Application Load Balancer {lb.name} forwards invalid header fields.", **_assumed(lb, key))
    ]


@check(
    "elbv2_alb_logging_enabled",
    service="elbv2",
    resource_type="AwsElbv2LoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(LOAD_BALANCERS,),
)
def alb_logging(lb: LoadBalancerV2, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when an ALB's access logging is off (the control covers Application and Classic LBs)."""
    if lb.type != "application":
        return []
    key = "access_logs.s3.enabled"
    if lb.attribute(key) == "true":
        bucket = lb.attribute("access_logs.s3.bucket")
        return [passed(f"Application Load Balancer {lb.name} writes access logs to {bucket or 'S3'}.")]
    return [failed(f"Application Load Balancer {lb.name} has access logging disabled.", **_assumed(lb, key))]


@check(
    "elbv2_deletion_protection_enabled",
    service="elbv2",
    resource_type="AwsElbv2LoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(LOAD_BALANCERS,),
)
def deletion_protection(lb: LoadBalancerV2, ctx: CheckContext) -> CheckResult:
    """FAIL when deletion protection is off (Application, Network and Gateway Load Balancers)."""
    key = "deletion_protection.enabled"
    if lb.attribute(key) == "true":
        return passed(f"Load balancer {lb.name} has deletion protection enabled.")
    return failed(
        f"Load balancer {lb.name} ({lb.type}) has deletion protection disabled.", **_assumed(lb, key)
    )


@check(
    "elbv2_alb_desync_mitigation_mode",
    service="elbv2",
    resource_type="AwsElbv2LoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(LOAD_BALANCERS,),
)
def alb_desync(lb: LoadBalancerV2, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL unless an ALB's desync mitigation mode is defensive or strictest (absent = AWS default)."""
    if lb.type != "application":
        return []
    key = "routing.http.desync_mitigation_mode"
    mode = lb.attribute(key)
    if mode in DESYNC_OK:
        return [
            passed(
                f"Application Load Balancer {lb.name} uses desync mitigation mode {mode}.",
                **_assumed(lb, key),
            )
        ]
    return [failed(f"Application Load Balancer {lb.name} uses desync mitigation mode {mode}.")]


@check(
    "elbv2_multiple_availability_zones",
    service="elbv2",
    resource_type="AwsElbv2LoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(LOAD_BALANCERS,),
)
def multi_az(lb: LoadBalancerV2, ctx: CheckContext) -> CheckResult:
    """FAIL when the load balancer spans fewer than two Availability Zones."""
    zones = ", ".join(lb.availability_zones) or "none"
    if len(lb.availability_zones) >= 2:
        return passed(f"Load balancer {lb.name} spans {zones}.")
    return failed(f"Load balancer {lb.name} spans only {zones}.")


@check(
    "elbv2_listener_recommended_tls_policy",
    service="elbv2",
    resource_type="AwsElbv2LoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(LOAD_BALANCERS,),
)
def recommended_tls_policy(lb: LoadBalancerV2, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when an HTTPS (ALB) or TLS (NLB) listener uses a security policy outside FSBP ELB.17's list
    of recommended policies; a load balancer without such listeners gets no verdict."""
    secure = [x for x in lb.listeners if x.protocol in {"HTTPS", "TLS"}]
    if not secure:
        return []
    weak = [f"{x.protocol}:{x.port} ({x.ssl_policy or 'no policy'})" for x in secure
            if x.ssl_policy not in RECOMMENDED_TLS_POLICIES]  # fmt: skip
    if weak:
        return [
            failed(
                f"Load balancer {lb.name} listener(s) {', '.join(weak)} do not use a recommended TLS "
                "security policy.",
            )
        ]
    policies = ", ".join(sorted({str(x.ssl_policy) for x in secure}))
    return [passed(f"Load balancer {lb.name} TLS listeners use recommended policies ({policies}).")]


@check(
    "elbv2_listener_secure_protocol",
    service="elbv2",
    resource_type="AwsElbv2LoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(LOAD_BALANCERS,),
)
def secure_listener_protocol(lb: LoadBalancerV2, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when an ALB listener is not HTTPS or an NLB listener is not TLS (a redirecting HTTP listener
    too: the control judges the protocol); Gateway Load Balancers get no verdict."""
    wanted = SECURE_PROTOCOL.get(lb.type)
    if wanted is None or not lb.listeners:
        return []
    plain = [f"{x.protocol}:{x.port}" for x in lb.listeners if x.protocol != wanted]
    if plain:
        return [failed(f"Load balancer {lb.name} listener(s) {', '.join(plain)} do not use {wanted}.")]
    return [passed(f"Every listener of load balancer {lb.name} uses {wanted}.")]
