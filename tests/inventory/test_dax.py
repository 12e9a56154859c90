"""DAX collector against the moto server over HTTP."""

from __future__ import annotations

from typing import Any

import boto3

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.dax import DaxCluster, cluster_from

ACCOUNT = "123456789012"
REGION = "us-east-1"


def collect(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_clusters_with_encryption_at_rest_and_in_transit(aws: str) -> None:
    dax = boto3.client("dax")
    common = {
        "NodeType": "dax.t3.small",
        "ReplicationFactor": 1,
        "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/dax",
    }
    dax.create_cluster(ClusterName="plain", **common)
    dax.create_cluster(
        ClusterName="sealed",
        SSESpecification={"Enabled": True},
        ClusterEndpointEncryptionType="TLS",
        **common,
    )
    plain, sealed = collect("dax.clusters")
    assert isinstance(plain, DaxCluster) and plain.arn == f"arn:aws:dax:{REGION}:{ACCOUNT}:cache/plain"
    assert not plain.encrypted_at_rest and not plain.encrypted_in_transit
    assert sealed.encrypted_at_rest and sealed.encrypted_in_transit


def test_no_clusters(aws: str) -> None:
    assert collect("dax.clusters") == ()


def test_cluster_transform_defaults() -> None:
    model = cluster_from({"ClusterName": "c", "ClusterArn": "arn:aws:dax:r:1:cache/c"}, REGION)
    assert model.sse_status == "DISABLED" and model.endpoint_encryption == "NONE"
    enabling = cluster_from(
        {"ClusterName": "c", "ClusterArn": "a", "SSEDescription": {"Status": "ENABLING"}}, REGION
    )
    assert enabling.encrypted_at_rest
