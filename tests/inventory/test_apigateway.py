"""API Gateway collectors against the moto server: REST stages (v1), HTTP API routes and stages (v2)."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.apigateway import rest_stage_from
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def _rest_api(name: str) -> str:
    api = boto3.client("apigateway")
    api_id = str(api.create_rest_api(name=name)["id"])
    root = api.get_resources(restApiId=api_id)["items"][0]["id"]
    api.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    api.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    api.create_deployment(restApiId=api_id, stageName="prod")
    return api_id


def test_rest_stages_with_logging_tracing_cache_certificate_and_waf(aws: str) -> None:
    api, waf = boto3.client("apigateway"), boto3.client("wafv2")
    hardened = _rest_api("orders")
    _rest_api("legacy")
    api.update_stage(
        restApiId=hardened,
        stageName="prod",
        patchOperations=[
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
            {"op": "replace", "path": "/tracingEnabled", "value": "true"},
            {"op": "replace", "path": "/*/*/caching/enabled", "value": "true"},
            {"op": "replace", "path": "/*/*/caching/dataEncrypted", "value": "true"},
        ],
    )
    visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "api"}
    acl = waf.create_web_acl(
        Name="api", Scope="REGIONAL", DefaultAction={"Allow": {}}, Rules=[], VisibilityConfig=visibility
    )["Summary"]
    stage_arn = f"arn:aws:apigateway:{REGION}::/restapis/{hardened}/stages/prod"
    waf.associate_web_acl(WebACLArn=acl["ARN"], ResourceArn=stage_arn)

    stages = {s.api_name: s for s in collect("apigateway.rest_stages")}
    good, bad = stages["orders"], stages["legacy"]
    assert good.arn == stage_arn and good.name == "orders/prod" and good.stage == "prod"
    assert good.tracing_enabled and good.web_acl_arn == acl["ARN"]
    default = next(m for m in good.methods if m.path == "*/*")
    assert default.logging_level == "ERROR" and default.caching_enabled and default.cache_encrypted
    assert not bad.tracing_enabled and bad.client_certificate_id is None and bad.web_acl_arn is None
    assert collect("apigateway.rest_stages", "eu-west-1") == ()


def test_http_api_routes_and_stages(aws: str) -> None:
    v2 = boto3.client("apigatewayv2")
    api_id = v2.create_api(Name="shop", ProtocolType="HTTP")["ApiId"]
    v2.create_route(ApiId=api_id, RouteKey="GET /items", AuthorizationType="NONE")
    v2.create_route(ApiId=api_id, RouteKey="POST /orders", AuthorizationType="AWS_IAM")
    v2.create_stage(ApiId=api_id, StageName="logged",
                    AccessLogSettings={"DestinationArn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:api",
                                       "Format": "$context.requestId"})  # fmt: skip
    v2.create_stage(ApiId=api_id, StageName="silent")

    routes = {r.route_key: r for r in collect("apigatewayv2.routes")}
    assert routes["GET /items"].authorization_type == "NONE"
    assert routes["POST /orders"].authorization_type == "AWS_IAM"
    assert routes["GET /items"].name == "shop GET /items" and routes["GET /items"].protocol == "HTTP"
    stages = {s.stage: s for s in collect("apigatewayv2.stages")}
    assert stages["logged"].access_log_destination == f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:api"
    assert stages["silent"].access_log_destination is None
    assert stages["silent"].arn == f"arn:aws:apigateway:{REGION}::/apis/{api_id}/stages/silent"
    socket = v2.create_api(
        Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
    )
    v2.create_stage(ApiId=socket["ApiId"], StageName="live", DefaultRouteSettings={"LoggingLevel": "ERROR"})
    (live,) = [s for s in collect("apigatewayv2.stages") if s.api_name == "chat"]
    assert live.protocol == "WEBSOCKET" and live.logging_level == "ERROR"


def test_private_rest_api_transform() -> None:
    api = {"id": "a1", "name": "internal", "endpointConfiguration": {"types": ["PRIVATE"]}}
    stage = rest_stage_from(
        api, {"stageName": "v1", "methodSettings": {"*/*": {"loggingLevel": "INFO"}}}, "r"
    )
    assert stage.private and stage.methods[0].logging_level == "INFO" and stage.web_acl_arn is None
