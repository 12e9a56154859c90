"""ELB collectors against the moto server: Classic Load Balancers and ALBs with listeners/attributes."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.elb import ClassicListener

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_classic_load_balancers(aws: str) -> None:
    elb = boto3.client("elb")
    elb.create_load_balancer(
        LoadBalancerName="legacy",
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        AvailabilityZones=[f"{REGION}a"],
    )
    elb.modify_load_balancer_attributes(
        LoadBalancerName="legacy",
        LoadBalancerAttributes={"CrossZoneLoadBalancing": {"Enabled": True}},
    )
    (lb,) = collect("elb.load_balancers")
    assert lb.arn == f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/legacy"
    assert lb.listeners == (ClassicListener("HTTP", 80),) and lb.availability_zones == (f"{REGION}a",)
    assert lb.cross_zone and not lb.access_logs and not lb.connection_draining
    assert lb.desync_mode == "defensive"


def test_application_load_balancers(aws: str) -> None:
    ec2, elbv2 = boto3.client("ec2"), boto3.client("elbv2")
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
    arn = elbv2.create_load_balancer(Name="web-alb", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.create_listener(
        LoadBalancerArn=arn,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[
            {
                "Type": "redirect",
                "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
            }
        ],
    )
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}]
    )
    (lb,) = collect("elbv2.load_balancers")
    assert lb.name == "web-alb" and lb.type == "application" and len(lb.availability_zones) == 2
    (listener,) = lb.listeners
    assert listener.protocol == "HTTP" and listener.redirect_protocol == "HTTPS"
    assert lb.attribute("deletion_protection.enabled") == "true"
    assert lb.attribute("routing.http.desync_mitigation_mode") == "defensive"  # AWS default when absent
