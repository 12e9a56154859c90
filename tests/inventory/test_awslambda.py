"""Lambda collector against the moto server: runtime, VPC subnets and zones, resource policy, URL auth."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.awslambda import LambdaFunction, function_from
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get("lambda.functions").collect(CollectContext(factory, ACCOUNT, region))


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return 'ok'\n")
    return buffer.getvalue()


def _role() -> str:
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole"}]}  # fmt: skip
    iam = boto3.client("iam")
    return str(iam.create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"])


def test_functions_with_policy_url_and_vpc_zones(aws: str) -> None:
    client, ec2, role, code = boto3.client("lambda"), boto3.client("ec2"), _role(), _zip()
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]
    subnet_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]
    base = {"Role": role, "Handler": "handler.handler", "Code": {"ZipFile": code}}
    client.create_function(FunctionName="open", Runtime="python3.8", **base)
    client.create_function_url_config(FunctionName="open", AuthType="NONE")
    client.add_permission(FunctionName="open", StatementId="public", Action="lambda:InvokeFunctionUrl",
                          Principal="*", FunctionUrlAuthType="NONE")  # fmt: skip
    client.create_function(
        FunctionName="private",
        Runtime="python3.13",
        VpcConfig={"SubnetIds": [subnet_a["SubnetId"], subnet_b["SubnetId"]], "SecurityGroupIds": []},
        **base,
    )
    client.create_function_url_config(FunctionName="private", AuthType="AWS_IAM")

    functions = {f.name: f for f in collect()}
    assert set(functions) == {"open", "private"}
    assert all(isinstance(f, LambdaFunction) for f in functions.values())
    opened, private = functions["open"], functions["private"]
    assert opened.url_auth_type == "NONE" and opened.runtime == "python3.8" and opened.vpc_id is None
    assert opened.policy is not None
    assert opened.policy["Statement"][0]["Principal"] in ("*", {"AWS": "*"})
    assert private.url_auth_type == "AWS_IAM" and private.policy is None
    assert private.vpc_id == vpc and private.subnet_zones == ("us-east-1a", "us-east-1b")
    assert opened.arn == f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:open"
    assert collect("eu-west-1") == ()


def test_transform_without_vpc_or_runtime() -> None:
    item = {
        "FunctionArn": "arn:aws:lambda:eu-west-1:1:function:img",
        "FunctionName": "img",
        "PackageType": "Image",
    }
    function = function_from(item, "eu-west-1", '{"Statement": []}', None, {})
    assert function.runtime is None and function.package_type == "Image"
    assert function.policy == {"Statement": []} and function.subnet_zones == ()
