"""EC2 storage and images: EBS volumes, EBS snapshots (and who may restore them), AMIs, launch templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


def _tags(item: Mapping[str, Any]) -> dict[str, str]:
    return {str(t.get("Key")): str(t.get("Value")) for t in item.get("Tags", item.get("TagSet", []))}


@dataclass(frozen=True, slots=True)
class EbsVolume:
    """An EBS volume: encryption and the instances it is attached to."""

    volume_id: str
    arn: str
    region: str
    name: str
    encrypted: bool
    state: str
    attached_instance_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EbsSnapshot:
    """An EBS snapshot owned by the account, and who may create volumes from it."""

    snapshot_id: str
    arn: str
    region: str
    name: str
    encrypted: bool
    restorable_by_groups: tuple[str, ...] = ()
    restorable_by_accounts: tuple[str, ...] = ()

    @property
    def public(self) -> bool:
        """True when anyone (group ``all``) may create volumes from the snapshot."""
        return "all" in self.restorable_by_groups


@dataclass(frozen=True, slots=True)
class MachineImage:
    """An AMI owned by the account and whether it is public."""

    image_id: str
    arn: str
    region: str
    name: str
    public: bool


@dataclass(frozen=True, slots=True)
class LaunchTemplateInterface:
    """A network interface a launch template version defines."""

    device_index: int
    associate_public_ip: bool | None


@dataclass(frozen=True, slots=True)
class LaunchTemplate:
    """A launch template, judged by its default version (what new launches use unless told otherwise)."""

    template_id: str
    arn: str
    region: str
    name: str
    default_version: int
    interfaces: tuple[LaunchTemplateInterface, ...] = ()
    http_tokens: str | None = None
    http_endpoint: str | None = None
    # Per EBS mapping: the Encrypted value the template sets, None when it leaves it out.
    ebs_encrypted: tuple[bool | None, ...] = ()


@dataclass(frozen=True, slots=True)
class SpotFleetRequest:
    """A Spot Fleet request: whether it gives launch specifications (not launch templates) and the
    Encrypted value of each EBS mapping they set (None when a mapping leaves it out)."""

    request_id: str
    arn: str
    region: str
    name: str
    state: str
    uses_launch_specifications: bool
    ebs_encrypted: tuple[bool | None, ...] = ()


@dataclass(frozen=True, slots=True)
class BlockPublicAccessState:
    """A regional EC2 block-public-access setting (EBS snapshots or AMIs) and its state."""

    arn: str
    region: str
    account_id: str
    kind: str
    state: str

    @property
    def name(self) -> str:
        """The account and region the setting applies to."""
        return f"{self.account_id}/{self.region}/{self.kind}"


# -- transforms (pure) --


def volume_from(item: Mapping[str, Any], region: str, partition: str, account_id: str) -> EbsVolume:
    """One DescribeVolumes item as an EbsVolume."""
    volume_id = str(item["VolumeId"])
    return EbsVolume(
        volume_id=volume_id,
        arn=f"arn:{partition}:ec2:{region}:{account_id}:volume/{volume_id}",
        region=region,
        name=_tags(item).get("Name") or volume_id,
        encrypted=bool(item.get("Encrypted", False)),
        state=str(item.get("State", "available")),
        attached_instance_ids=tuple(
            str(a["InstanceId"])
            for a in item.get("Attachments", [])
            if a.get("InstanceId") and a.get("State", "attached") in {"attached", "attaching"}
        ),
    )


def snapshot_from(
    item: Mapping[str, Any],
    permissions: Iterable[Mapping[str, Any]],
    region: str,
    partition: str,
    account_id: str,
) -> EbsSnapshot:
    """One DescribeSnapshots item with its ``createVolumePermission`` attribute."""
    snapshot_id = str(item["SnapshotId"])
    grants = list(permissions)
    return EbsSnapshot(
        snapshot_id=snapshot_id,
        arn=f"arn:{partition}:ec2:{region}::snapshot/{snapshot_id}",
        region=region,
        name=_tags(item).get("Name") or snapshot_id,
        encrypted=bool(item.get("Encrypted", False)),
        restorable_by_groups=tuple(sorted(str(g["Group"]) for g in grants if g.get("Group"))),
        restorable_by_accounts=tuple(sorted(str(g["UserId"]) for g in grants if g.get("UserId"))),
    )


def image_from(item: Mapping[str, Any], region: str, partition: str) -> MachineImage:
    """One DescribeImages item as a MachineImage."""
    image_id = str(item["ImageId"])
    return MachineImage(
        image_id=image_id,
        arn=f"arn:{partition}:ec2:{region}::image/{image_id}",
        region=region,
        name=_tags(item).get("Name") or str(item.get("Name") or image_id),
        public=bool(item.get("Public", False)),
    )


def launch_template_from(
    item: Mapping[str, Any], data: Mapping[str, Any], region: str, partition: str, account_id: str
) -> LaunchTemplate:
    """A DescribeLaunchTemplates item with its default version's ``LaunchTemplateData``."""
    template_id = str(item["LaunchTemplateId"])
    metadata = data.get("MetadataOptions", {})
    return LaunchTemplate(
        template_id=template_id,
        arn=f"arn:{partition}:ec2:{region}:{account_id}:launch-template/{template_id}",
        region=region,
        name=str(item.get("LaunchTemplateName") or template_id),
        default_version=int(item.get("DefaultVersionNumber", 1)),
        interfaces=tuple(
            LaunchTemplateInterface(
                device_index=int(n.get("DeviceIndex", 0)),
                associate_public_ip=n.get("AssociatePublicIpAddress"),
            )
            for n in data.get("NetworkInterfaces", [])
        ),
        http_tokens=metadata.get("HttpTokens"),
        http_endpoint=metadata.get("HttpEndpoint"),
        ebs_encrypted=tuple(
            None if m["Ebs"].get("Encrypted") is None else bool(m["Ebs"]["Encrypted"])
            for m in data.get("BlockDeviceMappings", [])
            if "Ebs" in m
        ),
    )


