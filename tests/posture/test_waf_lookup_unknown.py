"""A web ACL lookup that fails (access denied to wafv2, throttled) makes only the web-ACL checks of
AppSync APIs and Cognito user pools NOT_EVALUATED; their other checks are judged as usual."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.stub import Stubber

from soryoku.inventory.wafv2 import web_acl_or_reason
from soryoku.posture.registry import CHECKS
from soryoku.posture.results import CheckContext

from .cases import ACCOUNT, NOW, REGION
from .cases_wafposture import api, pool

REASON = "wafv2:GetWebACLForResource: AccessDeniedException"


def _statuses(check_id: str, resource: Any) -> list[tuple[str, str]]:
    ctx = CheckContext(account_id=ACCOUNT, region=REGION, now=NOW)
    return [(r.status.value, r.message) for r in CHECKS.get(check_id).run(resource, ctx)]


def test_a_failed_lookup_is_a_reason_not_an_exception() -> None:
    waf = boto3.client(
        "wafv2", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(waf) as stub:
        stub.add_client_error("get_web_acl_for_resource", "AccessDeniedException", "not allowed")
        acl, reason = web_acl_or_reason(waf, f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/x")
    assert acl is None and reason is not None and "AccessDenied" in reason


def test_only_the_web_acl_checks_are_not_evaluated() -> None:
    unknown_pool = pool(web_acl_arn=None, web_acl_unknown=REASON)
    [(status, message)] = _statuses("cognito_user_pool_waf_acl_attached", unknown_pool)
    assert status == "NOT_EVALUATED" and "AccessDenied" in message
    assert _statuses("cognito_user_pool_deletion_protection", unknown_pool)[0][0] == "PASS"
    unknown_api = api(web_acl_arn=None, web_acl_unknown=REASON)
    [(status, message)] = _statuses("appsync_graphql_api_waf_acl_attached", unknown_api)
    assert status == "NOT_EVALUATED" and "AccessDenied" in message
    assert _statuses("appsync_graphql_api_no_api_key_auth", unknown_api)[0][0] == "PASS"
    # a private API gets no web-ACL verdict at all, known or not
    assert (
        _statuses("appsync_graphql_api_waf_acl_attached", api(web_acl_arn=None, visibility="PRIVATE")) == []
    )
