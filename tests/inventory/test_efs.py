"""EFS collectors against the moto server over HTTP."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str, region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def test_file_systems_and_access_points(aws: str) -> None:
    efs = boto3.client("efs")
    plain = efs.create_file_system(CreationToken="plain", Encrypted=False)["FileSystemId"]
    backed = efs.create_file_system(CreationToken="backed", Encrypted=True, Backup=True)["FileSystemId"]
    found = {f.file_system_id: f for f in collect("efs.file_systems")}
    assert not found[plain].encrypted and not found[plain].automatic_backups  # PolicyNotFound = off
    assert found[backed].encrypted and found[backed].automatic_backups
    assert found[plain].arn.endswith(f":file-system/{plain}")
    efs.create_access_point(
        FileSystemId=plain, PosixUser={"Uid": 1000, "Gid": 1000}, RootDirectory={"Path": "/app"}
    )
    efs.create_access_point(FileSystemId=plain)
    points = collect("efs.access_points")
    assert sorted((p.root_directory, p.posix_uid) for p in points) == [("/", None), ("/app", 1000)]
    assert all(p.file_system_id == plain for p in points)


def test_mount_target_subnets(aws: str) -> None:
    efs, ec2 = boto3.client("efs"), boto3.client("ec2")
    subnet = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
    mounted = efs.create_file_system(CreationToken="mounted")["FileSystemId"]
    bare = efs.create_file_system(CreationToken="bare")["FileSystemId"]
    efs.create_mount_target(FileSystemId=mounted, SubnetId=subnet["SubnetId"])
    found = {f.file_system_id: f for f in collect("efs.file_systems")}
    assert found[mounted].mount_target_subnets == (subnet["SubnetId"],)
    assert found[bare].mount_target_subnets == ()
