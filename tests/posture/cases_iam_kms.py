"""PASS and FAIL cases for the IAM, KMS and Access Analyzer checks over hand-built models (no AWS)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from soryoku.inventory.accessanalyzer import AccessAnalyzerRegion, Analyzer
from soryoku.inventory.iam import AccessKey, IamGroup, IamPolicy, IamRole, IamUser, InlinePolicy, RootAccount
from soryoku.inventory.iam_account import PasswordPolicy, RootCredentials, ServerCertificate
from soryoku.inventory.kms import KmsKey

from .cases import ACCOUNT, FAIL, NOW, PASS, REGION, Case

OTHER = "111122223333"
ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:root"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


ADMIN = doc(allow("*"))
S3_WILD = doc(allow("s3:*"))
DESCRIBE = doc(allow("ec2:Describe*"))
DECRYPT_ALL = doc(allow(["kms:Decrypt", "kms:GenerateDataKey"]))
DECRYPT_ONE = doc(allow("kms:Decrypt", f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k1"))
ESCALATE = doc(allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]))
SELF_KEYS = doc(allow("iam:CreateAccessKey", "arn:aws:iam::*:user/${aws:username}"))


def user(**kwargs: Any) -> IamUser:
    base: dict[str, Any] = {
        "name": "carol",
        "arn": f"arn:aws:iam::{ACCOUNT}:user/carol",
        "region": REGION,
        "created": NOW - timedelta(days=400),
        "password_enabled": False,
        "mfa_active": False,
    }
    base.update(kwargs)
    return IamUser(**base)


def key(
    slot: int = 1, *, used_days_ago: int | None = None, age_days: int = 10, active: bool = True
) -> AccessKey:
    used = None if used_days_ago is None else NOW - timedelta(days=used_days_ago)
    return AccessKey(slot=slot, active=active, last_rotated=NOW - timedelta(days=age_days), last_used=used)


def managed(document: dict[str, Any], *, aws: bool = False) -> IamPolicy:
    arn = "arn:aws:iam::aws:policy/PowerUserAccess" if aws else f"arn:aws:iam::{ACCOUNT}:policy/app"
    return IamPolicy("app", arn, REGION, aws, 1, document)


def inline(document: dict[str, Any]) -> tuple[InlinePolicy, ...]:
    return (InlinePolicy("inline-1", document),)


def role(trust: dict[str, Any] | None = None, **kwargs: Any) -> IamRole:
    base: dict[str, Any] = {
        "name": "app-role",
        "arn": f"arn:aws:iam::{ACCOUNT}:role/app-role",
        "region": REGION,
        "path": "/",
        "trust_policy": trust or doc(service_trust("ec2.amazonaws.com")),
    }
    base.update(kwargs)
    return IamRole(**base)


def group(**kwargs: Any) -> IamGroup:
    return IamGroup("devs", f"arn:aws:iam::{ACCOUNT}:group/devs", REGION, **kwargs)


def service_trust(service: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}


def account_trust(
    account: str, condition: dict[str, Any] | None = None, principal: Any = None
) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal or {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return statement


GITHUB = "token.actions.githubusercontent.com"


def github_trust(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{GITHUB}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }


def root(mfa: bool, virtual: bool = False) -> RootAccount:
    return RootAccount(ROOT_ARN, REGION, access_keys_present=False, mfa_enabled=mfa, virtual_mfa=virtual)


def password_policy(**kwargs: Any) -> PasswordPolicy:
    base: dict[str, Any] = {
        "arn": f"arn:aws:iam::{ACCOUNT}:account-password-policy",
        "region": REGION,
        "account_id": ACCOUNT,
        "present": True,
        "minimum_length": 14,
        "require_symbols": True,
        "require_numbers": True,
        "require_uppercase": True,
        "require_lowercase": True,
        "reuse_prevention": 24,
    }
    base.update(kwargs)
    return PasswordPolicy(**base)


NO_PASSWORD_POLICY = PasswordPolicy(f"arn:aws:iam::{ACCOUNT}:account-password-policy", REGION, ACCOUNT, False)


def certificate(expires_in_days: int) -> ServerCertificate:
    arn = f"arn:aws:iam::{ACCOUNT}:server-certificate/site"
    return ServerCertificate(
        "site", arn, REGION, NOW + timedelta(days=expires_in_days), NOW - timedelta(days=400)
    )


def root_credentials(used_days_ago: int | None) -> RootCredentials:
    used = None if used_days_ago is None else NOW - timedelta(days=used_days_ago)
    return RootCredentials(ROOT_ARN, REGION, None, used, True)


def identities(
    roles: tuple[IamRole, ...] = (), users: tuple[IamUser, ...] = (), groups: tuple[IamGroup, ...] = ()
) -> dict[str, tuple[Any, ...]]:
    return {"iam.root": (root(True),), "iam.roles": roles, "iam.users": users, "iam.groups": groups}


SUPPORT = "arn:aws:iam::aws:policy/AWSSupportAccess"
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
CLOUDSHELL = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"


def analyzers(*items: tuple[str, str]) -> AccessAnalyzerRegion:
    found = tuple(
        Analyzer(f"a{i}", f"arn:aws:access-analyzer:{REGION}:{ACCOUNT}:analyzer/a{i}", kind, status)
        for i, (kind, status) in enumerate(items)
    )
    return AccessAnalyzerRegion(
        f"arn:aws:access-analyzer:{REGION}:{ACCOUNT}:analyzers", REGION, ACCOUNT, found
    )


def kms_key(**kwargs: Any) -> KmsKey:
    base: dict[str, Any] = {
        "key_id": "k1",
        "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k1",
        "region": REGION,
        "aliases": ("alias/app",),
        "manager": "CUSTOMER",
        "state": "Enabled",
        "spec": "SYMMETRIC_DEFAULT",
        "origin": "AWS_KMS",
        "deletion_date": None,
        "rotation_enabled": True,
        "policy": doc(
            {"Effect": "Allow", "Principal": {"AWS": ROOT_ARN}, "Action": "kms:*", "Resource": "*"}
        ),
    }
    base.update(kwargs)
    return KmsKey(**base)


def key_policy(principal: Any, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "kms:Decrypt",
        "Resource": "*",
    }
    if condition:
        statement["Condition"] = condition
    return doc(
        {"Effect": "Allow", "Principal": {"AWS": ROOT_ARN}, "Action": "kms:*", "Resource": "*"}, statement
    )


AWS_MANAGED_KEY_POLICY = key_policy(
    {"AWS": "*"},
    {"StringEquals": {"kms:CallerAccount": ACCOUNT, "kms:ViaService": f"s3.{REGION}.amazonaws.com"}},
)

UNUSED_90 = "iam_user_credentials_unused_90_days_removed"
UNUSED_45 = "iam_user_credentials_unused_45_days_removed"

CASES: list[Case] = [
    # IAM.8 / CIS 1.12 — unused credentials
    Case("recently used password", UNUSED_90, user(password_enabled=True, password_last_used=NOW), PASS),
    Case(
        "password unused 120 days",
        UNUSED_90,
        user(password_enabled=True, password_last_used=NOW - timedelta(days=120)),
        FAIL,
        says="console password unused for 120 days",
    ),
    Case(
        "key never used, created 100 days ago",
        UNUSED_90,
        user(access_keys=(key(age_days=100),)),
        FAIL,
        says="access key 1",
    ),
    Case(
        "inactive old key is no credential",
        UNUSED_90,
        user(access_keys=(key(age_days=300, active=False),)),
        PASS,
    ),
    Case(
        "key used 60 days ago passes 90",
        UNUSED_90,
        user(access_keys=(key(used_days_ago=60, age_days=200),)),
        PASS,
    ),
    Case(
        "key used 60 days ago fails 45",
        UNUSED_45,
        user(access_keys=(key(used_days_ago=60, age_days=200),)),
        FAIL,
    ),
    Case("key used yesterday", UNUSED_45, user(access_keys=(key(used_days_ago=1, age_days=200),)), PASS),
    Case(
        "password set 50 days ago, never used",
        UNUSED_45,
        user(password_enabled=True, password_last_changed=NOW - timedelta(days=50)),
        FAIL,
    ),
    # CIS 1.13 — one active key
    Case(
        "one active key",
        "iam_user_single_active_access_key",
        user(access_keys=(key(1), key(2, active=False))),
        PASS,
    ),
    Case(
        "two active keys",
        "iam_user_single_active_access_key",
        user(access_keys=(key(1), key(2))),
        FAIL,
        says="2 active",
    ),
    # IAM.9 / IAM.6 — root MFA
    Case("root with MFA", "iam_root_mfa_enabled", root(True), PASS),
    Case("root without MFA", "iam_root_mfa_enabled", root(False), FAIL),
    Case("root with hardware MFA", "iam_root_hardware_mfa_enabled", root(True), PASS),
    Case(
        "root with virtual MFA",
        "iam_root_hardware_mfa_enabled",
        root(True, virtual=True),
        FAIL,
        says="virtual",
    ),
    Case("root with no MFA", "iam_root_hardware_mfa_enabled", root(False), FAIL, says="no MFA"),
    # IAM.21
    Case("prefix wildcard", "iam_policy_no_service_wildcard_actions", managed(DESCRIBE), PASS),
    Case("s3:*", "iam_policy_no_service_wildcard_actions", managed(S3_WILD), FAIL, says="s3:*"),
    Case(
        "NotAction iam:*",
        "iam_policy_no_service_wildcard_actions",
        managed(doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})),
        FAIL,
        says="NotAction iam:*",
    ),
    # KMS.1
    Case("decrypt on one key", "iam_policy_no_kms_decrypt_on_all_keys", managed(DECRYPT_ONE), PASS),
    Case(
        "decrypt on all keys",
        "iam_policy_no_kms_decrypt_on_all_keys",
        managed(DECRYPT_ALL),
        FAIL,
        says="kms:Decrypt",
    ),
    Case("kms:* on all keys", "iam_policy_no_kms_decrypt_on_all_keys", managed(doc(allow("kms:*"))), FAIL),
    # privilege escalation, managed
    Case("self-service keys", "iam_policy_no_privilege_escalation", managed(SELF_KEYS), PASS),
    Case(
        "PassRole + Lambda",
        "iam_policy_no_privilege_escalation",
        managed(ESCALATE),
        FAIL,
        says="passrole-lambda-invoke",
    ),
    # role trust
    Case("service trust", "iam_role_trust_policy_not_public", role(), PASS),
    Case(
        "wildcard trust pinned to the organisation",
        "iam_role_trust_policy_not_public",
        role(doc(account_trust("", {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, {"AWS": "*"}))),
        PASS,
    ),
    Case(
        "wildcard trust",
        "iam_role_trust_policy_not_public",
        role(doc(account_trust("", principal={"AWS": "*"}))),
        FAIL,
        says="anyone",
    ),
    Case(
        "external account with ExternalId",
        "iam_role_cross_account_trust_requires_external_id",
        role(doc(account_trust(OTHER, {"StringEquals": {"sts:ExternalId": "vendor-7f3a"}}))),
        PASS,
    ),
    Case("no external account", "iam_role_cross_account_trust_requires_external_id", role(), PASS),
    Case(
        "external account without ExternalId",
        "iam_role_cross_account_trust_requires_external_id",
        role(doc(account_trust(OTHER))),
        FAIL,
        says=OTHER,
    ),
    Case(
        "external account without admin",
        "iam_role_cross_account_no_admin_privileges",
        role(doc(account_trust(OTHER)), attached_policy_arns=(f"arn:aws:iam::{ACCOUNT}:policy/app",)),
        PASS,
        {"iam.policies": (managed(S3_WILD),)},
    ),
    Case(
        "in-account role with admin",
        "iam_role_cross_account_no_admin_privileges",
        role(attached_policy_arns=(ADMINISTRATOR_ACCESS,)),
        PASS,
        {"iam.policies": ()},
    ),
    Case(
        "external account with AdministratorAccess",
        "iam_role_cross_account_no_admin_privileges",
        role(doc(account_trust(OTHER)), attached_policy_arns=(ADMINISTRATOR_ACCESS,)),
        FAIL,
        {"iam.policies": ()},
        says="AdministratorAccess",
    ),
    Case(
        "external account with a customer admin policy",
        "iam_role_cross_account_no_admin_privileges",
        role(doc(account_trust(OTHER)), attached_policy_arns=(f"arn:aws:iam::{ACCOUNT}:policy/app",)),
        FAIL,
        {"iam.policies": (managed(ADMIN),)},
        says=OTHER,
    ),
    Case("no web identity", "iam_role_web_identity_trust_pins_subject", role(), PASS, says="no web identity"),
    Case(
        "GitHub trust pinned to a repository",
        "iam_role_web_identity_trust_pins_subject",
        role(doc(github_trust({"StringLike": {f"{GITHUB}:sub": "repo:soryoku/app:ref:refs/heads/main"}}))),
        PASS,
    ),
    Case(
        "GitHub trust with audience only",
        "iam_role_web_identity_trust_pins_subject",
        role(doc(github_trust({"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}}))),
        FAIL,
        says=GITHUB,
    ),
    Case(
        "GitHub trust for any repository",
        "iam_role_web_identity_trust_pins_subject",
        role(doc(github_trust({"StringLike": {f"{GITHUB}:sub": "repo:*"}}))),
        FAIL,
    ),
    # password policy
    Case("strong policy", "iam_password_policy_strong", password_policy(), PASS),
    Case("no policy", "iam_password_policy_strong", NO_PASSWORD_POLICY, FAIL, says="no IAM password policy"),
    Case(
        "no symbols",
        "iam_password_policy_strong",
        password_policy(require_symbols=False),
        FAIL,
        says="symbols",
    ),
    Case("length 14", "iam_password_policy_minimum_length_14", password_policy(), PASS),
    Case("length 8", "iam_password_policy_minimum_length_14", password_policy(minimum_length=8), FAIL),
    Case("no policy, length", "iam_password_policy_minimum_length_14", NO_PASSWORD_POLICY, FAIL),
    Case("reuse 24", "iam_password_policy_reuse_24", password_policy(), PASS),
    Case("reuse 5", "iam_password_policy_reuse_24", password_policy(reuse_prevention=5), FAIL, says="only 5"),
    Case("reuse unset", "iam_password_policy_reuse_24", password_policy(reuse_prevention=None), FAIL),
    # CIS 1.17
    Case(
        "support role",
        "iam_support_role_created",
        root(True),
        PASS,
        identities(roles=(role(attached_policy_arns=(SUPPORT,)),)),
        says="role app-role",
    ),
    Case("no support role", "iam_support_role_created", root(True), FAIL, identities(users=(user(),))),
    # CIS 1.19
    Case("valid certificate", "iam_server_certificate_not_expired", certificate(30), PASS),
    Case("expired certificate", "iam_server_certificate_not_expired", certificate(-3), FAIL, says="expired"),
    # root use (needs the credential report's root row)
    Case("root unused", "iam_root_credentials_not_recently_used", root_credentials(None), PASS, says="never"),
    Case("root used long ago", "iam_root_credentials_not_recently_used", root_credentials(200), PASS),
    Case("root used 2 days ago", "iam_root_credentials_not_recently_used", root_credentials(2), FAIL),
    # CIS 1.20
    Case(
        "external analyzer",
        "accessanalyzer_external_access_analyzer_enabled",
        analyzers(("ACCOUNT", "ACTIVE")),
        PASS,
    ),
    Case("no analyzer", "accessanalyzer_external_access_analyzer_enabled", analyzers(), FAIL),
    Case(
        "only an unused-access analyzer",
        "accessanalyzer_external_access_analyzer_enabled",
        analyzers(("ACCOUNT_UNUSED_ACCESS", "ACTIVE")),
        FAIL,
        says="ACCOUNT_UNUSED_ACCESS",
    ),
    # KMS.4
    Case("rotating key", "kms_cmk_rotation_enabled", kms_key(), PASS),
    Case(
        "key not rotating",
        "kms_cmk_rotation_enabled",
        kms_key(rotation_enabled=False),
        FAIL,
        says="alias/app",
    ),
    # KMS.3
    Case("key enabled", "kms_cmk_not_scheduled_for_deletion", kms_key(), PASS),
    Case(
        "key pending deletion",
        "kms_cmk_not_scheduled_for_deletion",
        kms_key(state="PendingDeletion", deletion_date=NOW + timedelta(days=7)),
        FAIL,
        says="2026-11-08",
    ),
    # key policies
    Case("default key policy", "kms_key_policy_not_public", kms_key(), PASS),
    Case(
        "AWS managed key policy pinned by kms:CallerAccount",
        "kms_key_policy_not_public",
        kms_key(manager="AWS", policy=AWS_MANAGED_KEY_POLICY),
        PASS,
    ),
    Case(
        "public key policy", "kms_key_policy_not_public", kms_key(policy=key_policy("*")), FAIL, says="public"
    ),
    Case("own account only", "kms_key_policy_no_cross_account_access", kms_key(), PASS),
    Case(
        "shared with another account",
        "kms_key_policy_no_cross_account_access",
        kms_key(policy=key_policy({"AWS": f"arn:aws:iam::{OTHER}:root"})),
        FAIL,
        says=OTHER,
    ),
    Case(
        "shared with the organisation",
        "kms_key_policy_no_cross_account_access",
        kms_key(policy=key_policy({"AWS": "*"}, {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})),
        FAIL,
        says="o-abc123",
    ),
]

# The same four checks for each identity kind (user, role, group).
_HOLDERS: dict[str, Any] = {"user": user, "role": role, "group": group}
for _kind, _make in _HOLDERS.items():
    CASES += [
        Case(f"{_kind} inline decrypt on one key", f"iam_{_kind}_inline_policy_no_kms_decrypt_on_all_keys",
             _make(inline_policies=inline(DECRYPT_ONE)), PASS),
        Case(f"{_kind} inline decrypt on all keys", f"iam_{_kind}_inline_policy_no_kms_decrypt_on_all_keys",
             _make(inline_policies=inline(DECRYPT_ALL)), FAIL, says="inline-1"),
        Case(f"{_kind} inline self-service", f"iam_{_kind}_inline_policy_no_privilege_escalation",
             _make(inline_policies=inline(SELF_KEYS)), PASS),
        Case(f"{_kind} inline escalation", f"iam_{_kind}_inline_policy_no_privilege_escalation",
             _make(inline_policies=inline(ESCALATE)), FAIL, says="passrole-lambda-invoke"),
        Case(f"{_kind} inline scoped", f"iam_{_kind}_inline_policy_no_full_admin_privileges",
             _make(inline_policies=inline(S3_WILD)), PASS),
        Case(f"{_kind} inline admin", f"iam_{_kind}_inline_policy_no_full_admin_privileges",
             _make(inline_policies=inline(ADMIN)), FAIL, says="inline-1"),
        Case(f"{_kind} without CloudShell", f"iam_{_kind}_no_cloudshell_full_access",
             _make(attached_policy_arns=(SUPPORT,)), PASS),
        Case(f"{_kind} with CloudShell", f"iam_{_kind}_no_cloudshell_full_access",
             _make(attached_policy_arns=(CLOUDSHELL,)), FAIL, says="AWSCloudShellFullAccess"),
    ]  # fmt: skip

# Checks that judge only part of their resources (no verdict for the rest).
SILENT_CASES: list[tuple[str, Any]] = [
    ("iam_policy_no_service_wildcard_actions", managed(S3_WILD, aws=True)),
    ("iam_policy_no_kms_decrypt_on_all_keys", managed(DECRYPT_ALL, aws=True)),
    ("iam_policy_no_privilege_escalation", managed(ESCALATE, aws=True)),
    ("kms_cmk_rotation_enabled", kms_key(manager="AWS", rotation_enabled=False)),
    ("kms_cmk_rotation_enabled", kms_key(spec="RSA_2048", rotation_enabled=None)),
    ("kms_cmk_rotation_enabled", kms_key(origin="EXTERNAL", rotation_enabled=None)),
    ("kms_cmk_rotation_enabled", kms_key(state="Disabled", rotation_enabled=False)),
    ("kms_cmk_not_scheduled_for_deletion", kms_key(manager="AWS")),
    ("kms_cmk_rotation_enabled", kms_key(aliases=("alias/aws/ebs",), rotation_enabled=False)),
    ("kms_key_policy_no_cross_account_access", kms_key(manager="AWS", policy=AWS_MANAGED_KEY_POLICY)),
]
