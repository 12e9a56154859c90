"""Sigma rules for aws/cloudtrail compiled by soryoku's pySigma backend and run on the same tables."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from tests.detect.conftest import Detector

from soryoku.core.errors import ConfigError
from soryoku.detect.sigma import DuckDBCloudTrailBackend, UnsupportedFieldError, load_sigma_dir
from soryoku.detect.simulate.dataset import KALI_AGENT, alice, ops_admin
from soryoku.detect.simulate.events import console_login, ct

SIGMA = Path(__file__).parent / "sigma"
T = datetime(2024, 5, 10, 10, 0)


def test_cloudtrail_rules_compile_and_the_others_say_why() -> None:
    rules, problems = load_sigma_dir(SIGMA)
    assert len(rules) == 4
    stopped = next(r for r in rules if r.title.startswith("CloudTrail Logging Stopped"))
    assert stopped.attack.technique == "T1562.008" and stopped.attack.tactic == "TA0005"
    assert stopped.severity.label == "High"
    reasons = {p.reason.split(":")[0]: p for p in problems}
    unsupported = reasons["Session Issued To A Role From Unusual Issuer Type"]
    assert unsupported.applicable and "webIdFederationData" in unsupported.reason
    assert not reasons["Windows Process Creation Is Not CloudTrail"].applicable


def test_field_mapping() -> None:
    backend = DuckDBCloudTrailBackend()
    assert backend.escape_and_quote_field("userIdentity.arn") == "principal_arn"
    assert backend.escape_and_quote_field("requestParameters.bucketName") == (
        "json_extract_string(request_parameters, '$.\"bucketName\"')"
    )
    with pytest.raises(UnsupportedFieldError):
        backend.escape_and_quote_field("tlsDetails.tlsVersion")
    with pytest.raises(ConfigError):
        load_sigma_dir(SIGMA / "missing")


def test_sigma_rules_match_case_insensitively_and_not_otherwise(run_detect: Detector) -> None:
    rules, _ = load_sigma_dir(SIGMA)
    from soryoku.detect.rules import RULES

    try:
        for rule in rules:
            RULES.add(rule)
        ids = [r.id for r in rules]
        hit = run_detect(
            [
                ct(ops_admin, "cloudtrail", "stoplogging", T, params={"name": "t"}),
                console_login(alice, T, mfa=False),
                ct(alice, "s3", "ListBuckets", T, agent=KALI_AGENT),
            ],
            ids,
        )
        fired = {f.finding_info.title for f in hit.findings}
        assert fired == {
            "CloudTrail Logging Stopped Or Trail Deleted",
            "Console Login Without MFA",
            "Offensive Linux Distribution User Agent",
        }
        miss = run_detect(
            [
                ct(ops_admin, "cloudtrail", "StopLogging", T, params={"name": "t"}, error="AccessDenied"),
                console_login(alice, T, mfa=True),
                ct(alice, "s3", "ListBuckets", T),
            ],
            ids,
        )
        assert miss.findings == []
    finally:
        for rule in rules:
            RULES.remove(rule.id)
