"""AWS AppSync: GraphQL APIs with their authorization modes, field-level logging, visibility and the
AWS WAF web ACL that protects each (``GetWebACLForResource``: authoritative, and the only source moto
serves; ListGraphqlApis' own ``wafWebAclArn`` is used when present)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector
from soryoku.inventory.wafv2 import web_acl_or_reason


@dataclass(frozen=True, slots=True)
class GraphqlApi:
    """An AppSync GraphQL API.

    ``auth_types`` is the default authorization type first, then the additional providers'.
    ``field_log_level`` is NONE, ERROR, INFO, DEBUG or ALL (NONE also when logging is not configured).
    ``visibility`` is GLOBAL (an internet endpoint) or PRIVATE (reachable through a VPC endpoint only).
    """

    arn: str
    region: str
    name: str
    api_id: str
    auth_types: tuple[str, ...]
    field_log_level: str
    visibility: str
    web_acl_arn: str | None
    web_acl_unknown: str | None = None  # why the web ACL could not be read (then web_acl_arn is None)

    @property
    def internet_facing(self) -> bool:
        """Whether the API's endpoint is public (GLOBAL visibility)."""
        return self.visibility != "PRIVATE"


def graphql_api_from(
    api: Mapping[str, Any], region: str, web_acl_arn: str | None, web_acl_unknown: str | None = None
) -> GraphqlApi:
    """ListGraphqlApis' GraphqlApi (and the web ACL found for it) as a model."""
    additional = tuple(
        str(p.get("authenticationType", "")) for p in api.get("additionalAuthenticationProviders") or ()
    )
    log_config = api.get("logConfig") or {}
    return GraphqlApi(
        arn=str(api["arn"]),
        region=region,
        name=str(api.get("name", "")),
        api_id=str(api.get("apiId", "")),
        auth_types=(str(api.get("authenticationType", "")), *additional),
        field_log_level=str(log_config.get("fieldLogLevel") or "NONE"),
        visibility=str(api.get("visibility") or "GLOBAL"),
        web_acl_arn=str(api["wafWebAclArn"]) if api.get("wafWebAclArn") else web_acl_arn,
        web_acl_unknown=None if api.get("wafWebAclArn") else web_acl_unknown,
    )


@collector(
    "appsync.graphql_apis",
    service="appsync",
    scope="regional",
    actions=("appsync:ListGraphqlApis", "wafv2:GetWebACLForResource"),
    description="AppSync GraphQL APIs with authorization modes, field-level logging and AWS WAF web ACL",
)
def collect_graphql_apis(ctx: CollectContext) -> tuple[GraphqlApi, ...]:
    """ListGraphqlApis, then GetWebACLForResource per API that does not name its web ACL."""
    appsync, waf = ctx.client("appsync"), ctx.client("wafv2")
    apis = [a for page in appsync.get_paginator("list_graphql_apis").paginate() for a in page["graphqlApis"]]

    def detail(api: Mapping[str, Any]) -> GraphqlApi:
        if api.get("wafWebAclArn"):
            return graphql_api_from(api, ctx.region, None)
        return graphql_api_from(api, ctx.region, *web_acl_or_reason(waf, str(api["arn"])))

    return tuple(sorted(ctx.map(detail, apis), key=lambda a: a.arn))


__all__ = ["GraphqlApi", "collect_graphql_apis", "graphql_api_from"]
