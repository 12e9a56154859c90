"""AWS WAF checks: each web ACL has rules, the AWS managed baseline in Block mode, a rate-based rule,
logging and metrics, and Bot Control where its owners asked for it (tag ``soryoku:bot-control``);
rule groups publish metrics; every internet-facing ALB has a web ACL.

API Gateway stages (apigateway_stage_waf_acl_attached), CloudFront distributions
(cloudfront_distribution_waf_enabled), AppSync APIs (appsync_graphql_api_waf_acl_attached) and Cognito
user pools (cognito_user_pool_waf_acl_attached) are judged by their own services' checks.
"""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.severity import Severity
from soryoku.inventory.wafv2 import BOT_CONTROL_TAG, WafProtectedResource, WafRuleGroup, WebAcl
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

WEB_ACLS = "wafv2.web_acls"
LOAD_BALANCERS = "wafv2.load_balancers"
RULE_GROUPS = "wafv2.rule_groups"
RESOURCE_TYPE = "AwsWafv2WebAcl"

# The AWS managed rule groups every web ACL in front of a web application should carry.
BASELINE_GROUPS = {
    "AWSManagedRulesCommonRuleSet": "core rule set",
    "AWSManagedRulesKnownBadInputsRuleSet": "known bad inputs",
    "AWSManagedRulesAmazonIpReputationList": "Amazon IP reputation list",
}
BOT_CONTROL_GROUP = "AWSManagedRulesBotControlRuleSet"


@check(
    "wafv2_web_acl_has_rules",
    service="wafv2",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(WEB_ACLS,),
)
def has_rules(acl: WebAcl, ctx: CheckContext) -> CheckResult:
    """FAIL when the web ACL has no rule or rule group (it only applies its default action)."""
    if acl.rules:
        return passed(f"Web ACL {acl.name} has {len(acl.rules)} rule(s) or rule group(s).")
    return failed(
        f"Web ACL {acl.name} has no rules: every request gets the default action ({acl.default_action}).",
        default_action=acl.default_action,
    )


@check(
    "wafv2_web_acl_logging_enabled",
    service="wafv2",
    resource_type=RESOURCE_TYPE,
    severity=Severity.LOW,
    collectors=(WEB_ACLS,),
)
def logging_enabled(acl: WebAcl, ctx: CheckContext) -> CheckResult:
    """FAIL when the web ACL has no logging configuration."""
    if acl.logging_enabled:
        return passed(f"Web ACL {acl.name} logs the requests it inspects.")
    return failed(f"Web ACL {acl.name} has logging disabled: blocked attacks leave no record.")


@check(
    "wafv2_web_acl_rule_metrics_enabled",
    service="wafv2",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(WEB_ACLS,),
)
def rule_metrics(acl: WebAcl, ctx: CheckContext) -> CheckResult:
    """FAIL when a rule of the web ACL has CloudWatch metrics disabled."""
    silent = [r.name for r in acl.rules if not r.metrics_enabled]
    if silent:
        return failed(
            f"Web ACL {acl.name} has rules without CloudWatch metrics ({', '.join(silent)}).", rules=silent
        )
    return passed(f"Web ACL {acl.name} publishes CloudWatch metrics for every rule.")


@check(
    "wafv2_web_acl_aws_managed_baseline",
    service="wafv2",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(WEB_ACLS,),
)
def managed_baseline(acl: WebAcl, ctx: CheckContext) -> CheckResult:
    """FAIL when the core rule set, known bad inputs or Amazon IP reputation managed group is missing."""
    groups = acl.managed_groups()
    missing = [label for name, label in BASELINE_GROUPS.items() if name not in groups]
    if missing:
        return failed(
            f"Web ACL {acl.name} lacks the AWS managed {', '.join(missing)} rule group(s).",
            missing=[name for name in BASELINE_GROUPS if name not in groups],
        )
    return passed(
        f"Web ACL {acl.name} includes the AWS managed core, known-bad-inputs and IP reputation groups."
    )


