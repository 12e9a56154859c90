"""RDS fixes: deletion protection on instances and clusters, public snapshots made private."""

from __future__ import annotations

from soryoku.posture.fixes.base import ApiCall, Aws, Change, FixTarget, fix


def _deletion_protection(target: FixTarget, aws: Aws, kind: str) -> list[Change]:
    """Set DeletionProtection on the DB ``kind`` (``instance`` or ``cluster``; applied immediately)."""
    name = target.arn_tail
    rds = aws.client("rds", target.region)
    noun = "Instance" if kind == "instance" else "Cluster"
    key = f"DB{noun}Identifier"
    current = getattr(rds, f"describe_db_{kind}s")(**{key: name})[f"DB{noun}s"][0]
    if current.get("DeletionProtection"):
        return []
    base = {key: name, "ApplyImmediately": True}
    call = ApiCall("rds", target.region, f"modify_db_{kind}", {**base, "DeletionProtection": True})
    undo = ApiCall("rds", target.region, f"modify_db_{kind}", {**base, "DeletionProtection": False})
    return [Change(call, {"DeletionProtection": False}, {"DeletionProtection": True}, undo)]


@fix("rds_instance_deletion_protection", service="rds", summary="Enable deletion protection on the instance")
def instance_deletion_protection(target: FixTarget, aws: Aws) -> list[Change]:
    """Set DeletionProtection on the DB instance (applied immediately; no restart)."""
    return _deletion_protection(target, aws, "instance")


@fix("rds_cluster_deletion_protection", service="rds", summary="Enable deletion protection on the cluster")
def cluster_deletion_protection(target: FixTarget, aws: Aws) -> list[Change]:
    """Set DeletionProtection on the DB cluster (applied immediately; no restart)."""
    return _deletion_protection(target, aws, "cluster")


@fix("rds_snapshot_not_public", service="rds", summary="Stop sharing the DB snapshot with everyone")
def snapshot_not_public(target: FixTarget, aws: Aws) -> list[Change]:
    """Remove ``all`` from the snapshot's restore attribute (shares with named accounts stay)."""
    name = target.arn_tail
    cluster = ":cluster-snapshot:" in target.resource_uid
    rds = aws.client("rds", target.region)
    if cluster:
        result = rds.describe_db_cluster_snapshot_attributes(DBClusterSnapshotIdentifier=name)
        attributes = result["DBClusterSnapshotAttributesResult"]["DBClusterSnapshotAttributes"]
        operation, key = "modify_db_cluster_snapshot_attribute", "DBClusterSnapshotIdentifier"
    else:
        result = rds.describe_db_snapshot_attributes(DBSnapshotIdentifier=name)
        attributes = result["DBSnapshotAttributesResult"]["DBSnapshotAttributes"]
        operation, key = "modify_db_snapshot_attribute", "DBSnapshotIdentifier"
    restore: list[str] = next(
        (a.get("AttributeValues", []) for a in attributes if a.get("AttributeName") == "restore"), []
    )
    if "all" not in restore:
        return []
    base = {key: name, "AttributeName": "restore"}
    call = ApiCall("rds", target.region, operation, {**base, "ValuesToRemove": ["all"]})
    undo = ApiCall("rds", target.region, operation, {**base, "ValuesToAdd": ["all"]})
    after = [value for value in restore if value != "all"]
    return [Change(call, {"restore": list(restore)}, {"restore": after}, undo)]
