"""AWS WAF (v2): web ACLs with their rules, logging and tags, rule groups, and which internet-facing
Application Load Balancers they protect.

moto (and some partitions) lack ``ListResourcesForWebACL``, and it would need one call per ACL and
resource type anyway: the protected side asks ``GetWebACLForResource`` per resource instead (ALBs here,
AppSync APIs and Cognito user pools in their collectors). API Gateway stages and CloudFront
distributions name their web ACL themselves (see those collectors).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from soryoku.aws.failures import COLLECTION_ERRORS, error_code, failure_reason
from soryoku.inventory.base import CollectContext, collector

CLOUDFRONT_HOME = "us-east-1"  # CLOUDFRONT-scope web ACLs are only listed there

# The tag by which a team says a web ACL must carry AWS WAF Bot Control (a paid option not every
# application needs): only such ACLs FAIL the Bot Control check when it is missing.
BOT_CONTROL_TAG = "soryoku:bot-control"
BOT_CONTROL_REQUIRED = frozenset({"required", "true", "yes", "enabled"})


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
    """A web ACL: scope (REGIONAL or CLOUDFRONT), default action, rules, whether logging is on, tags."""

    arn: str
    region: str
    name: str
    scope: str
    default_action: str
    rules: tuple[WafRule, ...]
    logging_enabled: bool
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def bot_control_requested(self) -> bool:
        """Whether the ACL is tagged ``soryoku:bot-control`` = ``required`` (or true/yes/enabled)."""
        return any(k == BOT_CONTROL_TAG and v.strip().lower() in BOT_CONTROL_REQUIRED for k, v in self.tags)

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


@dataclass(frozen=True, slots=True)
class WafRuleGroup:
    """A rule group of your own: its rules and whether CloudWatch metrics are on for it and each rule."""

    arn: str
    region: str
    name: str
    scope: str
    metrics_enabled: bool
    rule_names: tuple[str, ...]
    rules_without_metrics: tuple[str, ...]


def _only_key(value: Mapping[str, Any] | None, default: str) -> str:
    return next(iter(value), default) if value else default


def _metrics_on(item: Mapping[str, Any]) -> bool:
    return bool((item.get("VisibilityConfig") or {}).get("CloudWatchMetricsEnabled", False))


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
        metrics_enabled=_metrics_on(rule),
    )


def web_acl_from(
    acl: Mapping[str, Any],
    region: str,
    scope: str,
    logging_enabled: bool,
    tags: Iterable[Mapping[str, Any]] = (),
) -> WebAcl:
    """GetWebACL's WebACL (and ListTagsForResource's TagList) as a model."""
    return WebAcl(
        arn=str(acl["ARN"]),
        region=region,
        name=str(acl["Name"]),
        scope=scope,
        default_action=_only_key(acl.get("DefaultAction"), "Allow"),
        rules=tuple(sorted((rule_from(r) for r in acl.get("Rules") or ()), key=lambda r: r.priority)),
        logging_enabled=logging_enabled,
        tags=tuple(sorted((str(t.get("Key", "")), str(t.get("Value", ""))) for t in tags)),
    )


def rule_group_from(group: Mapping[str, Any], region: str, scope: str) -> WafRuleGroup:
    """GetRuleGroup's RuleGroup as a model."""
    rules = group.get("Rules") or ()
    return WafRuleGroup(
        arn=str(group["ARN"]),
        region=region,
        name=str(group["Name"]),
        scope=scope,
        metrics_enabled=_metrics_on(group),
        rule_names=tuple(str(r.get("Name", "")) for r in rules),
        rules_without_metrics=tuple(str(r.get("Name", "")) for r in rules if not _metrics_on(r)),
    )


def _summaries(client: Any, scope: str, operation: str = "list_web_acls") -> Iterator[Mapping[str, Any]]:
    """ListWebACLs / ListRuleGroups pages (wafv2 has no paginators: NextMarker by hand)."""
    key = "WebACLs" if operation == "list_web_acls" else "RuleGroups"
    marker: str | None = None
    while True:
        kwargs: dict[str, Any] = {"Scope": scope, "Limit": 100}
        if marker:
            kwargs["NextMarker"] = marker
        page = getattr(client, operation)(**kwargs)
        yield from page.get(key, [])
        marker = page.get("NextMarker")
        if not marker or not page.get(key):
            return


