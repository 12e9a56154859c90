"""Systems Manager: the instances it manages, their patch and association compliance, the documents
the account owns and shares, and the account's service settings (Automation logging, public sharing)."""

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


@dataclass(frozen=True, slots=True)
class ComplianceSummary:
    """One resource's Configuration Compliance summary for one compliance type (``Patch``,
    ``Association`` or a custom type): overall status and the count of non-compliant items."""

    resource_id: str
    arn: str
    region: str
    compliance_type: str
    status: str
    non_compliant_count: int = 0
    resource_type: str = "ManagedInstance"

    @property
    def name(self) -> str:
        """The managed instance and the compliance type."""
        return f"{self.resource_id} ({self.compliance_type})"


@dataclass(frozen=True, slots=True)
class SsmServiceSettings:
    """The region's account-level Systems Manager settings that SSM.6 and SSM.7 read."""

    arn: str
    region: str
    account_id: str
    automation_log_destination: str
    document_public_sharing: str

    @property
    def name(self) -> str:
        """Account and region."""
        return f"{self.account_id}/{self.region}"


AUTOMATION_LOG_SETTING = "/ssm/automation/customer-script-log-destination"
PUBLIC_SHARING_SETTING = "/ssm/documents/console/public-sharing-permission"


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


def compliance_summaries_from(
    items: Iterable[Mapping[str, Any]], region: str, partition: str, account_id: str
) -> tuple[ComplianceSummary, ...]:
    """ListResourceComplianceSummaries items as models (managed instances only)."""
    summaries = []
    for item in items:
        if item.get("ResourceType", "ManagedInstance") != "ManagedInstance" or not item.get("ResourceId"):
            continue
        resource_id = str(item["ResourceId"])
        non_compliant = item.get("NonCompliantSummary") or {}
        summaries.append(
            ComplianceSummary(
                resource_id=resource_id,
                arn=f"arn:{partition}:ssm:{region}:{account_id}:managed-instance/{resource_id}",
                region=region,
                compliance_type=str(item.get("ComplianceType", "")),
                status=str(item.get("Status", "")),
                non_compliant_count=int(non_compliant.get("NonCompliantCount", 0) or 0),
            )
        )
    return tuple(sorted(summaries, key=lambda c: (c.compliance_type, c.resource_id)))


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


@collector(
    "ssm.compliance_summaries",
    service="ssm",
    scope="regional",
    actions=("ssm:ListResourceComplianceSummaries",),
    description="Configuration Compliance summaries (patch, association) of the managed instances",
)
def collect_compliance_summaries(ctx: CollectContext) -> tuple[ComplianceSummary, ...]:
    """Every resource compliance summary of the region (paginated)."""
    paginator = ctx.client("ssm").get_paginator("list_resource_compliance_summaries")
    items = [i for page in paginator.paginate() for i in page.get("ResourceComplianceSummaryItems", [])]
    return compliance_summaries_from(items, ctx.region, ctx.partition, ctx.account_id)


@collector(
    "ssm.service_settings",
    service="ssm",
    scope="regional",
    actions=("ssm:GetServiceSetting",),
    description="Systems Manager Automation log destination and document public sharing setting",
)
def collect_service_settings(ctx: CollectContext) -> tuple[SsmServiceSettings, ...]:
    """The two account-level service settings of the region (one GetServiceSetting each)."""
    ssm = ctx.client("ssm")

    def value(setting_id: str) -> str:
        return str(ssm.get_service_setting(SettingId=setting_id)["ServiceSetting"].get("SettingValue", ""))

    return (
        SsmServiceSettings(
            arn=ctx.account_arn("ssm", "servicesetting"),
            region=ctx.region,
            account_id=ctx.account_id,
            automation_log_destination=value(AUTOMATION_LOG_SETTING),
            document_public_sharing=value(PUBLIC_SHARING_SETTING),
        ),
    )


__all__ = [
    "AUTOMATION_LOG_SETTING",
    "PUBLIC_SHARING_SETTING",
    "ComplianceSummary",
    "ManagedInstance",
    "SsmDocument",
    "SsmServiceSettings",
    "collect_compliance_summaries",
    "collect_documents",
    "collect_managed_instances",
    "collect_service_settings",
    "compliance_summaries_from",
    "document_from",
    "managed_instances_from",
]