def spot_fleet_request_from(
    item: Mapping[str, Any], region: str, partition: str, account_id: str
) -> SpotFleetRequest:
    """One DescribeSpotFleetRequests item as a SpotFleetRequest."""
    request_id = str(item["SpotFleetRequestId"])
    config = item.get("SpotFleetRequestConfig") or {}
    specifications = config.get("LaunchSpecifications") or []
    return SpotFleetRequest(
        request_id=request_id,
        arn=f"arn:{partition}:ec2:{region}:{account_id}:spot-fleet-request/{request_id}",
        region=region,
        name=request_id,
        state=str(item.get("SpotFleetRequestState", "active")),
        uses_launch_specifications=bool(specifications),
        ebs_encrypted=tuple(
            None if m["Ebs"].get("Encrypted") is None else bool(m["Ebs"]["Encrypted"])
            for spec in specifications
            for m in spec.get("BlockDeviceMappings") or []
            if "Ebs" in m
        ),
    )


# -- get (I/O) --


def _pages(ctx: CollectContext, operation: str, key: str, **params: Any) -> list[Mapping[str, Any]]:
    paginator = ctx.client("ec2").get_paginator(operation)
    return [item for page in paginator.paginate(**params) for item in page.get(key, [])]


@collector(
    "ec2.volumes",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeVolumes",),
    description="EBS volumes, their encryption and attachments",
)
def collect_volumes(ctx: CollectContext) -> tuple[EbsVolume, ...]:
    """Every EBS volume of the region."""
    volumes = [
        volume_from(i, ctx.region, ctx.partition, ctx.account_id)
        for i in _pages(ctx, "describe_volumes", "Volumes")
    ]
    return tuple(sorted(volumes, key=lambda v: v.volume_id))


@collector(
    "ec2.snapshots",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeSnapshots", "ec2:DescribeSnapshotAttribute"),
    description="EBS snapshots owned by the account and whether everyone may restore them",
)
def collect_snapshots(ctx: CollectContext) -> tuple[EbsSnapshot, ...]:
    """Every snapshot the account owns in the region, and which of them are publicly restorable.

    One listing of the account's snapshots and one of those restorable by ``all``; only those
    candidates get a DescribeSnapshotAttribute call to confirm, so thousands of private snapshots
    cost two calls, not one each.
    """
    ec2 = ctx.client("ec2")
    # OwnerIds=self already means "mine"; the OwnerId filter also keeps out snapshots a test double
    # (moto) lists for its built-in AMIs.
    items = [
        item
        for item in _pages(ctx, "describe_snapshots", "Snapshots", OwnerIds=["self"])
        if str(item.get("OwnerId", ctx.account_id)) == ctx.account_id
    ]
    candidates = {
        str(item["SnapshotId"])
        for item in _pages(
            ctx, "describe_snapshots", "Snapshots", OwnerIds=["self"], RestorableByUserIds=["all"]
        )
    }

    def detail(item: Mapping[str, Any]) -> EbsSnapshot:
        if str(item["SnapshotId"]) not in candidates:
            return snapshot_from(item, (), ctx.region, ctx.partition, ctx.account_id)
        answer = ec2.describe_snapshot_attribute(
            SnapshotId=item["SnapshotId"], Attribute="createVolumePermission"
        )
        return snapshot_from(
            item, answer.get("CreateVolumePermissions", []), ctx.region, ctx.partition, ctx.account_id
        )

    return tuple(sorted(ctx.map(detail, items), key=lambda s: s.snapshot_id))


