"""PASS/FAIL cases of the AWS WAF posture additions: Bot Control on request, rule group metrics, AppSync
GraphQL APIs and Cognito user and identity pools."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from soryoku.inventory.appsync import GraphqlApi
from soryoku.inventory.cognito import IdentityPool, PasswordPolicy, UserPool
from soryoku.inventory.wafv2 import WafRule, WafRuleGroup, WebAcl

from .cases import ACCOUNT, FAIL, PASS, REGION, Case

WAF_ARN = f"arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/webacl/edge/abc"
ASKED = (("soryoku:bot-control", "required"),)

# -- AWS WAF: Bot Control only where asked, rule groups --

PLAIN_ACL = WebAcl(
    arn=WAF_ARN,
    region=REGION,
    name="edge",
    scope="REGIONAL",
    default_action="Allow",
    rules=(WafRule("AWSManagedRulesCommonRuleSet", 0, "managed", "None", vendor="AWS",
                   group="AWSManagedRulesCommonRuleSet"),),
    logging_enabled=True,
)  # fmt: skip
BOT_RULE = WafRule("bots", 5, "managed", "None", vendor="AWS", group="AWSManagedRulesBotControlRuleSet")
GROUP = WafRuleGroup(
    arn=f"arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/rulegroup/admin-paths/def",
    region=REGION,
    name="admin-paths",
    scope="REGIONAL",
    metrics_enabled=True,
    rule_names=("block-admin", "block-debug"),
    rules_without_metrics=(),
)

WAF_CASES = [
    Case("asked for by tag and present", "wafv2_web_acl_bot_control",
         replace(PLAIN_ACL, rules=(*PLAIN_ACL.rules, BOT_RULE), tags=ASKED), PASS),
    Case("asked for by tag (any case), missing", "wafv2_web_acl_bot_control",
         replace(PLAIN_ACL, tags=(("soryoku:bot-control", " Required "),)), FAIL, says="soryoku:bot-control"),
    Case("rule group with metrics", "wafv2_rule_group_metrics_enabled", GROUP, PASS),
    Case("rule without metrics", "wafv2_rule_group_metrics_enabled",
         replace(GROUP, rules_without_metrics=("block-debug",)), FAIL, says="block-debug"),
    Case("group without metrics", "wafv2_rule_group_metrics_enabled",
         replace(GROUP, metrics_enabled=False), FAIL, says="group itself"),
]  # fmt: skip

# -- AppSync --

API = GraphqlApi(
    arn=f"arn:aws:appsync:{REGION}:{ACCOUNT}:apis/abc123",
    region=REGION,
    name="orders-graph",
    api_id="abc123",
    auth_types=("AMAZON_COGNITO_USER_POOLS", "AWS_IAM"),
    field_log_level="ERROR",
    visibility="GLOBAL",
    web_acl_arn=WAF_ARN,
)


def api(**kwargs: Any) -> GraphqlApi:
    return replace(API, **kwargs)


APPSYNC_CASES = [
    Case("web ACL", "appsync_graphql_api_waf_acl_attached", API, PASS, says="edge"),
    Case("public API without web ACL", "appsync_graphql_api_waf_acl_attached", api(web_acl_arn=None), FAIL,
         says="Public"),
    Case("private API with web ACL", "appsync_graphql_api_waf_acl_attached", api(visibility="PRIVATE"), PASS),
    Case("field logs at ERROR", "appsync_graphql_api_field_logging_enabled", API, PASS),
    Case("field logs at ALL", "appsync_graphql_api_field_logging_enabled", api(field_log_level="ALL"), PASS),
    Case("field logs NONE", "appsync_graphql_api_field_logging_enabled", api(field_log_level="NONE"), FAIL,
         says="NONE"),
    Case("Cognito and IAM auth", "appsync_graphql_api_no_api_key_auth", API, PASS),
    Case("API key default auth", "appsync_graphql_api_no_api_key_auth", api(auth_types=("API_KEY",)), FAIL,
         says="default"),
    Case("API key as additional auth", "appsync_graphql_api_no_api_key_auth",
         api(auth_types=("AWS_IAM", "API_KEY")), FAIL, says="additional"),
]  # fmt: skip

# -- Cognito --

POOL = UserPool(
    arn=f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_abc",
    region=REGION,
    name="customers",
    pool_id=f"{REGION}_abc",
    threat_protection="ENFORCED",
    custom_auth_threat="ENFORCED",
    password_policy=PasswordPolicy(),
    mfa="ON",
    deletion_protection=True,
    first_auth_factors=("PASSWORD",),
    web_acl_arn=WAF_ARN,
)


def pool(**kwargs: Any) -> UserPool:
    return replace(POOL, **kwargs)


IDENTITY = IdentityPool(
    arn=f"arn:aws:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{REGION}:1111",
    region=REGION,
    name="app-identities",
    pool_id=f"{REGION}:1111",
    allow_unauthenticated=False,
)

COGNITO_CASES = [
    Case("web ACL", "cognito_user_pool_waf_acl_attached", POOL, PASS, says="edge"),
    Case("no web ACL", "cognito_user_pool_waf_acl_attached", pool(web_acl_arn=None), FAIL, says="no AWS WAF"),
    Case("enforced", "cognito_user_pool_threat_protection_enforced", POOL, PASS),
    Case("audit only", "cognito_user_pool_threat_protection_enforced", pool(threat_protection="AUDIT"), FAIL,
         says="AUDIT"),
    Case("off", "cognito_user_pool_threat_protection_enforced", pool(threat_protection="OFF"), FAIL),
    Case("custom auth enforced", "cognito_user_pool_custom_auth_threat_protection_enforced", POOL, PASS),
    Case("custom auth not set", "cognito_user_pool_custom_auth_threat_protection_enforced",
         pool(custom_auth_threat=None), FAIL, says="not set"),
    Case("threat protection off", "cognito_user_pool_custom_auth_threat_protection_enforced",
         pool(threat_protection="OFF"), FAIL, says="OFF"),
    Case("default policy", "cognito_user_pool_password_policy_strong", POOL, PASS),
    Case("short, no symbols, long temporary", "cognito_user_pool_password_policy_strong",
         pool(password_policy=PasswordPolicy(minimum_length=6, require_symbols=False,
                                             temporary_password_validity_days=30)),
         FAIL, says="minimum length 6 < 8; no symbol required; temporary passwords valid 30 days"),
    Case("MFA on", "cognito_user_pool_mfa_enabled", POOL, PASS),
    Case("MFA optional", "cognito_user_pool_mfa_enabled", pool(mfa="OPTIONAL"), PASS),
    Case("password only, MFA off", "cognito_user_pool_mfa_enabled", pool(mfa="OFF"), FAIL),
    Case("deletion protection", "cognito_user_pool_deletion_protection", POOL, PASS),
    Case("no deletion protection", "cognito_user_pool_deletion_protection",
         pool(deletion_protection=False), FAIL),
    Case("authenticated only", "cognito_identity_pool_no_unauthenticated_identities", IDENTITY, PASS),
    Case("guest access", "cognito_identity_pool_no_unauthenticated_identities",
         replace(IDENTITY, allow_unauthenticated=True), FAIL, says="unauthenticated"),
]  # fmt: skip

CASES: list[Case] = WAF_CASES + APPSYNC_CASES + COGNITO_CASES

# Resources the checks do not judge: an ACL nobody asked Bot Control for, a private API without a web
# ACL, a pool whose users may sign in without a password.
SILENT_CASES: list[tuple[str, Any]] = [
    ("wafv2_web_acl_bot_control", PLAIN_ACL),
    ("wafv2_web_acl_bot_control", replace(PLAIN_ACL, tags=(("soryoku:bot-control", "optional"),))),
    ("appsync_graphql_api_waf_acl_attached", api(visibility="PRIVATE", web_acl_arn=None)),
    ("cognito_user_pool_mfa_enabled", pool(mfa="OFF", first_auth_factors=("PASSWORD", "EMAIL_OTP"))),
]
