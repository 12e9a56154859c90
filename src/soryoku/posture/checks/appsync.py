"""AWS AppSync checks: a web ACL in front of every public GraphQL API, field-level logging, and no API
key authorization."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.appsync import GraphqlApi
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

GRAPHQL_APIS = "appsync.graphql_apis"
RESOURCE_TYPE = "AwsAppSyncGraphQlApi"
LOGGED_LEVELS = frozenset({"ERROR", "ALL", "INFO", "DEBUG"})


@check(
    "appsync_graphql_api_waf_acl_attached",
    service="appsync",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(GRAPHQL_APIS,),
)
def waf_attached(api: GraphqlApi, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when a public (GLOBAL) GraphQL API has no AWS WAF web ACL; private APIs get no verdict."""
    if api.web_acl_arn:
        return [
            passed(
                f"GraphQL API {api.name} is protected by web ACL {api.web_acl_arn.rsplit('/', 2)[-2]}.",
                web_acl=api.web_acl_arn,
            )
        ]
    if not api.internet_facing:
        return []
    if api.web_acl_unknown:
        return [CheckResult(ResultStatus.NOT_EVALUATED, f"GraphQL API {api.name}: {api.web_acl_unknown}")]
    return [
        failed(
            f"Public GraphQL API {api.name} has no AWS WAF web ACL: queries reach the resolvers unfiltered "
            "(no rate limit, no IP reputation, no injection rules).",
            exposure="internet",
        )
    ]


@check(
    "appsync_graphql_api_field_logging_enabled",
    service="appsync",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(GRAPHQL_APIS,),
)
def field_logging(api: GraphqlApi, ctx: CheckContext) -> CheckResult:
    """FAIL when the API's field resolver log level is NONE (or logging is not configured)."""
    if api.field_log_level in LOGGED_LEVELS:
        return passed(f"GraphQL API {api.name} logs field resolvers at level {api.field_log_level}.")
    return failed(
        f"GraphQL API {api.name} has field-level logging off (level {api.field_log_level}).",
        field_log_level=api.field_log_level,
    )


@check(
    "appsync_graphql_api_no_api_key_auth",
    service="appsync",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(GRAPHQL_APIS,),
)
def no_api_key(api: GraphqlApi, ctx: CheckContext) -> CheckResult:
    """FAIL when API_KEY is the API's default or an additional authorization type."""
    if "API_KEY" in api.auth_types:
        where = "default" if api.auth_types[0] == "API_KEY" else "additional"
        return failed(
            f"GraphQL API {api.name} accepts API keys ({where} authorization type): a key shipped in a "
            "client is a shared secret anyone who extracts it can use.",
            auth_types=list(api.auth_types),
        )
    return passed(f"GraphQL API {api.name} authorizes with {', '.join(api.auth_types)}, not API keys.")