@check(
    "wafv2_web_acl_rules_block_mode",
    service="wafv2",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(WEB_ACLS,),
)
def block_mode(acl: WebAcl, ctx: CheckContext) -> CheckResult:
    """FAIL when a rule group is overridden to Count, a baseline group's rules are set to Count, or a
    rate-based rule only counts. Custom rules that count are left alone (often used to add labels)."""
    counting = [
        r.name for r in acl.rules if r.kind in {"managed", "rule_group", "rate"} and r.action == "Count"
    ]
    partial = [
        f"{r.name} ({', '.join(r.counted_rules)})"
        for r in acl.rules
        if r.kind == "managed" and r.group in BASELINE_GROUPS and r.counted_rules and r.action != "Count"
    ]
    if counting or partial:
        parts = []
        if counting:
            parts.append(f"count only: {', '.join(counting)}")
        if partial:
            parts.append(f"rules overridden to Count: {'; '.join(partial)}")
        return failed(
            f"Web ACL {acl.name} does not block with every rule ({'; '.join(parts)}).", rules=counting
        )
    if not acl.rules:
        return passed(f"Web ACL {acl.name} has no rule in Count mode (it has no rules at all).")
    return passed(f"Web ACL {acl.name} runs its rule groups and rate-based rules in blocking mode.")


@check(
    "wafv2_web_acl_rate_based_rule",
    service="wafv2",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(WEB_ACLS,),
)
def rate_based_rule(acl: WebAcl, ctx: CheckContext) -> CheckResult:
    """FAIL when the web ACL has no rate-based rule (no per-client flood limit)."""
    rates = [r.name for r in acl.rules if r.kind == "rate"]
    if rates:
        return passed(f"Web ACL {acl.name} limits request rates ({', '.join(rates)}).")
    return failed(f"Web ACL {acl.name} has no rate-based rule: one client can flood the application.")


@check(
    "wafv2_web_acl_bot_control",
    service="wafv2",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(WEB_ACLS,),
)
def bot_control(acl: WebAcl, ctx: CheckContext) -> Iterable[CheckResult]:
    """PASS when the web ACL includes AWS WAF Bot Control; FAIL only when its owners asked for Bot
    Control (tag ``soryoku:bot-control`` = ``required``) and it is missing; otherwise no verdict."""
    if BOT_CONTROL_GROUP in acl.managed_groups():
        return [passed(f"Web ACL {acl.name} includes AWS WAF Bot Control.")]
    if acl.bot_control_requested:
        return [
            failed(
                f"Web ACL {acl.name} is tagged {BOT_CONTROL_TAG}=required but does not include AWS WAF Bot "
                "Control: scrapers and automated clients are neither labelled nor limited.",
                requested_by_tag=BOT_CONTROL_TAG,
            )
        ]
    return []


@check(
    "wafv2_alb_web_acl_attached",
    service="wafv2",
    resource_type="AwsElbv2LoadBalancer",
    severity=Severity.MEDIUM,
    collectors=(LOAD_BALANCERS,),
)
def alb_web_acl(resource: WafProtectedResource, ctx: CheckContext) -> CheckResult:
    """FAIL when an internet-facing Application Load Balancer has no AWS WAF web ACL."""
    if resource.web_acl_arn:
        return passed(
            f"Load balancer {resource.name} is protected by web ACL "
            f"{resource.web_acl_arn.rsplit('/', 2)[-2]}.",
            web_acl=resource.web_acl_arn,
        )
    return failed(
        f"Internet-facing load balancer {resource.name} has no AWS WAF web ACL: requests reach the targets "
        "unfiltered.",
        exposure="internet",
    )


@check(
    "wafv2_rule_group_metrics_enabled",
    service="wafv2",
    resource_type="AwsWafv2RuleGroup",
    severity=Severity.MEDIUM,
    collectors=(RULE_GROUPS,),
)
def rule_group_metrics(group: WafRuleGroup, ctx: CheckContext) -> CheckResult:
    """FAIL when a rule group, or a rule inside it, has CloudWatch metrics disabled."""
    silent = ([] if group.metrics_enabled else ["(the group itself)"]) + list(group.rules_without_metrics)
    if silent:
        return failed(
            f"Rule group {group.name} has CloudWatch metrics disabled for {', '.join(silent)}.",
            rules=list(group.rules_without_metrics),
            group_metrics_enabled=group.metrics_enabled,
        )
    return passed(f"Rule group {group.name} publishes CloudWatch metrics for itself and every rule.")
