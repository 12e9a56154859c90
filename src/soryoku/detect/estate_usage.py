"""Which regions an account uses, from the resources the posture inventory collects there.

A region is in use when one of the inventory's workload collectors finds something the account
created in it: instances, volumes, snapshots, images, launch templates, non-default VPCs, transit
gateways, VPN connections, Lambda functions, RDS instances and clusters, DynamoDB tables, ECS task
definitions, EKS clusters, ECR repositories, EFS file systems, ElastiCache clusters, load balancers,
OpenSearch domains, Redshift clusters, Auto Scaling groups, API Gateway stages, SQS queues, SNS
topics, secrets, customer-managed KMS keys, certificates, web ACLs, and S3 buckets (in their own
region). Settings and what AWS creates in every region (the default VPC, security groups and
network ACLs, AWS-managed keys, GuardDuty/Security Hub/Config switches) say nothing about use and
are not consulted. The collectors run through the posture engine's own collection (one catch
boundary), so a collector that cannot be read is a gap naming the account, region and collector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from soryoku.aws.clients import ClientFactory
from soryoku.core.result import Gap
from soryoku.posture.collection import Unit, collect_all

ENGINE = "detect"


def _any(_: Any) -> bool:
    return True


# Workload collector → which of its resources the account created (default: all of them).
WORKLOAD: dict[str, Callable[[Any], bool]] = {
    "ec2.instances": _any,  # the collector leaves out terminated instances
    "ec2.volumes": _any,
    "ec2.snapshots": _any,  # owned by the account
    "ec2.images": _any,  # owned by the account
    "ec2.launch_templates": _any,
    "ec2.vpcs": lambda vpc: not vpc.is_default,
    "ec2.transit_gateways": _any,
    "ec2.vpn_connections": _any,
    "lambda.functions": _any,
    "rds.instances": _any,
    "rds.clusters": _any,
    "dynamodb.tables": _any,
    "ecs.task_definitions": _any,
    "eks.clusters": _any,
    "ecr.repositories": _any,
    "efs.file_systems": _any,
    "elasticache.clusters": _any,
    "elb.load_balancers": _any,
    "elbv2.load_balancers": _any,
    "opensearch.domains": _any,
    "redshift.clusters": _any,
    "autoscaling.groups": _any,
    "apigateway.rest_stages": _any,
    "apigatewayv2.stages": _any,
    "sqs.queues": _any,
    "sns.topics": _any,
    "secretsmanager.secrets": _any,
    "kms.keys": lambda key: key.customer_managed,
    "acm.certificates": _any,
    "wafv2.web_acls": _any,
}
# Global collectors whose resources each live in a region of their own.
PLACED = ("s3.buckets",)


def regions_in_use(
    factory: ClientFactory, account_id: str, regions: Iterable[str], home: str, *, max_workers: int
) -> tuple[set[str], list[Gap]]:
    """The ``regions`` where the account has workload resources, and the collectors that failed."""
    scanned = tuple(regions)
    units = [Unit(account_id, region, collector) for region in scanned for collector in WORKLOAD]
    units += [Unit(account_id, home, collector) for collector in PLACED]
    outcomes = collect_all(((unit, factory) for unit in units), max_workers=max_workers)
    used: set[str] = set()
    gaps: list[Gap] = []
    for unit in units:
        outcome = outcomes[unit]
        if outcome.resources is None:
            reason = f"{unit.collector_id}: {outcome.failure}"
            gaps.append(Gap(ENGINE, f"aws:{account_id}/{unit.region}", reason))
        elif unit.collector_id in PLACED:
            used.update(r.region for r in outcome.resources if r.region in scanned)
        elif any(WORKLOAD[unit.collector_id](resource) for resource in outcome.resources):
            used.add(unit.region)
    return used, gaps


__all__ = ["PLACED", "WORKLOAD", "regions_in_use"]
