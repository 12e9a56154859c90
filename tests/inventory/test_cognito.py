"""Cognito collectors against the moto server: user pool security settings and web ACL, identity pools."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.cognito import PasswordPolicy, user_pool_from

ACCOUNT = "123456789012"
REGION = "us-east-1"
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_user_pools_settings_and_web_acl(aws: str) -> None:
    idp, waf = boto3.client("cognito-idp"), boto3.client("wafv2")
    hardened = idp.create_user_pool(
        PoolName="customers", MfaConfiguration="ON", DeletionProtection="ACTIVE",
        UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED",
                        "AdvancedSecurityAdditionalFlows": {"CustomAuthMode": "AUDIT"}},
        Policies={"PasswordPolicy": {"MinimumLength": 14, "RequireUppercase": True, "RequireLowercase": True,
                                     "RequireNumbers": True, "RequireSymbols": True,
                                     "TemporaryPasswordValidityDays": 3}},
    )["UserPool"]  # fmt: skip
    idp.create_user_pool(
        PoolName="legacy",
        Policies={"PasswordPolicy": {"MinimumLength": 6, "RequireSymbols": False}},
    )
    acl = waf.create_web_acl(
        Name="signin", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=VISIBILITY
    )["Summary"]["ARN"]
    waf.associate_web_acl(WebACLArn=acl, ResourceArn=hardened["Arn"])

    pools = {p.name: p for p in collect("cognito.user_pools")}
    assert set(pools) == {"customers", "legacy"}
    good, old = pools["customers"], pools["legacy"]
    assert good.arn == hardened["Arn"] and good.pool_id == hardened["Id"] and good.web_acl_arn == acl
    assert good.threat_protection == "ENFORCED" and good.custom_auth_threat == "AUDIT"
    assert good.mfa == "ON" and good.deletion_protection and good.first_auth_factors == ("PASSWORD",)
    assert good.password_policy == PasswordPolicy(14, True, True, True, True, 3)
    assert old.threat_protection == "OFF" and old.custom_auth_threat is None and old.mfa == "OFF"
    assert not old.deletion_protection and old.web_acl_arn is None
    assert old.password_policy.minimum_length == 6 and not old.password_policy.require_symbols
    assert collect("cognito.user_pools", "eu-west-1") == ()


def test_identity_pools_guest_access(aws: str) -> None:
    client = boto3.client("cognito-identity")
    guest = client.create_identity_pool(IdentityPoolName="guests", AllowUnauthenticatedIdentities=True)
    client.create_identity_pool(IdentityPoolName="members", AllowUnauthenticatedIdentities=False)
    pools = {p.name: p for p in collect("cognito.identity_pools")}
    assert set(pools) == {"guests", "members"}
    assert pools["guests"].allow_unauthenticated and not pools["members"].allow_unauthenticated
    assert pools["guests"].arn == (
        f"arn:aws:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{guest['IdentityPoolId']}"
    )


def test_sign_in_policy_first_factors() -> None:
    pool = user_pool_from(
        {"Arn": "arn:aws:cognito-idp:us-east-1:1:userpool/p", "Id": "p", "Name": "p",
         "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}},
        REGION,
        None,
    )  # fmt: skip
    assert pool.first_auth_factors == ("PASSWORD", "WEB_AUTHN") and pool.password_policy == PasswordPolicy()
