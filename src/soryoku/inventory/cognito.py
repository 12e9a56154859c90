"""Amazon Cognito: user pools (threat protection, password policy, MFA, deletion protection, sign-in
factors and the AWS WAF web ACL that protects each) and identity pools (guest access)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector
from soryoku.inventory.wafv2 import web_acl_or_reason


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """A user pool's password policy (AWS's defaults when the pool has none)."""

    minimum_length: int = 8
    require_uppercase: bool = True
    require_lowercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True
    temporary_password_validity_days: int = 7


@dataclass(frozen=True, slots=True)
class UserPool:
    """A Cognito user pool.

    ``threat_protection`` is AdvancedSecurityMode (OFF, AUDIT or ENFORCED) and ``custom_auth_threat``
    the custom-authentication mode (AUDIT or ENFORCED; None when not set). ``mfa`` is OFF, ON or
    OPTIONAL. ``first_auth_factors`` are the sign-in policy's allowed first factors (PASSWORD alone
    when the pool has no sign-in policy).
    """

    arn: str
    region: str
    name: str
    pool_id: str
    threat_protection: str
    custom_auth_threat: str | None
    password_policy: PasswordPolicy
    mfa: str
    deletion_protection: bool
    first_auth_factors: tuple[str, ...]
    web_acl_arn: str | None
    web_acl_unknown: str | None = None  # why the web ACL could not be read (then web_acl_arn is None)


@dataclass(frozen=True, slots=True)
class IdentityPool:
    """A Cognito identity pool and whether it hands AWS credentials to unauthenticated guests."""

    arn: str
    region: str
    name: str
    pool_id: str
    allow_unauthenticated: bool


def password_policy_from(policy: Mapping[str, Any] | None) -> PasswordPolicy:
    """DescribeUserPool's Policies.PasswordPolicy as a model (absent keys at AWS's defaults)."""
    policy = policy or {}
    default = PasswordPolicy()
    return PasswordPolicy(
        minimum_length=int(policy.get("MinimumLength", default.minimum_length)),
        require_uppercase=bool(policy.get("RequireUppercase", default.require_uppercase)),
        require_lowercase=bool(policy.get("RequireLowercase", default.require_lowercase)),
        require_numbers=bool(policy.get("RequireNumbers", default.require_numbers)),
        require_symbols=bool(policy.get("RequireSymbols", default.require_symbols)),
        temporary_password_validity_days=int(
            policy.get("TemporaryPasswordValidityDays", default.temporary_password_validity_days)
        ),
    )


def user_pool_from(
    pool: Mapping[str, Any], region: str, web_acl_arn: str | None, web_acl_unknown: str | None = None
) -> UserPool:
    """DescribeUserPool's UserPool (and the web ACL found for it) as a model."""
    add_ons = pool.get("UserPoolAddOns") or {}
    flows = add_ons.get("AdvancedSecurityAdditionalFlows") or {}
    sign_in = (pool.get("Policies") or {}).get("SignInPolicy") or {}
    return UserPool(
        arn=str(pool["Arn"]),
        region=region,
        name=str(pool.get("Name", "")),
        pool_id=str(pool["Id"]),
        threat_protection=str(add_ons.get("AdvancedSecurityMode") or "OFF"),
        custom_auth_threat=str(flows["CustomAuthMode"]) if flows.get("CustomAuthMode") else None,
        password_policy=password_policy_from((pool.get("Policies") or {}).get("PasswordPolicy")),
        mfa=str(pool.get("MfaConfiguration") or "OFF"),
        deletion_protection=pool.get("DeletionProtection") == "ACTIVE",
        first_auth_factors=tuple(str(f) for f in sign_in.get("AllowedFirstAuthFactors") or ("PASSWORD",)),
        web_acl_arn=web_acl_arn,
        web_acl_unknown=web_acl_unknown,
    )


def identity_pool_from(pool: Mapping[str, Any], region: str, account_id: str, partition: str) -> IdentityPool:
    """DescribeIdentityPool's answer as a model."""
    pool_id = str(pool["IdentityPoolId"])
    return IdentityPool(
        arn=f"arn:{partition}:cognito-identity:{region}:{account_id}:identitypool/{pool_id}",
        region=region,
        name=str(pool.get("IdentityPoolName", "")),
        pool_id=pool_id,
        allow_unauthenticated=bool(pool.get("AllowUnauthenticatedIdentities", False)),
    )


@collector(
    "cognito.user_pools",
    service="cognito-idp",
    scope="regional",
    actions=("cognito-idp:ListUserPools", "cognito-idp:DescribeUserPool", "wafv2:GetWebACLForResource"),
    description="Cognito user pools with threat protection, password policy, MFA and AWS WAF web ACL",
)
def collect_user_pools(ctx: CollectContext) -> tuple[UserPool, ...]:
    """ListUserPools, then DescribeUserPool and GetWebACLForResource per pool."""
    idp, waf = ctx.client("cognito-idp"), ctx.client("wafv2")
    summaries = [
        p
        for page in idp.get_paginator("list_user_pools").paginate(MaxResults=60)
        for p in page.get("UserPools", [])
    ]

    def detail(summary: Mapping[str, Any]) -> UserPool:
        pool = idp.describe_user_pool(UserPoolId=summary["Id"])["UserPool"]
        return user_pool_from(pool, ctx.region, *web_acl_or_reason(waf, str(pool["Arn"])))

    return tuple(sorted(ctx.map(detail, summaries), key=lambda p: p.arn))


@collector(
    "cognito.identity_pools",
    service="cognito-identity",
    scope="regional",
    actions=("cognito-identity:ListIdentityPools", "cognito-identity:DescribeIdentityPool"),
    description="Cognito identity pools and whether each allows unauthenticated (guest) identities",
)
def collect_identity_pools(ctx: CollectContext) -> tuple[IdentityPool, ...]:
    """ListIdentityPools, then DescribeIdentityPool per pool."""
    client = ctx.client("cognito-identity")
    summaries = [
        p
        for page in client.get_paginator("list_identity_pools").paginate(MaxResults=60)
        for p in page.get("IdentityPools", [])
    ]

    def detail(summary: Mapping[str, Any]) -> IdentityPool:
        pool = client.describe_identity_pool(IdentityPoolId=summary["IdentityPoolId"])
        return identity_pool_from(pool, ctx.region, ctx.account_id, ctx.partition)

    return tuple(sorted(ctx.map(detail, summaries), key=lambda p: p.arn))


__all__ = [
    "IdentityPool",
    "PasswordPolicy",
    "UserPool",
    "collect_identity_pools",
    "collect_user_pools",
    "identity_pool_from",
    "password_policy_from",
    "user_pool_from",
]
