"""EC2 storage and image checks: public snapshots and AMIs, unencrypted attached volumes, launch
templates that assign public IPs or allow IMDSv1."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.core.severity import Severity
from soryoku.inventory.ec2_storage import (
    BlockPublicAccessState,
    EbsSnapshot,
    EbsVolume,
    LaunchTemplate,
    MachineImage,
)
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

LAUNCH_TEMPLATES = "ec2.launch_templates"
SNAPSHOT_BPA = "ec2.snapshot_block_public_access"
IMAGE_BPA = "ec2.image_block_public_access"


@check(
    "ec2_ebs_snapshot_not_public",
    service="ec2",
    resource_type="AwsEc2Snapshot",
    severity=Severity.CRITICAL,
    collectors=("ec2.snapshots",),
    optional_collectors=(SNAPSHOT_BPA,),
)
def snapshot_not_public(snapshot: EbsSnapshot, ctx: CheckContext) -> CheckResult:
    """FAIL when anyone may create a volume from the snapshot (createVolumePermission group ``all``).

    The control's verdict; when the region blocks all public sharing the snapshot is not actually
    reachable, which the exposure field says (unknown when the setting cannot be read).
    """
    if snapshot.public:
        settings: tuple[BlockPublicAccessState, ...] = tuple(ctx.related.get(SNAPSHOT_BPA, ()))
        exposure = (
            "neutralised by snapshot block public access (block-all-sharing)"
            if any(s.state == "block-all-sharing" for s in settings)
            else None
        )
        return failed(f"EBS snapshot {snapshot.snapshot_id} is publicly restorable.", exposure=exposure)
    if snapshot.restorable_by_accounts:
        return passed(
            f"EBS snapshot {snapshot.snapshot_id} is shared with {len(snapshot.restorable_by_accounts)} "
            "account(s), not publicly.",
            accounts=list(snapshot.restorable_by_accounts),
        )
    return passed(f"EBS snapshot {snapshot.snapshot_id} is not publicly restorable.")


@check(
    "ec2_ebs_attached_volume_encrypted",
    service="ec2",
    resource_type="AwsEc2Volume",
    severity=Severity.MEDIUM,
    collectors=("ec2.volumes",),
)
def attached_volume_encrypted(volume: EbsVolume, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when an attached volume is not encrypted; unattached volumes get no verdict (as the control)."""
    if not volume.attached_instance_ids:
        return []
    attached = ", ".join(volume.attached_instance_ids)
    label = f"{volume.volume_id} ({volume.name})" if volume.name != volume.volume_id else volume.volume_id
    if volume.encrypted:
        return [passed(f"EBS volume {label} attached to {attached} is encrypted.")]
    return [failed(f"EBS volume {label} attached to {attached} is not encrypted.")]


@check(
    "ec2_ami_not_public",
    service="ec2",
    resource_type="AwsEc2Image",
    severity=Severity.CRITICAL,
    collectors=("ec2.images",),
)
def ami_not_public(image: MachineImage, ctx: CheckContext) -> CheckResult:
    """FAIL when an AMI the account owns is public (launch permission for ``all``)."""
    if image.public:
        return failed(f"AMI {image.image_id} ({image.name}) is public.")
    return passed(f"AMI {image.image_id} ({image.name}) is private.")


@check(
    "ec2_launch_template_no_public_ip",
    service="ec2",
    resource_type="AwsEc2LaunchTemplate",
    severity=Severity.HIGH,
    collectors=(LAUNCH_TEMPLATES,),
)
def launch_template_public_ip(template: LaunchTemplate, ctx: CheckContext) -> CheckResult:
    """FAIL when the default version assigns a public IP address to one of its network interfaces."""
    public = [i.device_index for i in template.interfaces if i.associate_public_ip]
    if public:
        return failed(
            f"Launch template {template.name} (version {template.default_version}) assigns a public IP to "
            f"network interface(s) at device index {', '.join(map(str, public))}.",
        )
    return passed(
        f"Launch template {template.name} (version {template.default_version}) assigns no public IP."
    )


@check(
    "ec2_launch_template_imdsv2_required",
    service="ec2",
    resource_type="AwsEc2LaunchTemplate",
    severity=Severity.LOW,
    collectors=(LAUNCH_TEMPLATES,),
)
def launch_template_imdsv2(template: LaunchTemplate, ctx: CheckContext) -> CheckResult:
    """FAIL unless the default version sets HttpTokens=required (absent means the account default)."""
    version = f"{template.name} (version {template.default_version})"
    if template.http_tokens == "required":
        return passed(f"Launch template {version} requires IMDSv2.")
    if template.http_tokens is None:
        return failed(f"Launch template {version} does not require IMDSv2 (HttpTokens not set).")
    return failed(f"Launch template {version} allows IMDSv1 (HttpTokens={template.http_tokens}).")


@check(
    "ec2_launch_template_ebs_encrypted",
    service="ec2",
    resource_type="AwsEc2LaunchTemplate",
    severity=Severity.MEDIUM,
    collectors=(LAUNCH_TEMPLATES,),
)
def launch_template_ebs_encrypted(template: LaunchTemplate, ctx: CheckContext) -> Iterable[CheckResult]:
    """FAIL when the default version sets Encrypted=false on an EBS mapping; mappings that leave it out
    (inherit the account default, AMI or snapshot) are not judged, as the control defines."""
    stated = [value for value in template.ebs_encrypted if value is not None]
    version = f"{template.name} (version {template.default_version})"
    if not stated:
        return []
    plain = stated.count(False)
    if plain:
        return [failed(f"Launch template {version} sets Encrypted=false on {plain} EBS volume(s).")]
    return [passed(f"Launch template {version} encrypts every EBS volume it specifies.")]


@check(
    "ec2_ebs_snapshot_block_public_access_enabled",
    service="ec2",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=(SNAPSHOT_BPA,),
)
def snapshot_block_public_access(setting: BlockPublicAccessState, ctx: CheckContext) -> CheckResult:
    """FAIL unless the region blocks public sharing of EBS snapshots (block-all- or block-new-sharing)."""
    if setting.state == "block-all-sharing":
        return passed(f"EBS snapshot block public access blocks all sharing in {setting.region}.")
    if setting.state == "block-new-sharing":
        return passed(
            f"EBS snapshot block public access blocks new public sharing in {setting.region} "
            "(snapshots shared before stay public)."
        )
    return failed(f"EBS snapshot block public access is {setting.state} in {setting.region}.")


@check(
    "ec2_ami_block_public_access_enabled",
    service="ec2",
    resource_type="AwsAccount",
    severity=Severity.HIGH,
    collectors=(IMAGE_BPA,),
)
def image_block_public_access(setting: BlockPublicAccessState, ctx: CheckContext) -> CheckResult:
    """FAIL unless the region blocks new public sharing of AMIs."""
    if setting.state == "block-new-sharing":
        return passed(f"AMI block public access blocks new public sharing in {setting.region}.")
    return failed(f"AMI block public access is {setting.state} in {setting.region}.")
