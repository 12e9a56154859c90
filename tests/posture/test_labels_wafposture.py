"""The AWS WAF posture group's framework labels, pinned per check.

Each FSBP pair verified against AWS's Security Hub control reference (waf-controls, appsync-controls,
cognito-controls: id, title and severity) and the FSBP standard's control list. The web ACL content
checks (managed baseline, Block mode, rate-based rule, Bot Control) and the AppSync / Cognito web ACL
associations implement no Security Hub control. Checks that implement a Security Hub control outside
the FSBP standard carry no label: WAF.11 (logging), ELB.16 (ALB web ACL; it also judges internal
ALBs), Cognito.1 and Cognito.4 (threat protection), Cognito.5 (MFA), Cognito.6 (deletion
protection). WAF.1–WAF.8 judge AWS WAF Classic, which moto does not serve (no ``waf`` or
``waf-regional`` backend), so they are not implemented. AppSync.1 and AppSync.6 (cache encryption)
were retired on 2026-03-09; AppSync.4 (tagging) is not implemented.
"""

from __future__ import annotations

import pytest

from soryoku.posture.compliance.frameworks import standards_and_requirements

EXPECTED_LABELS: dict[str, set[str]] = {
    "wafv2_web_acl_has_rules": {"AWS-FSBP/WAF.10"},
    "wafv2_web_acl_logging_enabled": set(),
    "wafv2_web_acl_rule_metrics_enabled": {"AWS-FSBP/WAF.12"},
    "wafv2_rule_group_metrics_enabled": {"AWS-FSBP/WAF.12"},
    "wafv2_alb_web_acl_attached": set(),
    "wafv2_web_acl_aws_managed_baseline": set(),
    "wafv2_web_acl_rules_block_mode": set(),
    "wafv2_web_acl_rate_based_rule": set(),
    "wafv2_web_acl_bot_control": set(),
    "apigateway_stage_waf_acl_attached": {"AWS-FSBP/APIGateway.4"},
    "cloudfront_distribution_waf_enabled": {"AWS-FSBP/CloudFront.6"},
    "appsync_graphql_api_waf_acl_attached": set(),
    "appsync_graphql_api_field_logging_enabled": {"AWS-FSBP/AppSync.2"},
    "appsync_graphql_api_no_api_key_auth": {"AWS-FSBP/AppSync.5"},
    "cognito_user_pool_waf_acl_attached": set(),
    "cognito_user_pool_threat_protection_enforced": set(),
    "cognito_identity_pool_no_unauthenticated_identities": {"AWS-FSBP/Cognito.2"},
    "cognito_user_pool_password_policy_strong": {"AWS-FSBP/Cognito.3"},
    "cognito_user_pool_custom_auth_threat_protection_enforced": set(),
    "cognito_user_pool_mfa_enabled": set(),
    "cognito_user_pool_deletion_protection": set(),
}


@pytest.mark.parametrize("check_id", sorted(EXPECTED_LABELS))
def test_wafposture_labels(check_id: str) -> None:
    _, requirements = standards_and_requirements(check_id)
    assert set(requirements) == EXPECTED_LABELS[check_id]
