"""API Gateway: REST API stages (v1) and HTTP/WebSocket API routes and stages (v2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class MethodSetting:
    """One entry of a REST stage's methodSettings (``*/*`` is the stage-wide default)."""

    path: str
    logging_level: str
    caching_enabled: bool
    cache_encrypted: bool


@dataclass(frozen=True, slots=True)
class RestStage:
    """A REST API stage: logging per method, client certificate, X-Ray, WAF web ACL, cache settings."""

    arn: str
    region: str
    name: str
    api_id: str
    api_name: str
    stage: str
    endpoint_types: tuple[str, ...]
    client_certificate_id: str | None
    tracing_enabled: bool
    web_acl_arn: str | None
    cache_cluster_enabled: bool
    access_log_destination: str | None
    methods: tuple[MethodSetting, ...]

    @property
    def private(self) -> bool:
        """True for a PRIVATE endpoint API (reachable only through VPC endpoints)."""
        return self.endpoint_types == ("PRIVATE",)


@dataclass(frozen=True, slots=True)
class HttpApiRoute:
    """A route of an HTTP or WebSocket API and its authorization type."""

    arn: str
    region: str
    name: str
    api_id: str
    api_name: str
    protocol: str
    route_key: str
    authorization_type: str


@dataclass(frozen=True, slots=True)
class HttpApiStage:
    """A stage of an HTTP or WebSocket API: access log destination, default route logging level."""

    arn: str
    region: str
    name: str
    api_id: str
    api_name: str
    protocol: str
    stage: str
    access_log_destination: str | None
    logging_level: str = "OFF"


def rest_stage_from(api: Mapping[str, Any], stage: Mapping[str, Any], region: str) -> RestStage:
    """A GetRestApis item and one of its GetStages items as a model."""
    api_id, stage_name = str(api["id"]), str(stage["stageName"])
    methods = tuple(
        MethodSetting(
            path=str(path),
            logging_level=str(setting.get("loggingLevel") or "OFF"),
            caching_enabled=bool(setting.get("cachingEnabled", False)),
            cache_encrypted=bool(setting.get("cacheDataEncrypted", False)),
        )
        for path, setting in sorted((stage.get("methodSettings") or {}).items())
    )
    return RestStage(
        arn=f"arn:aws:apigateway:{region}::/restapis/{api_id}/stages/{stage_name}",
        region=region,
        name=f"{api.get('name', api_id)}/{stage_name}",
        api_id=api_id,
        api_name=str(api.get("name", "")),
        stage=stage_name,
        endpoint_types=tuple(str(t) for t in (api.get("endpointConfiguration") or {}).get("types") or ()),
        client_certificate_id=str(stage["clientCertificateId"]) if stage.get("clientCertificateId") else None,
        tracing_enabled=bool(stage.get("tracingEnabled", False)),
        web_acl_arn=str(stage["webAclArn"]) if stage.get("webAclArn") else None,
        cache_cluster_enabled=bool(stage.get("cacheClusterEnabled", False)),
        access_log_destination=(stage.get("accessLogSettings") or {}).get("destinationArn"),
        methods=methods,
    )


def http_route_from(api: Mapping[str, Any], route: Mapping[str, Any], region: str) -> HttpApiRoute:
    """A GetApis item and one of its GetRoutes items as a model."""
    api_id, route_id = str(api["ApiId"]), str(route["RouteId"])
    return HttpApiRoute(
        arn=f"arn:aws:apigateway:{region}::/apis/{api_id}/routes/{route_id}",
        region=region,
        name=f"{api.get('Name', api_id)} {route.get('RouteKey', '')}",
        api_id=api_id,
        api_name=str(api.get("Name", "")),
        protocol=str(api.get("ProtocolType", "HTTP")),
        route_key=str(route.get("RouteKey", "")),
        authorization_type=str(route.get("AuthorizationType") or "NONE"),
    )


def http_stage_from(api: Mapping[str, Any], stage: Mapping[str, Any], region: str) -> HttpApiStage:
    """A GetApis item and one of its GetStages items as a model."""
    api_id, stage_name = str(api["ApiId"]), str(stage["StageName"])
    return HttpApiStage(
        arn=f"arn:aws:apigateway:{region}::/apis/{api_id}/stages/{stage_name}",
        region=region,
        name=f"{api.get('Name', api_id)}/{stage_name}",
        api_id=api_id,
        api_name=str(api.get("Name", "")),
        protocol=str(api.get("ProtocolType", "HTTP")),
        stage=stage_name,
        access_log_destination=(stage.get("AccessLogSettings") or {}).get("DestinationArn"),
        logging_level=str((stage.get("DefaultRouteSettings") or {}).get("LoggingLevel") or "OFF"),
    )


@collector(
    "apigateway.rest_stages",
    service="apigateway",
    scope="regional",
    actions=("apigateway:GET",),
    description="API Gateway REST API stages with method logging, client certificate, X-Ray, WAF and cache",
)
def collect_rest_stages(ctx: CollectContext) -> tuple[RestStage, ...]:
    """GetRestApis, then GetStages per API."""
    client = ctx.client("apigateway")
    apis = [a for page in client.get_paginator("get_rest_apis").paginate() for a in page.get("items", [])]

    def stages(api: Mapping[str, Any]) -> list[RestStage]:
        answer = client.get_stages(restApiId=api["id"])
        return [rest_stage_from(api, s, ctx.region) for s in answer.get("item", [])]

    return tuple(sorted((s for group in ctx.map(stages, apis) for s in group), key=lambda s: s.arn))


def _v2_apis(ctx: CollectContext) -> tuple[Any, list[Mapping[str, Any]]]:
    client = ctx.client("apigatewayv2")
    return client, [a for page in client.get_paginator("get_apis").paginate() for a in page.get("Items", [])]


@collector(
    "apigatewayv2.routes",
    service="apigateway",
    scope="regional",
    actions=("apigateway:GET",),
    description="API Gateway HTTP and WebSocket API routes with their authorization type",
)
def collect_http_routes(ctx: CollectContext) -> tuple[HttpApiRoute, ...]:
    """GetApis, then GetRoutes per API."""
    client, apis = _v2_apis(ctx)

    def routes(api: Mapping[str, Any]) -> list[HttpApiRoute]:
        pages = client.get_paginator("get_routes").paginate(ApiId=api["ApiId"])
        return [http_route_from(api, r, ctx.region) for page in pages for r in page.get("Items", [])]

    return tuple(sorted((r for group in ctx.map(routes, apis) for r in group), key=lambda r: r.arn))


@collector(
    "apigatewayv2.stages",
    service="apigateway",
    scope="regional",
    actions=("apigateway:GET",),
    description="API Gateway HTTP and WebSocket API stages with their access log destination",
)
def collect_http_stages(ctx: CollectContext) -> tuple[HttpApiStage, ...]:
    """GetApis, then GetStages per API."""
    client, apis = _v2_apis(ctx)

    def stages(api: Mapping[str, Any]) -> list[HttpApiStage]:
        pages = client.get_paginator("get_stages").paginate(ApiId=api["ApiId"])
        return [http_stage_from(api, s, ctx.region) for page in pages for s in page.get("Items", [])]

    return tuple(sorted((s for group in ctx.map(stages, apis) for s in group), key=lambda s: s.arn))


__all__ = [
    "HttpApiRoute",
    "HttpApiStage",
    "MethodSetting",
    "RestStage",
    "collect_http_routes",
    "collect_http_stages",
    "collect_rest_stages",
    "http_route_from",
    "http_stage_from",
    "rest_stage_from",
]
