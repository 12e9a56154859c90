"""AppSync collector against the moto server: authorization modes, field logging, web ACL."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.appsync import graphql_api_from
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_graphql_apis_auth_logging_and_web_acl(aws: str) -> None:
    appsync, waf = boto3.client("appsync"), boto3.client("wafv2")
    role = f"arn:aws:iam::{ACCOUNT}:role/appsync-logs"
    guarded = appsync.create_graphql_api(
        name="orders", authenticationType="AMAZON_COGNITO_USER_POOLS",
        userPoolConfig={"userPoolId": f"{REGION}_abc", "awsRegion": REGION, "defaultAction": "ALLOW"},
        additionalAuthenticationProviders=[{"authenticationType": "AWS_IAM"}],
        logConfig={"fieldLogLevel": "ERROR", "cloudWatchLogsRoleArn": role},
    )["graphqlApi"]  # fmt: skip
    appsync.create_graphql_api(name="open", authenticationType="API_KEY")
    appsync.create_graphql_api(name="inside", authenticationType="AWS_IAM", visibility="PRIVATE")
    acl = waf.create_web_acl(
        Name="graph", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY
    )["Summary"]["ARN"]
    waf.associate_web_acl(WebACLArn=acl, ResourceArn=guarded["arn"])

    apis = {a.name: a for a in collect("appsync.graphql_apis")}
    assert set(apis) == {"orders", "open", "inside"}
    orders, open_api = apis["orders"], apis["open"]
    assert orders.arn == guarded["arn"] and orders.api_id == guarded["apiId"]
    assert orders.auth_types == ("AMAZON_COGNITO_USER_POOLS", "AWS_IAM")
    assert orders.field_log_level == "ERROR" and orders.web_acl_arn == acl and orders.internet_facing
    assert open_api.auth_types == ("API_KEY",) and open_api.field_log_level == "NONE"
    assert open_api.web_acl_arn is None
    assert not apis["inside"].internet_facing
    assert collect("appsync.graphql_apis", "eu-west-1") == ()


def test_the_api_s_own_web_acl_field_wins() -> None:
    acl = "arn:aws:wafv2:us-east-1:1:regional/webacl/w/1"
    listed = {
        "arn": "arn:aws:appsync:us-east-1:1:apis/a",
        "name": "a",
        "apiId": "a",
        "authenticationType": "AWS_IAM",
        "wafWebAclArn": acl,
        "logConfig": {"fieldLogLevel": "ALL"},
    }
    api = graphql_api_from(listed, REGION, None)
    assert api.web_acl_arn == acl and api.field_log_level == "ALL"
