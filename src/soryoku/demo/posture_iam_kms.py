"""The demo story's identity and key layer: IAM roles, policies and settings, KMS keys, certificates.

Twins side by side: a vendor role trusting an outside account without an sts:ExternalId next to one
that requires it; a GitHub Actions deploy role any repository could assume next to one pinned to the
shop's release tags; an organisation-wide reader role whose wildcard trust is pinned to the organisation;
a deployer policy able to escalate its own privileges next to the story's scoped audit policy; a
customer key that rotates next to a legacy one that does not (and is shared with a partner account),
and a retired key scheduled for deletion; an expired IAM server certificate (moto 5.2.5 reports a
canned expiry of 2012-05-08 for every server certificate, so a valid twin cannot be shown here; the
PASS side is covered by the check's cases).

The account password policy is account-level, so it has one state: strong by Security Hub's IAM.7
(all character classes, 12 characters) but short of CIS (14 characters, 24 remembered passwords).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3

from soryoku.demo.scenario import PRIMARY_REGION, DemoEstate

VENDOR_ACCOUNT = "999988887777"
ORGANIZATION_ID = "o-soryokudemo1"
VENDOR_NO_EXTERNAL_ID = "soryoku-demo-vendor-audit"
VENDOR_WITH_EXTERNAL_ID = "soryoku-demo-vendor-billing"
ORG_READER = "soryoku-demo-org-reader"
DEPLOYER_POLICY = "soryoku-demo-deployer"
GITHUB = "token.actions.githubusercontent.com"
CI_ANY_REPOSITORY = "soryoku-demo-ci-deploy"
CI_PINNED = "soryoku-demo-ci-release"
ROTATED_KEY = "alias/soryoku-demo-orders"
LEGACY_KEY = "alias/soryoku-demo-legacy"
RETIRED_KEY = "alias/soryoku-demo-retired"
EXPIRED_CERTIFICATE = "soryoku-demo-legacy-site"
ROOT = ":root"
PASSWORD_POLICY = "account-password-policy"
ADMIN_POLICY = "policy/soryoku-demo-full-admin"  # the base story's
READ_POLICY = "policy/soryoku-demo-audit-read"  # the base story's

EXPECTED_FAILS: set[tuple[str, str]] = {
    # moto's simulated root user has no MFA and none can be added (GetAccountSummary says so).
    ("iam_root_mfa_enabled", ROOT),
    ("iam_root_hardware_mfa_enabled", ROOT),
    # Nobody in the demo account holds AWSSupportAccess (moto does not load AWS managed policies).
    ("iam_support_role_created", ROOT),
    ("iam_password_policy_minimum_length_14", PASSWORD_POLICY),
    ("iam_password_policy_reuse_24", PASSWORD_POLICY),
    # The story's "Action *" policy also decrypts with every key and holds every escalation path.
    ("iam_policy_no_kms_decrypt_on_all_keys", ADMIN_POLICY),
    ("iam_policy_no_privilege_escalation", ADMIN_POLICY),
    ("iam_policy_no_privilege_escalation", f"policy/{DEPLOYER_POLICY}"),
    ("iam_policy_no_service_wildcard_actions", f"policy/{DEPLOYER_POLICY}"),
    ("iam_role_cross_account_trust_requires_external_id", f"role/{VENDOR_NO_EXTERNAL_ID}"),
    ("iam_role_inline_policy_no_kms_decrypt_on_all_keys", f"role/{VENDOR_NO_EXTERNAL_ID}"),
    ("iam_role_web_identity_trust_pins_subject", f"role/{CI_ANY_REPOSITORY}"),
    ("kms_cmk_rotation_enabled", LEGACY_KEY),
    ("kms_key_policy_no_cross_account_access", LEGACY_KEY),
    ("kms_cmk_not_scheduled_for_deletion", RETIRED_KEY),
    ("iam_server_certificate_not_expired", EXPIRED_CERTIFICATE),
    # The story's web-admin got a console password and an access key at creation and never used it.
    ("iam_user_no_unused_initial_access_key", "user/web-admin"),
}

EXPECTED_PASSES: set[tuple[str, str]] = {
    ("iam_password_policy_strong", PASSWORD_POLICY),
    ("iam_role_cross_account_trust_requires_external_id", f"role/{VENDOR_WITH_EXTERNAL_ID}"),
    ("iam_role_inline_policy_no_kms_decrypt_on_all_keys", f"role/{VENDOR_WITH_EXTERNAL_ID}"),
    ("iam_role_trust_policy_not_public", f"role/{ORG_READER}"),
    ("iam_role_web_identity_trust_pins_subject", f"role/{CI_PINNED}"),
    ("iam_role_cross_account_no_admin_privileges", f"role/{VENDOR_NO_EXTERNAL_ID}"),
    ("iam_policy_no_privilege_escalation", READ_POLICY),
    ("iam_policy_no_service_wildcard_actions", READ_POLICY),
    ("iam_policy_no_kms_decrypt_on_all_keys", READ_POLICY),
    ("iam_user_credentials_unused_90_days_removed", "user/auditor"),
    ("iam_user_single_active_access_key", "user/web-admin"),
    ("iam_user_no_unused_initial_access_key", "user/auditor"),
    ("kms_cmk_rotation_enabled", ROTATED_KEY),
    ("kms_key_policy_no_cross_account_access", ROTATED_KEY),
    ("kms_key_policy_not_public", LEGACY_KEY),
    ("kms_cmk_not_scheduled_for_deletion", ROTATED_KEY),
}


def _document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _trust(condition: dict[str, Any] | None = None, principal: Any = None) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal or {"AWS": f"arn:aws:iam::{VENDOR_ACCOUNT}:root"},
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return _document(statement)


def _seed_roles_and_policies(iam: Any, key_arn: str) -> None:
    iam.create_role(RoleName=VENDOR_NO_EXTERNAL_ID, AssumeRolePolicyDocument=_trust())
    iam.put_role_policy(
        RoleName=VENDOR_NO_EXTERNAL_ID,
        PolicyName="read-exports",
        PolicyDocument=_document(
            {"Effect": "Allow", "Action": ["kms:Decrypt", "s3:GetObject"], "Resource": "*"}
        ),
    )
    iam.create_role(
        RoleName=VENDOR_WITH_EXTERNAL_ID,
        AssumeRolePolicyDocument=_trust({"StringEquals": {"sts:ExternalId": "billing-7f3a9c"}}),
    )
    iam.put_role_policy(
        RoleName=VENDOR_WITH_EXTERNAL_ID,
        PolicyName="read-invoices",
        PolicyDocument=_document({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key_arn}),
    )
    iam.create_role(
        RoleName=ORG_READER,
        AssumeRolePolicyDocument=_trust(
            {"StringEquals": {"aws:PrincipalOrgID": ORGANIZATION_ID}}, {"AWS": "*"}
        ),
    )
    provider = iam.create_open_id_connect_provider(
        Url=f"https://{GITHUB}", ClientIDList=["sts.amazonaws.com"], ThumbprintList=["a" * 40]
    )["OpenIDConnectProviderArn"]
    for name, condition in (
        (CI_ANY_REPOSITORY, {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}}),
        (CI_PINNED, {"StringLike": {f"{GITHUB}:sub": "repo:soryoku-demo/shop:ref:refs/tags/*"}}),
    ):
        iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=_document(
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": provider},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": condition,
                }
            ),
        )
    iam.create_policy(
        PolicyName=DEPLOYER_POLICY,
        PolicyDocument=_document(
            {
                "Effect": "Allow",
                "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction", "s3:*"],
                "Resource": "*",
            }
        ),
    )
    iam.update_account_password_policy(
        MinimumPasswordLength=12,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        PasswordReusePrevention=5,
    )


def _seed_keys(account_id: str) -> str:
    kms = boto3.client("kms", region_name=PRIMARY_REGION)
    orders = kms.create_key(Description="orders data")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=orders["KeyId"])
    kms.create_alias(AliasName=ROTATED_KEY, TargetKeyId=orders["KeyId"])
    legacy = kms.create_key(Description="legacy exports, shared with a partner")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=LEGACY_KEY, TargetKeyId=legacy)
    kms.put_key_policy(
        KeyId=legacy,
        PolicyName="default",
        Policy=_document(
            {
                "Sid": "Owner",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "Partner",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{VENDOR_ACCOUNT}:root"},
                "Action": ["kms:Decrypt", "kms:DescribeKey"],
                "Resource": "*",
            },
        ),
    )
    retired = kms.create_key(Description="retired batch key")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=RETIRED_KEY, TargetKeyId=retired)
    kms.schedule_key_deletion(KeyId=retired, PendingWindowInDays=7)
    return str(orders["Arn"])


def _self_signed(common_name: str, not_before: datetime, not_after: datetime) -> tuple[str, str]:
    """A throwaway self-signed certificate and key (generated, so no key material lives in the source)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode(), private.decode()


def _seed_certificates(iam: Any) -> None:
    body, private = _self_signed(
        "legacy.soryoku-demo.example", datetime(2023, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC)
    )
    iam.upload_server_certificate(
        ServerCertificateName=EXPIRED_CERTIFICATE, CertificateBody=body, PrivateKey=private
    )


def seed(estate: DemoEstate) -> None:
    """Create the IAM and KMS twins in the simulated account."""
    iam = boto3.client("iam", region_name=PRIMARY_REGION)
    key_arn = _seed_keys(estate.account_id)
    _seed_roles_and_policies(iam, key_arn)
    _seed_certificates(iam)
    estate.resources.update(
        {
            "vendor_role": VENDOR_NO_EXTERNAL_ID,
            "vendor_role_with_external_id": VENDOR_WITH_EXTERNAL_ID,
            "deployer_policy": DEPLOYER_POLICY,
            "rotated_key": ROTATED_KEY,
            "legacy_key": LEGACY_KEY,
        }
    )


__all__ = ["EXPECTED_FAILS", "EXPECTED_PASSES", "seed"]
