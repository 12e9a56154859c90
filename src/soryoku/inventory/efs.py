"""EFS: file systems (encryption, automatic backups, mount target subnets) and access points (root
directory, user)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class EfsFileSystem:
    """A file system: encrypted at rest, and whether its automatic backup policy is on."""

    name: str
    arn: str
    region: str
    file_system_id: str
    encrypted: bool = False
    automatic_backups: bool = False
    mount_target_subnets: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class EfsAccessPoint:
    """An access point: the root directory it exposes and the POSIX user it enforces (None = none)."""

    name: str
    arn: str
    region: str
    file_system_id: str
    root_directory: str = "/"
    posix_uid: int | None = None


def _name(raw: Mapping[str, Any], fallback: str) -> str:
    """The Name field, else the Name tag, else ``fallback`` (the id)."""
    if raw.get("Name"):
        return str(raw["Name"])
    tags = {t.get("Key"): t.get("Value") for t in raw.get("Tags", []) or []}
    return str(tags.get("Name") or fallback)


def file_system_from(
    raw: Mapping[str, Any],
    backup_status: str | None,
    region: str,
    mount_targets: Iterable[Mapping[str, Any]] = (),
) -> EfsFileSystem:
    """A DescribeFileSystems entry, its backup policy status and its mount targets as the model."""
    fs_id = str(raw["FileSystemId"])
    return EfsFileSystem(
        name=_name(raw, fs_id),
        arn=str(raw["FileSystemArn"]),
        region=region,
        file_system_id=fs_id,
        encrypted=bool(raw.get("Encrypted", False)),
        automatic_backups=backup_status == "ENABLED",
        mount_target_subnets=tuple(sorted({str(m["SubnetId"]) for m in mount_targets if m.get("SubnetId")})),
        tags=tuple(
            sorted(
                (str(t["Key"]), str(t.get("Value", ""))) for t in raw.get("Tags", []) or [] if t.get("Key")
            )
        ),
    )


def access_point_from(raw: Mapping[str, Any], region: str) -> EfsAccessPoint:
    """A DescribeAccessPoints entry as the model."""
    user = raw.get("PosixUser") or {}
    return EfsAccessPoint(
        name=_name(raw, str(raw["AccessPointId"])),
        arn=str(raw["AccessPointArn"]),
        region=region,
        file_system_id=str(raw.get("FileSystemId", "")),
        root_directory=str((raw.get("RootDirectory") or {}).get("Path") or "/"),
        posix_uid=int(user["Uid"]) if "Uid" in user else None,
    )


@collector(
    "efs.file_systems",
    service="efs",
    scope="regional",
    actions=(
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeBackupPolicy",
        "elasticfilesystem:DescribeMountTargets",
    ),
    description="EFS file systems with encryption, automatic backup policy and mount target subnets",
)
def collect_efs_file_systems(ctx: CollectContext) -> tuple[EfsFileSystem, ...]:
    """Every file system of the region, each one's backup policy (none set = off) and mount targets."""
    efs = ctx.client("efs")
    raw = [
        fs
        for page in efs.get_paginator("describe_file_systems").paginate()
        for fs in page.get("FileSystems", [])
    ]

    def detail(item: Mapping[str, Any]) -> EfsFileSystem:
        try:
            status = efs.describe_backup_policy(FileSystemId=item["FileSystemId"])["BackupPolicy"]["Status"]
        except ClientError as exc:
            if error_code(exc) != "PolicyNotFound":
                raise
            status = None
        pages = efs.get_paginator("describe_mount_targets").paginate(FileSystemId=item["FileSystemId"])
        targets = [t for page in pages for t in page.get("MountTargets", [])]
        return file_system_from(item, status, ctx.region, targets)

    return tuple(sorted(ctx.map(detail, raw), key=lambda f: f.file_system_id))


@collector(
    "efs.access_points",
    service="efs",
    scope="regional",
    actions=("elasticfilesystem:DescribeAccessPoints",),
    description="EFS access points with their root directory and POSIX user",
)
def collect_efs_access_points(ctx: CollectContext) -> tuple[EfsAccessPoint, ...]:
    """Every access point of the region (paginated)."""
    pages = ctx.client("efs").get_paginator("describe_access_points").paginate()
    points = [access_point_from(p, ctx.region) for page in pages for p in page.get("AccessPoints", [])]
    return tuple(sorted(points, key=lambda p: p.arn))


__all__ = [
    "EfsAccessPoint",
    "EfsFileSystem",
    "access_point_from",
    "collect_efs_access_points",
    "collect_efs_file_systems",
    "file_system_from",
]
