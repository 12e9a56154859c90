"""OpenSearch domain collector against the moto server over HTTP."""

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


def test_domains(aws: str) -> None:
    client = boto3.client("opensearch")
    client.create_domain(DomainName="open-logs")
    policy = '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"es:*","Resource":"*"}]}'
    client.create_domain(
        DomainName="secure-logs",
        ClusterConfig={"InstanceCount": 3, "ZoneAwarenessEnabled": True},
        EncryptionAtRestOptions={"Enabled": True},
        NodeToNodeEncryptionOptions={"Enabled": True},
        DomainEndpointOptions={"EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"},
        AdvancedSecurityOptions={"Enabled": True, "InternalUserDatabaseEnabled": True},
        AccessPolicies=policy,
    )
    open_logs, secure = collect("opensearch.domains")
    assert open_logs.name == "open-logs" and open_logs.arn.endswith(":domain/open-logs")
    assert not open_logs.encryption_at_rest and not open_logs.enforce_https and open_logs.vpc_id is None
    assert open_logs.access_policy is None and open_logs.data_nodes == 1
    assert secure.encryption_at_rest and secure.node_to_node_encryption and secure.fine_grained_access
    assert secure.enforce_https and secure.tls_policy == "Policy-Min-TLS-1-2-2019-07"
    assert secure.data_nodes == 3 and secure.zone_awareness
    assert secure.access_policy is not None and secure.access_policy["Statement"][0]["Action"] == "es:*"
    assert not open_logs.update_available  # moto reports UpdateAvailable false
