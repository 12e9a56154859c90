"""AWS WAF collectors against the moto server: web ACL rules and logging, ALB associations."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.wafv2 import rule_from

ACCOUNT = "123456789012"
REGION = "us-east-1"
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def managed(name: str, priority: int, override: str = "None") -> dict[str, Any]:
    return {
        "Name": name,
        "Priority": priority,
        "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name}},
        "OverrideAction": {override: {}},
        "VisibilityConfig": VISIBILITY,
    }


def test_web_acls_rules_logging_and_alb_association(aws: str) -> None:
    waf, ec2, elbv2 = boto3.client("wafv2"), boto3.client("ec2"), boto3.client("elbv2")
    rate = {"Name": "per-ip", "Priority": 9, "Action": {"Block": {}}, "VisibilityConfig": VISIBILITY,
            "Statement": {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP"}}}  # fmt: skip
    edge = waf.create_web_acl(
        Name="edge", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY,
        Rules=[managed("AWSManagedRulesCommonRuleSet", 1),
               managed("AWSManagedRulesKnownBadInputsRuleSet", 2, "Count"), rate],
    )["Summary"]  # fmt: skip
    waf.create_web_acl(
        Name="empty", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY
    )
    group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:aws-waf-logs-edge"
    waf.put_logging_configuration(
        LoggingConfiguration={"ResourceArn": edge["ARN"], "LogDestinationConfigs": [group]}
    )
    global_acl = boto3.client("wafv2", region_name="us-east-1").create_web_acl(
        Name="cdn", Scope="CLOUDFRONT", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY
    )["Summary"]

    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.7.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"][
            "SubnetId"
        ]
        for i, z in ((1, "a"), (2, "b"))
    ]
    protected = elbv2.create_load_balancer(Name="shop", Subnets=subnets, Scheme="internet-facing")
    elbv2.create_load_balancer(Name="naked", Subnets=subnets, Scheme="internet-facing")
    elbv2.create_load_balancer(Name="inside", Subnets=subnets, Scheme="internal")
    waf.associate_web_acl(WebACLArn=edge["ARN"], ResourceArn=protected["LoadBalancers"][0]["LoadBalancerArn"])

    acls = {a.name: a for a in collect("wafv2.web_acls")}
    assert set(acls) == {"edge", "empty", "cdn"}
    assert acls["edge"].logging_enabled and not acls["empty"].logging_enabled and acls["empty"].rules == ()
    assert acls["cdn"].scope == "CLOUDFRONT" and acls["cdn"].arn == global_acl["ARN"]
    rules = {r.name: r for r in acls["edge"].rules}
    assert (
        rules["AWSManagedRulesCommonRuleSet"].kind == "managed"
        and rules["AWSManagedRulesCommonRuleSet"].action == "None"
    )
    assert rules["AWSManagedRulesKnownBadInputsRuleSet"].action == "Count"
    assert rules["per-ip"].kind == "rate" and rules["per-ip"].action == "Block"
    assert set(acls["edge"].managed_groups()) == {
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    }
    assert {a.name for a in collect("wafv2.web_acls", "eu-west-1")} == set()

    albs = {r.name: r for r in collect("wafv2.load_balancers")}
    assert set(albs) == {"shop", "naked"}
    assert albs["shop"].web_acl_arn == edge["ARN"] and albs["naked"].web_acl_arn is None


def test_web_acl_tags_ask_for_bot_control(aws: str) -> None:
    waf = boto3.client("wafv2")
    asked = waf.create_web_acl(
        Name="asked", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY,
        Tags=[{"Key": "soryoku:bot-control", "Value": "required"}, {"Key": "team", "Value": "web"}],
    )["Summary"]  # fmt: skip
    waf.create_web_acl(
        Name="quiet", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY,
        Tags=[{"Key": "team", "Value": "web"}],
    )  # fmt: skip
    acls = {a.name: a for a in collect("wafv2.web_acls")}
    assert acls["asked"].arn == asked["ARN"]
    assert acls["asked"].tags == (("soryoku:bot-control", "required"), ("team", "web"))
    assert acls["asked"].bot_control_requested and not acls["quiet"].bot_control_requested


def test_rule_groups_and_their_rule_metrics(aws: str) -> None:
    waf = boto3.client("wafv2")
    block = {"Block": {}}
    match = {
        "ByteMatchStatement": {
            "SearchString": "/admin",
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            "PositionalConstraint": "STARTS_WITH",
        }
    }
    silent = {**VISIBILITY, "CloudWatchMetricsEnabled": False}
    waf.create_rule_group(
        Name="admin-paths", Scope="REGIONAL", Capacity=10, VisibilityConfig=VISIBILITY,
        Rules=[{"Name": "block-admin", "Priority": 0, "Action": block, "Statement": match,
                "VisibilityConfig": VISIBILITY},
               {"Name": "block-debug", "Priority": 1, "Action": block, "Statement": match,
                "VisibilityConfig": silent}],
    )  # fmt: skip
    waf.create_rule_group(Name="quiet", Scope="REGIONAL", Capacity=10, VisibilityConfig=silent, Rules=[])
    groups = {g.name: g for g in collect("wafv2.rule_groups")}
    assert set(groups) == {"admin-paths", "quiet"}
    assert groups["admin-paths"].metrics_enabled and groups["admin-paths"].rule_names == (
        "block-admin",
        "block-debug",
    )
    assert groups["admin-paths"].rules_without_metrics == ("block-debug",)
    assert not groups["quiet"].metrics_enabled and groups["quiet"].scope == "REGIONAL"
    assert collect("wafv2.rule_groups", "eu-west-1") == ()


def test_rule_transform_counted_overrides() -> None:
    rule = rule_from(
        {"Name": "core", "Priority": 0, "OverrideAction": {"None": {}},
         "Statement": {"ManagedRuleGroupStatement": {
             "VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet",
             "RuleActionOverrides": [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}},
                                     {"Name": "NoUserAgent_HEADER", "ActionToUse": {"Block": {}}}]}}}
    )  # fmt: skip
    assert rule.counted_rules == ("SizeRestrictions_BODY",) and not rule.metrics_enabled
    custom = rule_from(
        {"Name": "c", "Priority": 1, "Action": {"Count": {}}, "Statement": {"ByteMatchStatement": {}}}
    )
    assert custom.kind == "custom" and custom.action == "Count"
