"""ACM, Inspector, Macie, the account's security contact and its organization against moto."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.macie import not_enabled

ACCOUNT = "123456789012"


def collect(collector_id: str, region: str = "us-east-1") -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, region))


def self_signed(bits: int, days: int) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "legacy.example.com")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), pem_key


def test_acm_certificates_of_every_key_type(aws: str) -> None:
    acm = boto3.client("acm")
    certificate, key = self_signed(1024, 10)
    acm.import_certificate(Certificate=certificate, PrivateKey=key)
    acm.request_certificate(DomainName="www.example.com")
    by_name = {c.name: c for c in collect("acm.certificates")}
    legacy = by_name["legacy.example.com"]
    assert legacy.type == "IMPORTED" and legacy.key_algorithm == "RSA_1024" and legacy.status == "ISSUED"
    assert legacy.not_after is not None and legacy.not_after - datetime.now(UTC) < timedelta(days=11)
    assert by_name["www.example.com"].key_algorithm == "RSA_2048"


def test_inspector_scans(aws: str) -> None:
    (before,) = collect("inspector2.account_status")
    assert before.scans == {}
    boto3.client("inspector2").enable(accountIds=[ACCOUNT], resourceTypes=["EC2", "ECR"])
    (after,) = collect("inspector2.account_status")
    assert after.enabled("ec2") and after.enabled("ecr") and not after.enabled("lambda")


def test_macie_session(aws: str) -> None:
    boto3.client("macie2", region_name="us-west-2").disable_macie()
    (west,) = collect("macie2.session", "us-west-2")
    assert west.status is None
    (east,) = collect("macie2.session")  # moto answers ENABLED for an account it never saw
    assert east.status == "ENABLED"


def test_macie_automated_discovery_api_is_missing_in_moto(aws: str) -> None:
    # moto 5.2.5 has no GetAutomatedDiscoveryConfiguration: the collector fails (NOT_EVALUATED).
    with pytest.raises((ClientError, BotoCoreError)):
        collect("macie2.automated_discovery")


def test_macie_automated_discovery_not_enabled_answer() -> None:
    denied = ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "Macie is not enabled"}}, "GetX"
    )
    assert not_enabled(denied)


def test_security_contact(aws: str) -> None:
    (none,) = collect("account.security_contact")
    assert none.email is None
    boto3.client("account").put_alternate_contact(
        AlternateContactType="SECURITY",
        EmailAddress="soc@example.com",
        Name="SOC",
        PhoneNumber="+1",
        Title="SOC",
    )
    (registered,) = collect("account.security_contact")
    assert registered.email == "soc@example.com" and registered.contact_name == "SOC"


def test_organization_membership(aws: str) -> None:
    (alone,) = collect("organizations.membership")
    assert alone.organization_id is None
    boto3.client("organizations").create_organization(FeatureSet="ALL")
    (member,) = collect("organizations.membership")
    assert member.organization_id and member.feature_set == "ALL" and member.management_account_id == ACCOUNT
