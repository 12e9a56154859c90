"""EC2 fixes: world-open admin-port rules, EBS default encryption, IMDSv2, public EBS snapshots."""

from __future__ import annotations

from typing import Any

from soryoku.posture.fixes.base import ApiCall, Aws, Change, FixTarget, fix

ANY_IPV4 = "0.0.0.0/0"
ANY_IPV6 = "::/0"
ADMIN_PORTS = (22, 3389)
# check id → (ports, sources, protocols whose rules it judges); mirrors checks/ec2.py
_SG_CHECKS: dict[str, tuple[tuple[int, ...], tuple[str, ...], frozenset[str]]] = {
    "ec2_securitygroup_ingress_port_22_open_to_internet": ((22,), (ANY_IPV4, ANY_IPV6), frozenset({"tcp"})),
    "ec2_securitygroup_ingress_port_3389_open_to_internet": (
        (3389,),
        (ANY_IPV4, ANY_IPV6),
        frozenset({"tcp"}),
    ),
    "ec2_securitygroup_ingress_admin_ports_open_to_ipv4_internet": (
        ADMIN_PORTS,
        (ANY_IPV4,),
        frozenset({"tcp", "udp"}),
    ),
    "ec2_securitygroup_ingress_admin_ports_open_to_ipv6_internet": (
        ADMIN_PORTS,
        (ANY_IPV6,),
        frozenset({"tcp", "udp"}),
    ),
}


def _covers(permission: dict[str, Any], ports: tuple[int, ...], protocols: frozenset[str]) -> bool:
    protocol = str(permission.get("IpProtocol", ""))
    if protocol == "-1":
        return True
    if protocol not in protocols:
        return False
    low, high = int(permission.get("FromPort", 0)), int(permission.get("ToPort", 65535))
    return any(low <= port <= high for port in ports)


def _single_range(permission: dict[str, Any], key: str, entry: dict[str, Any]) -> dict[str, Any]:
    """The permission narrowed to one source range: exactly the rule to revoke, nothing else."""
    narrowed: dict[str, Any] = {"IpProtocol": permission["IpProtocol"], key: [entry]}
    if "FromPort" in permission:
        narrowed["FromPort"] = permission["FromPort"]
        narrowed["ToPort"] = permission["ToPort"]
    return narrowed


@fix(*_SG_CHECKS, service="ec2", summary="Revoke only the world-open ingress rule on the admin port")
def revoke_open_admin_rule(target: FixTarget, aws: Aws) -> list[Change]:
    """Revoke each inbound rule that opens the check's admin port(s) to the check's world source.

    Only the offending source range is revoked (other CIDRs of the same permission stay); the undo
    call authorizes exactly that range again, description included.
    """
    ports, sources, protocols = _SG_CHECKS[target.check_id]
    group_id = target.arn_tail
    ec2 = aws.client("ec2", target.region)
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    changes: list[Change] = []
    for permission in group.get("IpPermissions", []):
        if not _covers(permission, ports, protocols):
            continue
        for key, cidr_key in (("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6")):
            for entry in permission.get(key, []):
                if entry.get(cidr_key) not in sources:
                    continue
                rule = _single_range(permission, key, dict(entry))
                call = ApiCall(
                    "ec2",
                    target.region,
                    "revoke_security_group_ingress",
                    {"GroupId": group_id, "IpPermissions": [rule]},
                )
                undo = ApiCall(
                    "ec2",
                    target.region,
                    "authorize_security_group_ingress",
                    {"GroupId": group_id, "IpPermissions": [rule]},
                )
                changes.append(Change(call, {"ingress": rule}, {"ingress": None}, undo))
    return changes


@fix("ec2_ebs_default_encryption", service="ec2", summary="Enable EBS encryption by default in the region")
def ebs_default_encryption(target: FixTarget, aws: Aws) -> list[Change]:
    """Enable EBS encryption by default (new volumes only; existing volumes are unchanged)."""
    ec2 = aws.client("ec2", target.region)
    enabled = bool(ec2.get_ebs_encryption_by_default().get("EbsEncryptionByDefault"))
    if enabled:
        return []
    call = ApiCall("ec2", target.region, "enable_ebs_encryption_by_default", {})
    undo = ApiCall("ec2", target.region, "disable_ebs_encryption_by_default", {})
    return [Change(call, {"EbsEncryptionByDefault": False}, {"EbsEncryptionByDefault": True}, undo)]


@fix("ec2_instance_imdsv2_required", service="ec2", summary="Require IMDSv2 (HttpTokens=required)")
def instance_imdsv2(target: FixTarget, aws: Aws) -> list[Change]:
    """Set the instance's metadata options to HttpTokens=required (undo restores the previous value)."""
    instance_id = target.arn_tail
    ec2 = aws.client("ec2", target.region)
    reservations = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    options = reservations[0]["Instances"][0].get("MetadataOptions", {})
    tokens = str(options.get("HttpTokens", "optional"))
    if tokens == "required":
        return []
    call = ApiCall(
        "ec2",
        target.region,
        "modify_instance_metadata_options",
        {"InstanceId": instance_id, "HttpTokens": "required"},
    )
    undo = ApiCall(
        "ec2",
        target.region,
        "modify_instance_metadata_options",
        {"InstanceId": instance_id, "HttpTokens": tokens},
    )
    note = "software on the instance that still calls IMDSv1 without a token will get HTTP 401"
    return [Change(call, {"HttpTokens": tokens}, {"HttpTokens": "required"}, undo, note=note)]


@fix("ec2_ebs_snapshot_not_public", service="ec2", summary="Stop sharing the EBS snapshot with everyone")
def snapshot_not_public(target: FixTarget, aws: Aws) -> list[Change]:
    """Remove the ``all`` group from the snapshot's createVolumePermission (account shares stay)."""
    snapshot_id = target.arn_tail
    ec2 = aws.client("ec2", target.region)
    permissions = ec2.describe_snapshot_attribute(
        SnapshotId=snapshot_id, Attribute="createVolumePermission"
    ).get("CreateVolumePermissions", [])
    if not any(p.get("Group") == "all" for p in permissions):
        return []
    params = {"SnapshotId": snapshot_id, "Attribute": "createVolumePermission", "GroupNames": ["all"]}
    call = ApiCall("ec2", target.region, "modify_snapshot_attribute", {**params, "OperationType": "remove"})
    undo = ApiCall("ec2", target.region, "modify_snapshot_attribute", {**params, "OperationType": "add"})
    return [
        Change(call, {"createVolumePermission": permissions}, {"createVolumePermission": "not public"}, undo)
    ]
