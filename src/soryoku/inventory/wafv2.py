"""AWS WAF (v2): web ACLs with their rules and logging, and which internet-facing ALBs they protect.

moto (and some partitions) lack ``ListResourcesForWebACL``, and it would need one call per ACL and
resource type anyway: the ALB side asks ``GetWebACLForResource`` per load balancer instead. API Gateway
stages and CloudFront distributions name their web ACL themselves (see those collectors).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector

CLOUDFRONT_HOME = "us-east-1"  # CLOUDFRONT-scope web ACLs are only listed there


@dataclass(frozen=True, slots=True)
class WafRule:
    """A top-level rule of a web ACL.

    ``kind`` is ``managed`` (a managed rule group), ``rule_group`` (your own group), ``rate`` (a
    rate-based rule) or ``custom``. ``action`` is the rule's action (Block, Allow, Count, Captcha,
    Challenge) or, for a group, its override action (``None`` keeps the group's own actions, ``Count``
    turns them all into counts). ``counted_rules`` are rules of a managed group overridden to Count.
    """

    name: str
    priority: int
    kind: str
    action: str
    vendor: str | None = None
    group: str | None = None
    counted_rules: tuple[str, ...] = ()
    metrics_enabled: bool = True


@dataclass(frozen=True, slots=True)
class WebAcl:
    """A web ACL: scope (REGIONAL or CLOUDFRONT), default action, rules and whether logging is on."""

    arn: str
    region: str
    name: str
    scope: str
    default_action: str
    rules: tuple[WafRule, ...]
    logging_enabled: bool

    def managed_groups(self) -> dict[str, WafRule]:
        """AWS managed rule groups of the ACL by group name."""
        return {r.group: r for r in self.rules if r.kind == "managed" and r.vendor == "AWS" and r.group}


@dataclass(frozen=True, slots=True)
class WafProtectedResource:
    """An internet-facing resource that a web ACL can protect, and the ACL that does (None: none)."""

    arn: str
    region: str
    name: str
    kind: str
    web_acl_arn: str | None


def _only_key(value: Mapping[str, Any] | None, default: str) -> str:
    return next(iter(value), default) if value else default


def _statement_rule(rule: Mapping[str, Any]) -> tuple[str, str | None, str | None, tuple[str, ...]]:
    statement = rule.get("Statement") or {}
    if "ManagedRuleGroupStatement" in statement:
        group = statement["ManagedRuleGroupStatement"]
        counted = tuple(
            str(o.get("Name", ""))
            for o in group.get("RuleActionOverrides") or ()
            if "Count" in (o.get("ActionToUse") or {})
        )
        counted += tuple(str(r.get("Name", "")) for r in group.get("ExcludedRules") or ())
        return "managed", str(group.get("VendorName", "")), str(group.get("Name", "")), counted
    if "RuleGroupReferenceStatement" in statement:
        arn = str(statement["RuleGroupReferenceStatement"].get("ARN", ""))
        return "rule_group", None, arn.rsplit("/", 2)[-2] if "/" in arn else arn, ()
    if "RateBasedStatement" in statement:
        return "rate", None, None, ()
    return "custom", None, None, ()


def rule_from(rule: Mapping[str, Any]) -> WafRule:
    """One rule of GetWebACL's Rules as a model."""
    kind, vendor, group, counted = _statement_rule(rule)
    if kind in {"managed", "rule_group"}:
        action = _only_key(rule.get("OverrideAction"), "None")
    else:
        action = _only_key(rule.get("Action"), "Block")
    return WafRule(
        name=str(rule.get("Name", "")),
        priority=int(rule.get("Priority", 0)),
        kind=kind,
        action=action,
        vendor=vendor,
        group=group,
        counted_rules=counted,
        metrics_enabled=bool((rule.get("VisibilityConfig") or {}).get("CloudWatchMetricsEnabled", False)),
    )


