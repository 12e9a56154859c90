"""IAM/KMS checks beyond PASS/FAIL: unreadable per-key facts are NOT_EVALUATED, exposure is reported."""

from __future__ import annotations

from soryoku.core.finding import ResultStatus
from soryoku.posture.registry import CHECKS
from soryoku.posture.results import CheckContext

from .cases import ACCOUNT, NOW, REGION
from .cases_iam_kms import account_trust, doc, kms_key, role


def test_a_key_policy_that_locks_the_scanner_out_is_not_evaluated() -> None:
    locked = kms_key(
        policy=None, read_errors=("key policy: access denied (AccessDeniedException on GetKeyPolicy)",)
    )
    for check_id in ("kms_key_policy_not_public", "kms_key_policy_no_cross_account_access"):
        (result,) = CHECKS.get(check_id).run(locked, CheckContext(ACCOUNT, REGION, now=NOW))
        assert result.status is ResultStatus.NOT_EVALUATED
        assert "access denied" in result.message and "alias/app" in result.message


def test_unreadable_rotation_is_not_evaluated_not_failed() -> None:
    unknown = kms_key(rotation_enabled=None, read_errors=("rotation: access denied",))
    (result,) = CHECKS.get("kms_cmk_rotation_enabled").run(unknown, CheckContext(ACCOUNT, REGION, now=NOW))
    assert result.status is ResultStatus.NOT_EVALUATED and "rotation: access denied" in result.message


def test_restricted_wildcard_trust_passes_with_its_exposure() -> None:
    pinned = role(doc(account_trust("", {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, {"AWS": "*"})))
    (result,) = CHECKS.get("iam_role_trust_policy_not_public").run(
        pinned, CheckContext(ACCOUNT, REGION, now=NOW)
    )
    assert result.status is ResultStatus.PASS
    assert result.exposure == "shared with organisation o-abc123; restricted by aws:PrincipalOrgID=o-abc123"
