"""The data group's framework labels, pinned per check.

Each pair verified against AWS's Security Hub control reference (FSBP control list, ids, titles and
severities) and the CIS AWS Foundations Benchmark v3.0.0 text. Checks that implement a Security Hub
control outside the FSBP standard (e.g. S3.14, S3.15, S3.17, S3.19, S3.20) carry no FSBP label.
"""

from __future__ import annotations

import pytest

from soryoku.posture.compliance.frameworks import standards_and_requirements

EXPECTED_LABELS: dict[str, set[str]] = {
    "s3_bucket_secure_transport_policy": {"AWS-FSBP/S3.5", "CIS-AWS-3.0/2.1.1"},
    "s3_bucket_cross_account_sensitive_actions": {"AWS-FSBP/S3.6"},
    "s3_bucket_server_access_logging_enabled": {"AWS-FSBP/S3.9"},
    "s3_bucket_event_notifications_enabled": {"AWS-FSBP/S3.11"},
    "s3_bucket_acl_not_used": {"AWS-FSBP/S3.12"},
    "s3_bucket_lifecycle_configured": {"AWS-FSBP/S3.13"},
    "s3_bucket_mfa_delete_enabled": {"CIS-AWS-3.0/2.1.2"},
    "s3_bucket_versioning_enabled": set(),
    "s3_bucket_object_lock_enabled": set(),
    "s3_bucket_default_encryption_kms": set(),
    "s3_access_point_public_access_block": set(),
}


@pytest.mark.parametrize("check_id", sorted(EXPECTED_LABELS))
def test_data_group_labels(check_id: str) -> None:
    _, requirements = standards_and_requirements(check_id)
    assert set(requirements) == EXPECTED_LABELS[check_id]