@collector(
    "ec2.images",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeImages",),
    description="AMIs owned by the account and whether they are public",
)
def collect_images(ctx: CollectContext) -> tuple[MachineImage, ...]:
    """Every AMI the account owns in the region."""
    answer = ctx.client("ec2").describe_images(Owners=["self"])
    images = [
        image_from(i, ctx.region, ctx.partition)
        for i in answer.get("Images", [])
        if str(i.get("OwnerId", ctx.account_id)) == ctx.account_id
    ]
    return tuple(sorted(images, key=lambda i: i.image_id))


@collector(
    "ec2.launch_templates",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"),
    description="launch templates and their default version's network, metadata and EBS settings",
)
def collect_launch_templates(ctx: CollectContext) -> tuple[LaunchTemplate, ...]:
    """Every launch template of the region with its default version (one call each)."""
    ec2 = ctx.client("ec2")
    items = _pages(ctx, "describe_launch_templates", "LaunchTemplates")

    def detail(item: Mapping[str, Any]) -> LaunchTemplate:
        versions = ec2.describe_launch_template_versions(
            LaunchTemplateId=item["LaunchTemplateId"], Versions=["$Default"]
        ).get("LaunchTemplateVersions", [])
        data = versions[0].get("LaunchTemplateData", {}) if versions else {}
        return launch_template_from(item, data, ctx.region, ctx.partition, ctx.account_id)

    return tuple(sorted(ctx.map(detail, items), key=lambda t: t.template_id))


@collector(
    "ec2.snapshot_block_public_access",
    service="ec2",
    scope="regional",
    actions=("ec2:GetSnapshotBlockPublicAccessState",),
    description="the region's block public access setting for EBS snapshots",
)
def collect_snapshot_block_public_access(ctx: CollectContext) -> tuple[BlockPublicAccessState, ...]:
    """The region's EBS snapshot block public access state (unblocked, block-new- or block-all-sharing)."""
    answer = ctx.client("ec2").get_snapshot_block_public_access_state()
    return (
        BlockPublicAccessState(
            arn=ctx.account_arn("ec2", "snapshot-block-public-access"),
            region=ctx.region,
            account_id=ctx.account_id,
            kind="snapshots",
            state=str(answer.get("State", "unblocked")),
        ),
    )


@collector(
    "ec2.image_block_public_access",
    service="ec2",
    scope="regional",
    actions=("ec2:GetImageBlockPublicAccessState",),
    description="the region's block public access setting for AMIs",
)
def collect_image_block_public_access(ctx: CollectContext) -> tuple[BlockPublicAccessState, ...]:
    """The region's AMI block public access state (unblocked or block-new-sharing)."""
    answer = ctx.client("ec2").get_image_block_public_access_state()
    return (
        BlockPublicAccessState(
            arn=ctx.account_arn("ec2", "image-block-public-access"),
            region=ctx.region,
            account_id=ctx.account_id,
            kind="images",
            state=str(answer.get("ImageBlockPublicAccessState", "unblocked")),
        ),
    )


@collector(
    "ec2.spot_fleet_requests",
    service="ec2",
    scope="regional",
    actions=("ec2:DescribeSpotFleetRequests",),
    description="Spot Fleet requests and the EBS encryption of their launch specifications",
)
def collect_spot_fleet_requests(ctx: CollectContext) -> tuple[SpotFleetRequest, ...]:
    """Every Spot Fleet request of the region that is not cancelled."""
    requests = [
        spot_fleet_request_from(i, ctx.region, ctx.partition, ctx.account_id)
        for i in _pages(ctx, "describe_spot_fleet_requests", "SpotFleetRequestConfigs")
        if not str(i.get("SpotFleetRequestState", "")).startswith("cancelled")
    ]
    return tuple(sorted(requests, key=lambda r: r.request_id))


__all__ = [
    "BlockPublicAccessState",
    "EbsSnapshot",
    "EbsVolume",
    "LaunchTemplate",
    "LaunchTemplateInterface",
    "MachineImage",
    "SpotFleetRequest",
    "collect_image_block_public_access",
    "collect_images",
    "collect_launch_templates",
    "collect_snapshot_block_public_access",
    "collect_snapshots",
    "collect_spot_fleet_requests",
    "collect_volumes",
    "image_from",
    "launch_template_from",
    "snapshot_from",
    "spot_fleet_request_from",
    "volume_from",
]
