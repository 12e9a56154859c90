"""Lambda: every function of a region with its runtime, VPC placement, resource policy and function URL."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class LambdaFunction:
    """A function: ``policy`` is its resource policy (None when it has none); ``url_auth_type`` is the
    function URL's AuthType (None without a URL); ``subnet_zones`` the Availability Zones of its subnets."""

    arn: str
    region: str
    name: str
    runtime: str | None
    package_type: str
    vpc_id: str | None
    subnet_ids: tuple[str, ...]
    subnet_zones: tuple[str, ...]
    policy: Mapping[str, Any] | None
    url_auth_type: str | None


def function_from(
    item: Mapping[str, Any],
    region: str,
    policy: str | Mapping[str, Any] | None,
    url_auth_type: str | None,
    zones_by_subnet: Mapping[str, str],
    vpc_by_subnet: Mapping[str, str] | None = None,
) -> LambdaFunction:
    """One ListFunctions entry plus its policy, URL AuthType and subnet zones as a model.

    The VPC comes from VpcConfig, or else from the subnets (some endpoints omit VpcConfig.VpcId).
    """
    vpc = item.get("VpcConfig") or {}
    subnets = tuple(str(s) for s in vpc.get("SubnetIds") or ())
    document = json.loads(policy) if isinstance(policy, str) else policy
    vpc_id = str(vpc.get("VpcId") or "") or None
    if vpc_id is None and subnets:
        vpc_id = next((v for s in subnets if (v := (vpc_by_subnet or {}).get(s))), None)
    return LambdaFunction(
        arn=str(item["FunctionArn"]),
        region=region,
        name=str(item["FunctionName"]),
        runtime=str(item["Runtime"]) if item.get("Runtime") else None,
        package_type=str(item.get("PackageType", "Zip")),
        vpc_id=vpc_id,
        subnet_ids=subnets,
        subnet_zones=tuple(sorted({zones_by_subnet[s] for s in subnets if s in zones_by_subnet})),
        policy=document,
        url_auth_type=url_auth_type,
    )


def _absent(call: Any, *codes: str) -> Any:
    """The answer of a per-function read, or None when the thing does not exist."""
    try:
        return call()
    except ClientError as exc:
        if error_code(exc) in codes:
            return None
        raise


@collector(
    "lambda.functions",
    service="lambda",
    scope="regional",
    actions=(
        "lambda:ListFunctions",
        "lambda:GetPolicy",
        "lambda:GetFunctionUrlConfig",
        "ec2:DescribeSubnets",
    ),
    description="Lambda functions with runtime, VPC subnets and zones, resource policy and URL AuthType",
)
def collect_functions(ctx: CollectContext) -> tuple[LambdaFunction, ...]:
    """ListFunctions, then the policy and URL config of each function; subnet zones in one EC2 call."""
    client = ctx.client("lambda")
    items = [f for page in client.get_paginator("list_functions").paginate() for f in page["Functions"]]
    subnet_ids = sorted({s for f in items for s in (f.get("VpcConfig") or {}).get("SubnetIds") or ()})
    zones: dict[str, str] = {}
    vpcs: dict[str, str] = {}
    if subnet_ids:
        subnets = ctx.client("ec2").describe_subnets(SubnetIds=subnet_ids)["Subnets"]
        zones = {str(s["SubnetId"]): str(s["AvailabilityZone"]) for s in subnets}
        vpcs = {str(s["SubnetId"]): str(s["VpcId"]) for s in subnets}

    def detail(item: Mapping[str, Any]) -> LambdaFunction:
        name = str(item["FunctionName"])
        policy = _absent(lambda: client.get_policy(FunctionName=name), "ResourceNotFoundException")
        url = _absent(lambda: client.get_function_url_config(FunctionName=name), "ResourceNotFoundException")
        return function_from(
            item,
            ctx.region,
            None if policy is None else policy.get("Policy"),
            None if url is None else str(url.get("AuthType")),
            zones,
            vpcs,
        )

    return tuple(sorted(ctx.map(detail, items), key=lambda f: f.arn))


__all__ = ["LambdaFunction", "collect_functions", "function_from"]
