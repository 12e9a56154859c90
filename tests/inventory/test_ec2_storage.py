"""EC2 storage collectors against the moto server: volumes, snapshots, AMIs, launch templates."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from soryoku.aws.clients import ClientFactory
from soryoku.aws.failures import COLLECTION_ERRORS
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.ec2_storage import LaunchTemplateInterface

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_volumes_snapshots_and_images(aws: str) -> None:
    ec2 = boto3.client("ec2")
    instance = ec2.run_instances(ImageId="ami-03cf127a", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    spare = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=1, Encrypted=True)["VolumeId"]
    volumes = {v.volume_id: v for v in collect("ec2.volumes")}
    assert volumes[spare].encrypted and volumes[spare].attached_instance_ids == ()
    (root,) = [v for v in volumes.values() if v.attached_instance_ids == (instance,)]
    assert not root.encrypted

    public = ec2.create_snapshot(VolumeId=spare)["SnapshotId"]
    private = ec2.create_snapshot(VolumeId=spare)["SnapshotId"]
    ec2.modify_snapshot_attribute(
        SnapshotId=public, Attribute="createVolumePermission", OperationType="add", GroupNames=["all"]
    )
    snapshots = {s.snapshot_id: s for s in collect("ec2.snapshots")}
    assert snapshots[public].public and not snapshots[private].public
    assert snapshots[public].arn == f"arn:aws:ec2:{REGION}::snapshot/{public}"

    image = ec2.create_image(InstanceId=instance, Name="golden")["ImageId"]
    ec2.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"Group": "all"}]})
    (model,) = collect("ec2.images")
    assert model.image_id == image and model.public and model.name == "golden"


def test_launch_templates_default_version(aws: str) -> None:
    ec2 = boto3.client("ec2")
    ec2.create_launch_template(
        LaunchTemplateName="web-lt",
        LaunchTemplateData={
            "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": True}],
            "MetadataOptions": {"HttpTokens": "optional"},
        },
    )
    ec2.create_launch_template(
        LaunchTemplateName="app-lt", LaunchTemplateData={"MetadataOptions": {"HttpTokens": "required"}}
    )
    templates = {t.name: t for t in collect("ec2.launch_templates")}
    assert templates["web-lt"].interfaces == (LaunchTemplateInterface(0, True),)
    assert templates["web-lt"].http_tokens == "optional"
    assert templates["app-lt"].interfaces == () and templates["app-lt"].http_tokens == "required"


def test_block_public_access_getters_are_missing_in_moto(aws: str) -> None:
    # moto 5.2.5 lacks both getters: the collectors fail (NOT_EVALUATED downstream), never guess.
    for collector_id in ("ec2.snapshot_block_public_access", "ec2.image_block_public_access"):
        with pytest.raises(COLLECTION_ERRORS):
            COLLECTORS.get(collector_id).collect(
                CollectContext(ClientFactory(boto3.Session(), ACCOUNT, max_attempts=1), ACCOUNT, REGION)
            )


def test_block_public_access_transform_reads_the_state() -> None:
    from soryoku.inventory.ec2_storage import BlockPublicAccessState

    state = BlockPublicAccessState("arn", REGION, ACCOUNT, "snapshots", "block-all-sharing")
    assert state.name == f"{ACCOUNT}/{REGION}/snapshots"


def test_spot_fleet_requests_and_their_stated_encryption(aws: str) -> None:
    from soryoku.inventory.ec2_storage import spot_fleet_request_from

    ec2 = boto3.client("ec2")
    ec2.request_spot_fleet(
        SpotFleetRequestConfig={
            "IamFleetRole": f"arn:aws:iam::{ACCOUNT}:role/fleet",
            "TargetCapacity": 1,
            "AllocationStrategy": "lowestPrice",
            "LaunchSpecifications": [{"ImageId": "ami-03cf127a", "InstanceType": "t3.micro"}],
        }
    )
    (fleet,) = COLLECTORS.get("ec2.spot_fleet_requests").collect(
        CollectContext(ClientFactory(boto3.Session(), ACCOUNT), ACCOUNT, REGION)
    )
    assert fleet.uses_launch_specifications and fleet.state == "active" and fleet.ebs_encrypted == ()
    mappings = [{"Ebs": {"Encrypted": False}}, {"Ebs": {"VolumeSize": 8}}, {"VirtualName": "ephemeral0"}]
    item = {"SpotFleetRequestId": "sfr-1", "SpotFleetRequestConfig": {"LaunchSpecifications": [
        {"BlockDeviceMappings": mappings}]}}  # fmt: skip
    assert spot_fleet_request_from(item, REGION, "aws", ACCOUNT).ebs_encrypted == (False, None)