def web_acl_from(acl: Mapping[str, Any], region: str, scope: str, logging_enabled: bool) -> WebAcl:
    """GetWebACL's WebACL as a model."""
    return WebAcl(
        arn=str(acl["ARN"]),
        region=region,
        name=str(acl["Name"]),
        scope=scope,
        default_action=_only_key(acl.get("DefaultAction"), "Allow"),
        rules=tuple(sorted((rule_from(r) for r in acl.get("Rules") or ()), key=lambda r: r.priority)),
        logging_enabled=logging_enabled,
    )


def _summaries(client: Any, scope: str) -> Iterator[Mapping[str, Any]]:
    marker: str | None = None
    while True:
        kwargs: dict[str, Any] = {"Scope": scope, "Limit": 100}
        if marker:
            kwargs["NextMarker"] = marker
        page = client.list_web_acls(**kwargs)
        yield from page.get("WebACLs", [])
        marker = page.get("NextMarker")
        if not marker or not page.get("WebACLs"):
            return


def _logging_enabled(client: Any, arn: str) -> bool:
    try:
        client.get_logging_configuration(ResourceArn=arn)
    except ClientError as exc:
        if error_code(exc) == "WAFNonexistentItemException":
            return False
        raise
    return True


@collector(
    "wafv2.web_acls",
    service="wafv2",
    scope="regional",
    actions=("wafv2:ListWebACLs", "wafv2:GetWebACL", "wafv2:GetLoggingConfiguration"),
    description="AWS WAF web ACLs (regional; CloudFront ones in us-east-1) with rules and logging",
)
def collect_web_acls(ctx: CollectContext) -> tuple[WebAcl, ...]:
    """ListWebACLs per scope, then GetWebACL and GetLoggingConfiguration per ACL."""
    client = ctx.client("wafv2")
    scopes = ("REGIONAL", "CLOUDFRONT") if ctx.region == CLOUDFRONT_HOME else ("REGIONAL",)
    work = [(scope, s) for scope in scopes for s in _summaries(client, scope)]

    def detail(item: tuple[str, Mapping[str, Any]]) -> WebAcl:
        scope, summary = item
        acl = client.get_web_acl(Name=summary["Name"], Scope=scope, Id=summary["Id"])["WebACL"]
        return web_acl_from(acl, ctx.region, scope, _logging_enabled(client, str(acl["ARN"])))

    return tuple(sorted(ctx.map(detail, work), key=lambda a: a.arn))


@collector(
    "wafv2.load_balancers",
    service="wafv2",
    scope="regional",
    actions=("elasticloadbalancing:DescribeLoadBalancers", "wafv2:GetWebACLForResource"),
    description="Internet-facing Application Load Balancers and the AWS WAF web ACL associated with each",
)
def collect_load_balancers(ctx: CollectContext) -> tuple[WafProtectedResource, ...]:
    """DescribeLoadBalancers (internet-facing ALBs), then GetWebACLForResource per load balancer."""
    elbv2, waf = ctx.client("elbv2"), ctx.client("wafv2")
    albs = [
        lb
        for page in elbv2.get_paginator("describe_load_balancers").paginate()
        for lb in page.get("LoadBalancers", [])
        # internet-facing is the API's default scheme (and moto leaves Scheme out when it was not given)
        if lb.get("Type") == "application" and lb.get("Scheme", "internet-facing") == "internet-facing"
    ]

    def detail(lb: Mapping[str, Any]) -> WafProtectedResource:
        arn = str(lb["LoadBalancerArn"])
        acl = waf.get_web_acl_for_resource(ResourceArn=arn).get("WebACL") or {}
        return WafProtectedResource(
            arn, ctx.region, str(lb["LoadBalancerName"]), "alb", str(acl["ARN"]) if acl.get("ARN") else None
        )

    return tuple(sorted(ctx.map(detail, albs), key=lambda r: r.arn))


__all__ = [
    "CLOUDFRONT_HOME",
    "WafProtectedResource",
    "WafRule",
    "WebAcl",
    "collect_load_balancers",
    "collect_web_acls",
    "rule_from",
    "web_acl_from",
]
