"""Systems Manager: the instances it manages, and the documents the account owns and shares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class ManagedInstance:
    """An instance (EC2 or hybrid) registered with Systems Manager, and its agent's ping status."""

    instance_id: str
    arn: str
    region: str
    name: str
    ping_status: str
    resource_type: str = "EC2Instance"


@dataclass(frozen=True, slots=True)
class SsmDocument:
    """A Systems Manager document owned by the account and the accounts it is shared with."""

    name: str
    arn: str
    region: str
    document_type: str
    shared_with: tuple[str, ...] = ()

    @property
    def public(self) -> bool:
        """True when shared with ``all`` (every AWS account)."""
        return "all" in {a.lower() for a in self.shared_with}


# -- transforms (pure) --


def managed_instances_from(
    items: Iterable[Mapping[str, Any]], region: str, partition: str, account_id: str
) -> tuple[ManagedInstance, ...]:
    """DescribeInstanceInformation ``InstanceInformationList`` as ManagedInstance models."""
    return tuple(
        sorted(
            (
                ManagedInstance(
                    instance_id=str(i["InstanceId"]),
                    arn=f"arn:{partition}:ssm:{region}:{account_id}:managed-instance/{i['InstanceId']}",
                    region=region,
                    name=str(i.get("ComputerName") or i["InstanceId"]),
                    ping_status=str(i.get("PingStatus", "Unknown")),
                    resource_type=str(i.get("ResourceType", "EC2Instance")),
                )
                for i in items
            ),
            key=lambda m: m.instance_id,
        )
    )


def document_from(
    item: Mapping[str, Any], account_ids: Iterable[str], region: str, partition: str, account_id: str
) -> SsmDocument:
    """A ListDocuments item with the account ids of its ``Share`` permission."""
    name = str(item["Name"])
    return SsmDocument(
        name=name,
        arn=f"arn:{partition}:ssm:{region}:{account_id}:document/{name}",
        region=region,
        document_type=str(item.get("DocumentType", "Command")),
        shared_with=tuple(sorted(str(a) for a in account_ids)),
    )


# -- get (I/O) --


@collector(
    "ssm.managed_instances",
    service="ssm",
    scope="regional",
    actions=("ssm:DescribeInstanceInformation",),
    description="instances managed by Systems Manager (agent registered) and their ping status",
)
def collect_managed_instances(ctx: CollectContext) -> tuple[ManagedInstance, ...]:
    """Every instance Systems Manager knows in the region (paginated)."""
    paginator = ctx.client("ssm").get_paginator("describe_instance_information")
    items = [i for page in paginator.paginate() for i in page.get("InstanceInformationList", [])]
    return managed_instances_from(items, ctx.region, ctx.partition, ctx.account_id)


@collector(
    "ssm.documents",
    service="ssm",
    scope="regional",
    actions=("ssm:ListDocuments", "ssm:DescribeDocumentPermission"),
    description="documents owned by the account and who they are shared with",
)
def collect_documents(ctx: CollectContext) -> tuple[SsmDocument, ...]:
    """Every document the account owns in the region, with its share permission (one call each)."""
    ssm = ctx.client("ssm")
    paginator = ssm.get_paginator("list_documents")
    items = [
        d
        for page in paginator.paginate(Filters=[{"Key": "Owner", "Values": ["Self"]}])
        for d in page.get("DocumentIdentifiers", [])
    ]

    def detail(item: Mapping[str, Any]) -> SsmDocument:
        answer = ssm.describe_document_permission(Name=item["Name"], PermissionType="Share")
        return document_from(item, answer.get("AccountIds", []), ctx.region, ctx.partition, ctx.account_id)

    return tuple(sorted(ctx.map(detail, items), key=lambda d: d.name))


__all__ = [
    "ManagedInstance",
    "SsmDocument",
    "collect_documents",
    "collect_managed_instances",
    "document_from",
    "managed_instances_from",
]
