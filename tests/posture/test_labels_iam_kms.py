"""The IAM/KMS/Access Analyzer checks carry exactly the FSBP and CIS v3.0.0 labels verified for them.

Each pair was checked against AWS's Security Hub control reference (iam-controls, kms-controls, the
FSBP standard's control list, and each control's "CIS AWS Foundations Benchmark v3.0.0/x.y" related
requirement) and against the CIS v3.0.0 recommendation titles. Checks without a label implement no
control of either framework (KMS.5, IAM.9 … IAM.28 outside FSBP are mapped to CIS only).
"""

from __future__ import annotations

import pytest

from soryoku.posture.compliance.frameworks import standards_and_requirements
from soryoku.posture.registry import CHECKS

from .test_labels_postdata import EXPECTED_LABELS as POSTDATA_LABELS

INLINE_KMS = {"AWS-FSBP/KMS.2"}
CLOUDSHELL = {"CIS-AWS-3.0/1.22"}
EXPECTED_LABELS: dict[str, set[str]] = {
    "iam_user_credentials_unused_90_days_removed": {"AWS-FSBP/IAM.8"},
    "iam_user_credentials_unused_45_days_removed": {"CIS-AWS-3.0/1.12"},
    "iam_user_single_active_access_key": {"CIS-AWS-3.0/1.13"},
    "iam_root_mfa_enabled": {"CIS-AWS-3.0/1.5"},
    "iam_root_hardware_mfa_enabled": {"AWS-FSBP/IAM.6", "CIS-AWS-3.0/1.6"},
    "iam_password_policy_strong": {"AWS-FSBP/IAM.7"},
    "iam_password_policy_minimum_length_14": {"CIS-AWS-3.0/1.8"},
    "iam_password_policy_reuse_24": {"CIS-AWS-3.0/1.9"},
    "iam_policy_no_service_wildcard_actions": {"AWS-FSBP/IAM.21"},
    "iam_policy_no_kms_decrypt_on_all_keys": {"AWS-FSBP/KMS.1"},
    "iam_user_inline_policy_no_kms_decrypt_on_all_keys": INLINE_KMS,
    "iam_role_inline_policy_no_kms_decrypt_on_all_keys": INLINE_KMS,
    "iam_group_inline_policy_no_kms_decrypt_on_all_keys": INLINE_KMS,
    "iam_user_no_cloudshell_full_access": CLOUDSHELL,
    "iam_role_no_cloudshell_full_access": CLOUDSHELL,
    "iam_group_no_cloudshell_full_access": CLOUDSHELL,
    "iam_support_role_created": {"CIS-AWS-3.0/1.17"},
    "iam_server_certificate_not_expired": {"CIS-AWS-3.0/1.19"},
    "accessanalyzer_external_access_analyzer_enabled": {"CIS-AWS-3.0/1.20"},
    "kms_cmk_not_scheduled_for_deletion": {"AWS-FSBP/KMS.3"},
    # Implement no FSBP or CIS v3.0.0 control (the analyzer's extra depth):
    "iam_policy_no_privilege_escalation": set(),
    "iam_user_inline_policy_no_privilege_escalation": set(),
    "iam_role_inline_policy_no_privilege_escalation": set(),
    "iam_group_inline_policy_no_privilege_escalation": set(),
    "iam_user_inline_policy_no_full_admin_privileges": set(),
    "iam_role_inline_policy_no_full_admin_privileges": set(),
    "iam_group_inline_policy_no_full_admin_privileges": set(),
    "iam_role_trust_policy_not_public": set(),
    "iam_role_cross_account_trust_requires_external_id": set(),
    "iam_role_cross_account_no_admin_privileges": set(),
    "iam_role_web_identity_trust_pins_subject": set(),
    "kms_key_policy_no_cross_account_access": set(),
}


@pytest.mark.parametrize("check_id", sorted(EXPECTED_LABELS))
def test_labels_per_control(check_id: str) -> None:
    assert check_id in CHECKS
    _, requirements = standards_and_requirements(check_id)
    assert set(requirements) == EXPECTED_LABELS[check_id]


def test_every_group_check_is_labelled_here() -> None:
    modules = {
        "soryoku.posture.checks.iam_policies",
        "soryoku.posture.checks.iam_roles",
        "soryoku.posture.checks.iam_account",
        "soryoku.posture.checks.kms",
        "soryoku.posture.checks.accessanalyzer",
    }
    mine = {c.id for c in CHECKS if c.module in modules}
    assert mine <= set(EXPECTED_LABELS) | set(POSTDATA_LABELS)
