"""Continuous evaluation: a Lambda handler that re-checks only the resource an EventBridge event names.

Two event shapes are understood: a CloudTrail-recorded management call ("AWS API Call via
CloudTrail", e.g. ``PutBucketAcl`` or ``AuthorizeSecurityGroupIngress``) and an AWS Config
configuration item change ("Config Configuration Item Change", message type
``ConfigurationItemChangeNotification``). Each is reduced to a :class:`ChangedResource` (account,
region, the collectors that hold the resource, and the identifiers that name it); only those
collectors run, in that account and region, and only the checks whose resource set is one of them
are evaluated, keeping the findings about that resource. Findings go to the store (``SORYOKU_DB``,
one run per resource scope so a fix resolves that resource's earlier FAILs and nothing else) and/or
to Security Hub (``SORYOKU_SECURITY_HUB=1``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from soryoku.aws.clients import ClientFactory
from soryoku.aws.session import AwsTarget, base_session, caller_account, role_target
from soryoku.core.errors import InputError
from soryoku.core.finding import Finding, ResultStatus, now_ms
from soryoku.core.result import ScanResult
from soryoku.posture.collection import collect_all
from soryoku.posture.evaluation import ENGINE, AccountScope, evaluate_account, units_needed
from soryoku.posture.registry import CHECKS, Check

CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail"
COLLECT_WORKERS = 4  # a Lambda has little CPU; the few units of one resource fit in one round
CONFIG_DETAIL_TYPE = "Config Configuration Item Change"
CONFIG_MESSAGE_TYPE = "ConfigurationItemChangeNotification"

# AWS Config resource type → the collectors holding that resource.
CONFIG_RESOURCE_COLLECTORS: Mapping[str, tuple[str, ...]] = {
    "AWS::S3::Bucket": ("s3.buckets", "s3.bucket_settings"),
    "AWS::S3::AccountPublicAccessBlock": ("s3.account_public_access_block",),
    "AWS::EC2::SecurityGroup": ("ec2.security_groups",),
    "AWS::EC2::Instance": ("ec2.instances",),
    "AWS::EC2::Volume": ("ec2.volumes",),
    "AWS::EC2::VPC": ("ec2.vpcs",),
    "AWS::EC2::Subnet": ("ec2.subnets",),
    "AWS::EC2::NetworkAcl": ("ec2.network_acls",),
    "AWS::EC2::LaunchTemplate": ("ec2.launch_templates",),
    "AWS::IAM::User": ("iam.users",),
    "AWS::IAM::Role": ("iam.roles",),
    "AWS::IAM::Group": ("iam.groups",),
    "AWS::IAM::Policy": ("iam.policies",),
    "AWS::KMS::Key": ("kms.keys",),
    "AWS::RDS::DBInstance": ("rds.instances",),
    "AWS::RDS::DBCluster": ("rds.clusters",),
    "AWS::Lambda::Function": ("lambda.functions",),
    "AWS::DynamoDB::Table": ("dynamodb.tables",),
    "AWS::SNS::Topic": ("sns.topics",),
    "AWS::SQS::Queue": ("sqs.queues",),
    "AWS::CloudTrail::Trail": ("cloudtrail.trails", "cloudtrail.home_trails"),
    "AWS::EFS::FileSystem": ("efs.file_systems",),
    "AWS::ECR::Repository": ("ecr.repositories",),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("elbv2.load_balancers",),
    "AWS::SecretsManager::Secret": ("secretsmanager.secrets",),
}

# CloudTrail eventSource → collectors, for services whose every change touches the same sets.
EVENT_SOURCE_COLLECTORS: Mapping[str, tuple[str, ...]] = {
    "s3.amazonaws.com": ("s3.buckets", "s3.bucket_settings"),
    "iam.amazonaws.com": ("iam.users", "iam.roles", "iam.groups", "iam.policies"),
    "kms.amazonaws.com": ("kms.keys",),
    "rds.amazonaws.com": ("rds.instances", "rds.clusters", "rds.snapshots"),
    "lambda.amazonaws.com": ("lambda.functions",),
    "dynamodb.amazonaws.com": ("dynamodb.tables",),
    "sns.amazonaws.com": ("sns.topics",),
    "sqs.amazonaws.com": ("sqs.queues",),
    "cloudtrail.amazonaws.com": ("cloudtrail.trails", "cloudtrail.home_trails"),
    "elasticfilesystem.amazonaws.com": ("efs.file_systems",),
    "ecr.amazonaws.com": ("ecr.repositories",),
    "secretsmanager.amazonaws.com": ("secretsmanager.secrets",),
}

# EC2 event names (one API, many resource sets): the word in the name → the collectors.
EC2_EVENT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SecurityGroup", ("ec2.security_groups",)),
    ("EbsEncryptionByDefault", ("ec2.ebs_encryption_by_default",)),
    ("SnapshotBlockPublicAccess", ("ec2.snapshot_block_public_access",)),
    ("ImageBlockPublicAccess", ("ec2.image_block_public_access",)),
    ("Instance", ("ec2.instances",)),
    ("Volume", ("ec2.volumes",)),
    ("Snapshot", ("ec2.snapshots",)),
    ("LaunchTemplate", ("ec2.launch_templates",)),
    ("NetworkAcl", ("ec2.network_acls",)),
    ("FlowLogs", ("ec2.vpcs",)),
    ("Subnet", ("ec2.subnets",)),
    ("Vpc", ("ec2.vpcs",)),
    ("Image", ("ec2.images",)),
)

# requestParameters / responseElements keys whose values name the changed resource.
IDENTIFIER_KEYS = (
    "bucketName",
    "groupId",
    "instanceId",
    "volumeId",
    "snapshotId",
    "imageId",
    "vpcId",
    "subnetId",
    "networkAclId",
    "launchTemplateId",
    "keyId",
    "userName",
    "roleName",
    "groupName",
    "policyArn",
    "functionName",
    "tableName",
    "topicArn",
    "queueUrl",
    "dBInstanceIdentifier",
    "dBClusterIdentifier",
    "name",
    "trailName",
    "fileSystemId",
    "repositoryName",
    "secretId",
)


@dataclass(frozen=True, slots=True)
class ChangedResource:
    """What an event says changed: where, which resource sets hold it, and the names it goes by."""

    account_id: str
    region: str
    collectors: tuple[str, ...]
    identifiers: tuple[str, ...]
    source: str

    def matches(self, uid: str, name: str) -> bool:
        """Whether a resource (ARN-shaped uid and name) is the changed one (any, when none is named)."""
        if not self.identifiers:
            return True
        for ident in self.identifiers:
            if ident in {uid, name} or uid.endswith(f"/{ident}") or uid.endswith(f":{ident}"):
                return True
            if ident.startswith(("arn:", "https://")) and ident.rstrip("/").rsplit("/", 1)[-1] == name:
                return True
        return False


def _identifiers(*sources: Any) -> tuple[str, ...]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key in IDENTIFIER_KEYS and isinstance(value, str) and value:
                    found.append(value)
                elif isinstance(value, (Mapping, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for source in sources:
        walk(source)
    return tuple(dict.fromkeys(found))


def _cloudtrail_collectors(source: str, name: str) -> tuple[str, ...]:
    if source == "ec2.amazonaws.com":
        for word, collectors in EC2_EVENT_WORDS:
            if word in name:
                return collectors
        return ()
    if source == "s3.amazonaws.com" and "PublicAccessBlock" in name and "bucketName" not in name:
        return ("s3.buckets", "s3.bucket_settings", "s3.account_public_access_block")
    return EVENT_SOURCE_COLLECTORS.get(source, ())


def changed_resource(event: Mapping[str, Any]) -> ChangedResource:
    """The resource an EventBridge event is about (InputError for an event this handler cannot use)."""
    detail_type = event.get("detail-type")
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        raise InputError(f"event {event.get('id', '?')}: no detail object; expected an EventBridge event")
    if detail_type == CLOUDTRAIL_DETAIL_TYPE:
        source = str(detail.get("eventSource", ""))
        name = str(detail.get("eventName", ""))
        account = str(detail.get("recipientAccountId") or event.get("account", ""))
        region = str(detail.get("awsRegion") or event.get("region", ""))
        identifiers = _identifiers(detail.get("requestParameters"), detail.get("responseElements"))
        return ChangedResource(
            account, region, _cloudtrail_collectors(source, name), identifiers, f"cloudtrail:{source}/{name}"
        )
    if detail_type == CONFIG_DETAIL_TYPE or detail.get("messageType") == CONFIG_MESSAGE_TYPE:
        item = detail.get("configurationItem")
        if not isinstance(item, Mapping):
            raise InputError("Config event: no configurationItem (oversized items are not supported)")
        resource_type = str(item.get("resourceType", ""))
        identifiers = tuple(
            dict.fromkeys(str(item[key]) for key in ("ARN", "resourceId", "resourceName") if item.get(key))
        )
        return ChangedResource(
            account_id=str(item.get("awsAccountId") or event.get("account", "")),
            region=str(item.get("awsRegion") or event.get("region", "")),
            collectors=CONFIG_RESOURCE_COLLECTORS.get(resource_type, ()),
            identifiers=identifiers,
            source=f"config:{resource_type}",
        )
    raise InputError(
        f"event detail-type {detail_type!r}: expected {CLOUDTRAIL_DETAIL_TYPE!r} or {CONFIG_DETAIL_TYPE!r}"
    )


def affected_checks(collectors: Iterable[str]) -> list[Check]:
    """The checks whose evaluated resources come from one of ``collectors``."""
    wanted = set(collectors)
    return [item for item in CHECKS if item.collectors[0] in wanted]


def _keep(finding: Finding, change: ChangedResource) -> bool:
    return any(change.matches(r.uid, r.name or "") for r in finding.resources)


def evaluate_change(change: ChangedResource, factory: ClientFactory) -> ScanResult:
    """Collect what the affected checks need in the change's account and region, evaluate them, and
    keep the findings about the changed resource (plus every gap)."""
    started = now_ms()
    checks = affected_checks(change.collectors)
    scope = AccountScope(
        account_id=change.account_id,
        partition=factory.partition,
        home_region=change.region,
        regions=(change.region,),
        now=datetime.now(UTC),
    )
    work = [(unit, factory) for unit in units_needed(checks, scope)]
    outcomes = collect_all(work, max_workers=COLLECT_WORKERS)
    evaluation = evaluate_account(checks, scope, outcomes)
    return ScanResult(
        engine=ENGINE,
        scope=f"aws:{change.account_id}:continuous:{change.region}:{change.source}:{','.join(change.identifiers)}",
        findings=[f for f in evaluation.findings if _keep(f, change)],
        gaps=evaluation.gaps,
        started_ms=started,
        finished_ms=now_ms(),
    )


def _target(change: ChangedResource) -> AwsTarget:
    session = base_session(region=change.region or None)
    own = caller_account(session)
    if change.account_id in {"", own}:
        return AwsTarget(own, session)
    role_name = os.environ.get("SORYOKU_MEMBER_ROLE", "").strip()
    if not role_name:
        raise InputError(
            f"event of account {change.account_id}, handler runs in {own}: set SORYOKU_MEMBER_ROLE "
            "to the role to assume in member accounts"
        )
    arn = f"arn:{session.get_partition_for_region(change.region)}:iam::{change.account_id}:role/{role_name}"
    return role_target(session, arn, external_id=os.environ.get("SORYOKU_EXTERNAL_ID") or None)


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


def handle_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """Re-evaluate the resource ``event`` names; store and/or send the findings; return a summary."""
    change = changed_resource(event)
    if not change.collectors:
        return {"evaluated": 0, "reason": f"{change.source}: no check watches this change", "findings": 0}
    target = _target(change)
    factory = ClientFactory(target.session, target.account_id)
    result = evaluate_change(change, factory)
    summary: dict[str, Any] = {
        "source": change.source,
        "account": change.account_id,
        "region": change.region,
        "evaluated": len({r.uid for f in result.findings for r in f.resources}),
        "findings": len(result.findings),
        "failed": sum(f.status_code is ResultStatus.FAIL for f in result.findings),
        "gaps": [g.reason for g in result.gaps],
    }
    if os.environ.get("SORYOKU_DB") and not _truthy("SORYOKU_NO_STORE"):
        from soryoku.hub.store import open_store

        with open_store(None) as store:
            summary["run_id"] = store.record(result).run_id
    if _truthy("SORYOKU_SECURITY_HUB") and result.findings:
        from soryoku.hub.exporters.securityhub import export_findings

        hub = factory.client("securityhub", change.region)
        exported = export_findings(result.findings, hub, account_id=change.account_id, region=change.region)
        summary["security_hub"] = {"sent": exported.sent, "failed": len(exported.failed)}
    return summary


def handler(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
    """The Lambda entry point (``soryoku.posture.continuous.handler``)."""
    return handle_event(event)


__all__ = [
    "CLOUDTRAIL_DETAIL_TYPE",
    "CONFIG_DETAIL_TYPE",
    "CONFIG_MESSAGE_TYPE",
    "CONFIG_RESOURCE_COLLECTORS",
    "EVENT_SOURCE_COLLECTORS",
    "ChangedResource",
    "affected_checks",
    "changed_resource",
    "evaluate_change",
    "handle_event",
    "handler",
]
