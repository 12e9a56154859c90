"""EFS checks: encryption at rest, automatic backups, AWS Backup plan coverage, mount targets in
public-IP subnets, access point root directory and user identity."""

from __future__ import annotations

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.backup import BackupSelection
from soryoku.inventory.efs import EfsAccessPoint, EfsFileSystem
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

FILE_SYSTEMS = "efs.file_systems"
ACCESS_POINTS = "efs.access_points"
SUBNETS = "ec2.subnets"
BACKUP_SELECTIONS = "backup.selections"


@check(
    "efs_file_system_encrypted",
    service="efs",
    resource_type="AwsEfsFileSystem",
    severity=Severity.MEDIUM,
    collectors=(FILE_SYSTEMS,),
)
def efs_file_system_encrypted(fs: EfsFileSystem, ctx: CheckContext) -> CheckResult:
    """FAIL unless the file system encrypts data at rest with AWS KMS."""
    if fs.encrypted:
        return passed(f"File system {fs.name} is encrypted at rest.")
    return failed(f"File system {fs.name} is not encrypted at rest.")


@check(
    "efs_file_system_automatic_backups",
    service="efs",
    resource_type="AwsEfsFileSystem",
    severity=Severity.MEDIUM,
    collectors=(FILE_SYSTEMS,),
)
def efs_file_system_automatic_backups(fs: EfsFileSystem, ctx: CheckContext) -> CheckResult:
    """FAIL unless the file system's automatic backup policy is enabled."""
    if fs.automatic_backups:
        return passed(f"File system {fs.name} has automatic backups enabled.")
    return failed(f"File system {fs.name} does not have automatic backups enabled.")


@check(
    "efs_access_point_root_directory",
    service="efs",
    resource_type="AwsEfsAccessPoint",
    severity=Severity.MEDIUM,
    collectors=(ACCESS_POINTS,),
)
def efs_access_point_root_directory(point: EfsAccessPoint, ctx: CheckContext) -> CheckResult:
    """FAIL when the access point exposes the file system's root ("/")."""
    if point.root_directory.rstrip("/"):
        return passed(f"Access point {point.name} confines clients to {point.root_directory}.")
    return failed(f"Access point {point.name} exposes the root directory of {point.file_system_id}.")


@check(
    "efs_access_point_user_identity",
    service="efs",
    resource_type="AwsEfsAccessPoint",
    severity=Severity.MEDIUM,
    collectors=(ACCESS_POINTS,),
)
def efs_access_point_user_identity(point: EfsAccessPoint, ctx: CheckContext) -> CheckResult:
    """FAIL unless the access point enforces a POSIX user identity."""
    if point.posix_uid is not None:
        return passed(f"Access point {point.name} enforces POSIX user {point.posix_uid}.")
    return failed(f"Access point {point.name} does not enforce a user identity.")


@check(
    "efs_mount_target_subnet_no_public_ip",
    service="efs",
    resource_type="AwsEfsFileSystem",
    severity=Severity.MEDIUM,
    collectors=(FILE_SYSTEMS, SUBNETS),
)
def efs_mount_target_subnet_no_public_ip(fs: EfsFileSystem, ctx: CheckContext) -> CheckResult:
    """FAIL when a mount target sits in a subnet that assigns public IPv4 addresses on launch;
    NOT_EVALUATED when none does but a mount target's subnet was not among the collected subnets."""
    subnets = ctx.resources(SUBNETS)
    public = {s.subnet_id for s in subnets if s.map_public_ip_on_launch}
    known = {s.subnet_id for s in subnets}
    offending = [s for s in fs.mount_target_subnets if s in public]
    if offending:
        return failed(
            f"File system {fs.name} has mount targets in subnets that assign public IP addresses on "
            f"launch: {', '.join(offending)}.",
            subnets=offending,
        )
    if not fs.mount_target_subnets:
        return passed(f"File system {fs.name} has no mount targets.")
    unknown = [s for s in fs.mount_target_subnets if s not in known]
    if unknown:
        return CheckResult(
            ResultStatus.NOT_EVALUATED,
            f"File system {fs.name}: mount target subnet(s) {', '.join(unknown)} not found among the "
            "region's subnets.",
        )
    return passed(
        f"File system {fs.name} mounts only in subnets without public IP assignment "
        f"({', '.join(fs.mount_target_subnets)})."
    )


@check(
    "efs_file_system_in_backup_plan",
    service="efs",
    resource_type="AwsEfsFileSystem",
    severity=Severity.MEDIUM,
    collectors=(FILE_SYSTEMS, BACKUP_SELECTIONS),
)
def efs_file_system_in_backup_plan(fs: EfsFileSystem, ctx: CheckContext) -> CheckResult:
    """FAIL unless a backup plan's resource assignment covers the file system (by ARN or by tags)."""
    selections: tuple[BackupSelection, ...] = ctx.resources(BACKUP_SELECTIONS)
    tags = dict(fs.tags)
    covering = [f"{s.plan_name}/{s.name}" for s in selections if s.covers(fs.arn, tags)]
    if covering:
        return passed(
            f"File system {fs.name} is in backup plan(s): {', '.join(covering)}.", selections=covering
        )
    return failed(f"File system {fs.name} is not assigned to any AWS Backup plan.")
