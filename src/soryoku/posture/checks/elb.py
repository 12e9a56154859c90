"""Classic Load Balancer checks: TLS listeners and certificates, security policy, access logs,
connection draining, cross-zone balancing, Availability Zones and desync mitigation."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.severity import Severity
from soryoku.inventory.elb import ClassicLoadBalancer
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

CLASSIC = "elb.load_balancers"
TLS_PROTOCOLS = frozenset({"HTTPS", "SSL"})
STRONG_CLASSIC_POLICY = "ELBSecurityPolicy-TLS-1-2-2017-01"
DESYNC_OK = frozenset({"defensive", "strictest"})


def _tls_listeners(lb: ClassicLoadBalancer) -> list[str]:
    return [f"{x.protocol}:{x.port}" for x in lb.listeners if x.protocol in TLS_PROTOCOLS]


@check(
    "elb_ssl_listeners_use_acm_certificate",
    service="elb",
    resource_type="AwsElbLoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(CLASSIC,),
)
def acm_certificate(lb: ClassicLoadBalancer, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when an HTTPS/SSL listener's certificate is not from ACM (no TLS listener: no verdict)."""
    tls = [x for x in lb.listeners if x.protocol in TLS_PROTOCOLS]
    if not tls:
        return []
    other = [f"{x.protocol}:{x.port}" for x in tls if ":acm:" not in (x.certificate_id or "")]
    if other:
        return [
            failed(
                f"Classic Load Balancer {lb.name} listener(s) {', '.join(other)} use a non-ACM certificate."
            )
        ]
    return [passed(f"Classic Load Balancer {lb.name} TLS listeners use ACM certificates.")]


@check(
    "elb_listeners_encrypted",
    service="elb",
    resource_type="AwsElbLoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(CLASSIC,),
)
def listeners_encrypted(lb: ClassicLoadBalancer, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when a front-end listener is not HTTPS or SSL (no listener: no verdict, as the control)."""
    if not lb.listeners:
        return []
    plain = [f"{x.protocol}:{x.port}" for x in lb.listeners if x.protocol not in TLS_PROTOCOLS]
    if plain:
        return [failed(f"Classic Load Balancer {lb.name} has unencrypted listener(s) {', '.join(plain)}.")]
    return [passed(f"Classic Load Balancer {lb.name} terminates TLS on every listener.")]


@check(
    "elb_ssl_listeners_strong_security_policy",
    service="elb",
    resource_type="AwsElbLoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(CLASSIC,),
)
def strong_policy(lb: ClassicLoadBalancer, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when an HTTPS/SSL listener does not use ELBSecurityPolicy-TLS-1-2-2017-01."""
    tls = [x for x in lb.listeners if x.protocol in TLS_PROTOCOLS]
    if not tls:
        return []
    weak = [
        f"{x.protocol}:{x.port} ({x.reference_security_policy or 'no predefined policy'})"
        for x in tls
        if x.reference_security_policy != STRONG_CLASSIC_POLICY
    ]
    if weak:
        return [
            failed(
                f"Classic Load Balancer {lb.name} listener(s) {', '.join(weak)} "
                f"are not on {STRONG_CLASSIC_POLICY}."
            )
        ]
    return [passed(f"Classic Load Balancer {lb.name} TLS listeners use {STRONG_CLASSIC_POLICY}.")]


@check(
    "elb_logging_enabled",
    service="elb",
    resource_type="AwsElbLoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(CLASSIC,),
)
def access_logs(lb: ClassicLoadBalancer, ctx: CheckContext) -> CheckResult:
    """FAIL when access logging is off."""
    if lb.access_logs:
        return passed(f"Classic Load Balancer {lb.name} writes access logs.")
    return failed(f"Classic Load Balancer {lb.name} has access logging disabled.")


@check(
    "elb_connection_draining_enabled",
    service="elb",
    resource_type="AwsElbLoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(CLASSIC,),
)
def connection_draining(lb: ClassicLoadBalancer, ctx: CheckContext) -> CheckResult:
    """FAIL when connection draining is off."""
    if lb.connection_draining:
        return passed(f"Classic Load Balancer {lb.name} drains connections.")
    return failed(f"Classic Load Balancer {lb.name} has connection draining disabled.")


@check(
    "elb_cross_zone_load_balancing_enabled",
    service="elb",
    resource_type="AwsElbLoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(CLASSIC,),
)
def cross_zone(lb: ClassicLoadBalancer, ctx: CheckContext) -> CheckResult:
    """FAIL when cross-zone load balancing is off."""
    if lb.cross_zone:
        return passed(f"Classic Load Balancer {lb.name} balances across zones.")
    return failed(f"Classic Load Balancer {lb.name} has cross-zone load balancing disabled.")


@check(
    "elb_multiple_availability_zones",
    service="elb",
    resource_type="AwsElbLoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(CLASSIC,),
)
def multi_az(lb: ClassicLoadBalancer, ctx: CheckContext) -> CheckResult:
    """FAIL when the load balancer spans fewer than two Availability Zones."""
    zones = ", ".join(lb.availability_zones) or "none"
    if len(lb.availability_zones) >= 2:
        return passed(f"Classic Load Balancer {lb.name} spans {zones}.")
    return failed(f"Classic Load Balancer {lb.name} spans only {zones}.")


@check(
    "elb_desync_mitigation_mode",
    service="elb",
    resource_type="AwsElbLoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(CLASSIC,),
)
def desync_mode(lb: ClassicLoadBalancer, ctx: CheckContext) -> CheckResult:
    """FAIL unless the desync mitigation mode is defensive or strictest."""
    if lb.desync_mode in DESYNC_OK:
        return passed(f"Classic Load Balancer {lb.name} uses desync mitigation mode {lb.desync_mode}.")
    return failed(f"Classic Load Balancer {lb.name} uses desync mitigation mode {lb.desync_mode}.")
