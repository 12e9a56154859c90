"""EKS collector against the moto server: endpoint access, version, secrets encryption and log types."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.eks import cluster_from

ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/eks"


def collect(region: str = REGION) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get("eks.clusters").collect(CollectContext(factory, ACCOUNT, region))


def test_clusters_with_endpoint_encryption_and_logging(aws: str) -> None:
    eks = boto3.client("eks")
    eks.create_cluster(name="open", roleArn=ROLE, resourcesVpcConfig={"subnetIds": ["subnet-1"]})
    eks.create_cluster(
        name="locked",
        version="1.33",
        roleArn=ROLE,
        resourcesVpcConfig={
            "subnetIds": ["subnet-1"],
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        encryptionConfig=[
            {"resources": ["secrets"], "provider": {"keyArn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k"}}
        ],
        logging={"clusterLogging": [{"types": ["audit", "api"], "enabled": True}]},
    )

    clusters = {c.name: c for c in collect()}
    opened, locked = clusters["open"], clusters["locked"]
    assert opened.endpoint_public and not opened.secrets_encrypted and opened.log_types == ()
    assert opened.version  # moto's default (an old, unsupported version)
    assert not locked.endpoint_public and locked.endpoint_private and locked.version == "1.33"
    assert locked.secrets_encrypted and locked.log_types == ("api", "audit")
    assert opened.arn == f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/open"
    assert collect("eu-west-1") == ()


def test_transform_defaults() -> None:
    cluster = cluster_from({"arn": "arn:aws:eks:r:1:cluster/c", "name": "c"}, "r")
    assert cluster.endpoint_public and cluster.public_access_cidrs == () and not cluster.secrets_encrypted
