"""API Gateway checks: REST stage logging, client certificates, X-Ray, WAF, cache encryption; HTTP API
route authorization and stage access logging."""

from __future__ import annotations

from collections.abc import Iterator

from soryoku.core.severity import Severity
from soryoku.inventory.apigateway import HttpApiRoute, HttpApiStage, RestStage
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

REST_STAGES = "apigateway.rest_stages"
ROUTES = "apigatewayv2.routes"
V2_STAGES = "apigatewayv2.stages"
STAGE = "AwsApiGatewayStage"
V2_STAGE = "AwsApiGatewayV2Stage"


def _exposure(stage: RestStage) -> str | None:
    return "private API (VPC endpoints only)" if stage.private else None


@check(
    "apigateway_stage_execution_logging_enabled",
    service="apigateway",
    resource_type=STAGE,
    severity=Severity.MEDIUM,
    collectors=(REST_STAGES,),
)
def execution_logging(stage: RestStage, ctx: CheckContext) -> CheckResult:
    """FAIL unless every method of the stage logs at ERROR or INFO (the ``*/*`` default and overrides)."""
    default = next((m for m in stage.methods if m.path == "*/*"), None)
    if default is None or default.logging_level not in {"ERROR", "INFO"}:
        level = default.logging_level if default else "OFF"
        return failed(f"REST API stage {stage.name} has execution logging {level}.", logging_level=level)
    off = [m.path for m in stage.methods if m.logging_level not in {"ERROR", "INFO"}]
    if off:
        return failed(
            f"REST API stage {stage.name} logs at {default.logging_level} but turns logging off for "
            f"{', '.join(off)}.",
            methods=off,
        )
    return passed(f"REST API stage {stage.name} logs every method at {default.logging_level}.")


@check(
    "apigateway_stage_client_certificate_enabled",
    service="apigateway",
    resource_type=STAGE,
    severity=Severity.MEDIUM,
    collectors=(REST_STAGES,),
)
def client_certificate(stage: RestStage, ctx: CheckContext) -> CheckResult:
    """FAIL when the stage has no client certificate for its backends to authenticate API Gateway."""
    if stage.client_certificate_id:
        return passed(
            f"REST API stage {stage.name} presents client certificate {stage.client_certificate_id}."
        )
    return failed(
        f"REST API stage {stage.name} has no client certificate: backends cannot tell its requests "
        "from anyone else's."
    )


@check(
    "apigateway_stage_xray_tracing_enabled",
    service="apigateway",
    resource_type=STAGE,
    severity=Severity.LOW,
    collectors=(REST_STAGES,),
)
def xray_tracing(stage: RestStage, ctx: CheckContext) -> CheckResult:
    """FAIL when X-Ray active tracing is off for the stage."""
    if stage.tracing_enabled:
        return passed(f"REST API stage {stage.name} has X-Ray active tracing enabled.")
    return failed(f"REST API stage {stage.name} has X-Ray active tracing disabled.")


@check(
    "apigateway_stage_waf_acl_attached",
    service="apigateway",
    resource_type=STAGE,
    severity=Severity.MEDIUM,
    collectors=(REST_STAGES,),
)
def waf_attached(stage: RestStage, ctx: CheckContext) -> CheckResult:
    """FAIL when no AWS WAF web ACL protects the stage (private APIs are judged too, exposure says so)."""
    if stage.web_acl_arn:
        return passed(
            f"REST API stage {stage.name} is protected by web ACL {stage.web_acl_arn.rsplit('/', 2)[-2]}.",
            web_acl=stage.web_acl_arn,
        )
    return failed(
        f"REST API stage {stage.name} has no AWS WAF web ACL: requests reach the API unfiltered.",
        exposure=_exposure(stage) or "internet",
    )


@check(
    "apigateway_stage_cache_encrypted",
    service="apigateway",
    resource_type=STAGE,
    severity=Severity.MEDIUM,
    collectors=(REST_STAGES,),
)
def cache_encrypted(stage: RestStage, ctx: CheckContext) -> CheckResult:
    """FAIL when a method caches responses without encrypting the cache data."""
    plain = [m.path for m in stage.methods if m.caching_enabled and not m.cache_encrypted]
    if plain:
        return failed(
            f"REST API stage {stage.name} caches responses unencrypted for {', '.join(plain)}.", methods=plain
        )
    cached = [m.path for m in stage.methods if m.caching_enabled]
    if cached:
        return passed(f"REST API stage {stage.name} encrypts its cache for {', '.join(cached)}.")
    return passed(f"REST API stage {stage.name} caches no method.")


@check(
    "apigatewayv2_route_authorization_type",
    service="apigateway",
    resource_type="AwsApiGatewayV2Route",
    severity=Severity.MEDIUM,
    collectors=(ROUTES,),
)
def route_authorization(route: HttpApiRoute, ctx: CheckContext) -> CheckResult:
    """FAIL when an HTTP/WebSocket API route has authorization type NONE."""
    if route.authorization_type == "NONE":
        return failed(
            f"{route.protocol} API route {route.name} has no authorization: anyone can call it.",
            exposure="internet",
        )
    return passed(f"{route.protocol} API route {route.name} uses {route.authorization_type} authorization.")


@check(
    "apigatewayv2_stage_access_logging_enabled",
    service="apigateway",
    resource_type=V2_STAGE,
    severity=Severity.MEDIUM,
    collectors=(V2_STAGES,),
)
def v2_access_logging(stage: HttpApiStage, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when an HTTP/WebSocket API stage has no access log destination."""
    if stage.access_log_destination:
        yield passed(f"{stage.protocol} API stage {stage.name} writes access logs.")
    else:
        yield failed(f"{stage.protocol} API stage {stage.name} has no access logging.")


@check(
    "apigatewayv2_websocket_stage_execution_logging_enabled",
    service="apigateway",
    resource_type=V2_STAGE,
    severity=Severity.MEDIUM,
    collectors=(V2_STAGES,),
)
def websocket_execution_logging(stage: HttpApiStage, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a WebSocket API stage's default route logging level is neither ERROR nor INFO.

    HTTP APIs have no execution logging (only access logs), so they get no verdict here.
    """
    if stage.protocol != "WEBSOCKET":
        return
    if stage.logging_level in {"ERROR", "INFO"}:
        yield passed(f"WebSocket API stage {stage.name} logs at {stage.logging_level}.")
    else:
        yield failed(
            f"WebSocket API stage {stage.name} has execution logging {stage.logging_level}.",
            logging_level=stage.logging_level,
        )
