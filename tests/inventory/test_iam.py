"""IAM collectors against moto: roles, groups, inline policies, password policy, certificates, root."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from soryoku.aws.clients import ClientFactory
from soryoku.inventory.base import COLLECTORS, CollectContext
from soryoku.inventory.iam import IamGroup, IamRole, IamUser, root_from_summary
from soryoku.inventory.iam_account import (
    PasswordPolicy,
    ServerCertificate,
    parse_credential_report,
    root_credentials_from,
)
from soryoku.posture.collection import Unit, run_unit

ACCOUNT = "123456789012"
REGION = "us-east-1"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}
WILD_S3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def collect(collector_id: str) -> tuple[Any, ...]:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    return COLLECTORS.get(collector_id).collect(CollectContext(factory, ACCOUNT, REGION))


def test_roles_groups_and_inline_policies(aws: str) -> None:
    iam = boto3.client("iam")
    iam.create_role(RoleName="vendor", AssumeRolePolicyDocument=json.dumps(TRUST), Path="/partners/")
    iam.put_role_policy(RoleName="vendor", PolicyName="wide", PolicyDocument=json.dumps(WILD_S3))
    iam.create_group(GroupName="ops")
    iam.put_group_policy(GroupName="ops", PolicyName="ops-s3", PolicyDocument=json.dumps(WILD_S3))
    iam.create_user(UserName="bob")
    iam.put_user_policy(UserName="bob", PolicyName="mine", PolicyDocument=json.dumps(WILD_S3))
    (role,) = collect("iam.roles")
    assert isinstance(role, IamRole) and role.name == "vendor" and role.path == "/partners/"
    assert role.trust_policy == TRUST and not role.service_linked
    assert [(p.name, p.document) for p in role.inline_policies] == [("wide", WILD_S3)]
    (group,) = collect("iam.groups")
    assert isinstance(group, IamGroup) and group.arn.endswith(":group/ops")
    assert group.inline_policies[0].document == WILD_S3
    (user,) = collect("iam.users")
    assert isinstance(user, IamUser) and user.inline_policies[0].name == "mine"
    assert user.inline_policy_names == ("mine",)


def test_password_policy_absent_then_set(aws: str) -> None:
    (absent,) = collect("iam.password_policy")
    assert isinstance(absent, PasswordPolicy) and not absent.present
    assert absent.arn == f"arn:aws:iam::{ACCOUNT}:account-password-policy"
    boto3.client("iam").update_account_password_policy(
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=False,
        PasswordReusePrevention=24,
        MaxPasswordAge=90,
    )
    (policy,) = collect("iam.password_policy")
    assert policy.present and policy.minimum_length == 14 and policy.reuse_prevention == 24
    assert policy.require_symbols and policy.require_uppercase and not policy.require_lowercase
    assert policy.max_age_days == 90


def _certificate(not_after: datetime) -> tuple[str, str]:
    crypto = pytest.importorskip("cryptography", reason="cryptography is needed to build a test certificate")
    del crypto
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "old.example.com")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(not_after - timedelta(days=365))
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    body = cert.public_bytes(serialization.Encoding.PEM).decode()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return body, private


def test_server_certificates(aws: str) -> None:
    assert collect("iam.server_certificates") == ()
    body, private = _certificate(datetime(2020, 1, 1, tzinfo=UTC))
    boto3.client("iam").upload_server_certificate(
        ServerCertificateName="old-site", CertificateBody=body, PrivateKey=private
    )
    (cert,) = collect("iam.server_certificates")
    assert isinstance(cert, ServerCertificate) and cert.name == "old-site"
    # moto 5.2.5 answers a canned Expiration (2012-05-08) whatever the certificate says.
    assert cert.arn.endswith(":server-certificate/old-site") and cert.expiration is not None


def test_root_mfa_facts_and_missing_root_row_is_a_failure_not_a_pass(aws: str) -> None:
    (root,) = collect("iam.root")
    assert not root.mfa_enabled and not root.virtual_mfa  # moto's root: no MFA, cannot be set
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    outcome = run_unit(Unit(ACCOUNT, REGION, "iam.root_credentials"), factory)
    assert not outcome.ok and outcome.resources is None
    assert "no <root_account> row" in (outcome.failure or "")


def test_root_virtual_mfa_device_is_recognised() -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:root"
    device = {"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device", "User": {"Arn": arn}}
    summary = {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0}
    assert root_from_summary(summary, ACCOUNT, "aws", REGION, [device]).virtual_mfa
    assert not root_from_summary(summary, ACCOUNT, "aws", REGION, []).virtual_mfa


def test_root_row_of_a_real_credential_report() -> None:
    report = (
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
        "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
        "access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date\n"
        "<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,"
        "2026-10-30T08:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,true,"
        "2021-01-01T00:00:00+00:00,2026-10-31T09:00:00+00:00\n"
    )
    root = root_credentials_from(parse_credential_report(report), REGION)
    assert root is not None and root.mfa_active and root.password_enabled is None
    assert [k.slot for k in root.access_keys] == [2]
    assert root.last_used == datetime(2026, 10, 31, 9, tzinfo=UTC)
    assert root_credentials_from(parse_credential_report(report.splitlines()[0] + "\n"), REGION) is None