def _tags(client: Any, arn: str) -> list[Mapping[str, Any]]:
    tags: list[Mapping[str, Any]] = []
    marker: str | None = None
    while True:
        kwargs: dict[str, Any] = {"ResourceARN": arn, "Limit": 100}
        if marker:
            kwargs["NextMarker"] = marker
        page = client.list_tags_for_resource(**kwargs)
        found = (page.get("TagInfoForResource") or {}).get("TagList") or []
        tags.extend(found)
        marker = page.get("NextMarker")
        if not marker or not found:
            return tags


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
    actions=(
        "wafv2:ListWebACLs",
        "wafv2:GetWebACL",
        "wafv2:GetLoggingConfiguration",
        "wafv2:ListTagsForResource",
    ),
    description="AWS WAF web ACLs (regional; CloudFront ones in us-east-1) with rules, logging and tags",
)
def collect_web_acls(ctx: CollectContext) -> tuple[WebAcl, ...]:
    """ListWebACLs per scope, then GetWebACL, GetLoggingConfiguration and ListTagsForResource per ACL."""
    client = ctx.client("wafv2")
    scopes = ("REGIONAL", "CLOUDFRONT") if ctx.region == CLOUDFRONT_HOME else ("REGIONAL",)
    work = [(scope, s) for scope in scopes for s in _summaries(client, scope)]

    def detail(item: tuple[str, Mapping[str, Any]]) -> WebAcl:
        scope, summary = item
        acl = client.get_web_acl(Name=summary["Name"], Scope=scope, Id=summary["Id"])["WebACL"]
        arn = str(acl["ARN"])
        return web_acl_from(acl, ctx.region, scope, _logging_enabled(client, arn), _tags(client, arn))

    return tuple(sorted(ctx.map(detail, work), key=lambda a: a.arn))


@collector(
    "wafv2.rule_groups",
    service="wafv2",
    scope="regional",
    actions=("wafv2:ListRuleGroups", "wafv2:GetRuleGroup"),
    description="AWS WAF rule groups of your own (regional; CloudFront ones in us-east-1) with rule metrics",
)
def collect_rule_groups(ctx: CollectContext) -> tuple[WafRuleGroup, ...]:
    """ListRuleGroups per scope, then GetRuleGroup per group."""
    client = ctx.client("wafv2")
    scopes = ("REGIONAL", "CLOUDFRONT") if ctx.region == CLOUDFRONT_HOME else ("REGIONAL",)
    work = [(scope, s) for scope in scopes for s in _summaries(client, scope, "list_rule_groups")]

    def detail(item: tuple[str, Mapping[str, Any]]) -> WafRuleGroup:
        scope, summary = item
        group = client.get_rule_group(Name=summary["Name"], Scope=scope, Id=summary["Id"])["RuleGroup"]
        return rule_group_from(group, ctx.region, scope)

    return tuple(sorted(ctx.map(detail, work), key=lambda g: g.arn))


def web_acl_for(waf: Any, resource_arn: str) -> str | None:
    """The ARN of the web ACL protecting a resource (GetWebACLForResource), None when there is none."""
    acl = waf.get_web_acl_for_resource(ResourceArn=resource_arn).get("WebACL") or {}
    return str(acl["ARN"]) if acl.get("ARN") else None


def web_acl_or_reason(waf: Any, resource_arn: str) -> tuple[str | None, str | None]:
    """``(web ACL ARN or None, None)``, or ``(None, why)`` when WAF could not be asked — for collectors
    of another service, whose other checks must not fail with WAF (only the web-ACL check is then
    not evaluated)."""
    try:
        return web_acl_for(waf, resource_arn), None
    except COLLECTION_ERRORS as exc:
        return None, f"wafv2:GetWebACLForResource: {failure_reason(exc)}"


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
        name = str(lb["LoadBalancerName"])
        return WafProtectedResource(arn, ctx.region, name, "alb", web_acl_for(waf, arn))

    return tuple(sorted(ctx.map(detail, albs), key=lambda r: r.arn))


__all__ = [
    "BOT_CONTROL_TAG",
    "CLOUDFRONT_HOME",
    "WafProtectedResource",
    "WafRule",
    "WafRuleGroup",
    "WebAcl",
    "collect_load_balancers",
    "collect_rule_groups",
    "collect_web_acls",
    "rule_from",
    "rule_group_from",
    "web_acl_for",
    "web_acl_from",
]
