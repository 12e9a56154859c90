"""The logging-security group beyond PASS/FAIL cases: filter pattern semantics, the benchmark's own
patterns, and a trail bucket that cannot be read becoming NOT_EVALUATED in a finding."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from soryoku.core.finding import ResultStatus
from soryoku.inventory.cloudtrail import CloudTrailAccount, Trail
from soryoku.inventory.cloudwatch import LogGroupMonitoring, TrailMonitoring
from soryoku.posture.checks._cloudwatch_pattern import PatternError, compile_pattern, missed_events
from soryoku.posture.checks.cloudwatch import MONITORED, Monitored
from soryoku.posture.collection import Unit, UnitOutcome
from soryoku.posture.evaluation import AccountScope, evaluate_account
from soryoku.posture.registry import CHECKS
from soryoku.posture.results import CheckContext

from .cases_logging_security import cis_pattern

ACCOUNT = "123456789012"
EVENT = {
    "eventName": "ConsoleLogin",
    "userIdentity": {"type": "Root", "sessionContext": {"attributes": {"mfaAuthenticated": "false"}}},
    "responseElements": None,
    "resources": [{"ARN": "arn:aws:s3:::b"}],
    "bytes": 2048,
    "readOnly": True,
}


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        ('{ $.eventName = "ConsoleLogin" }', True),
        ("{ $.eventName = Console* }", True),
        ("{ $.eventName = *Login }", True),
        ('{ $.eventName != "ConsoleLogin" }', False),
        ("{ $.missing != x }", False),  # a comparison on an absent field is false both ways
        ("{ $.userIdentity.invokedBy NOT EXISTS }", True),
        ("{ $.userIdentity.type EXISTS }", True),
        ("{ $.responseElements IS NULL }", True),
        ("{ $.readOnly IS TRUE }", True),
        ("{ $.readOnly IS FALSE }", False),
        ("{ $.bytes > 1024 && $.bytes <= 2048 }", True),
        ("{ $.bytes = 2048 }", True),
        ('{ $.resources[0].ARN = "arn:aws:s3:::b" }', True),
        ('{ $.userIdentity.sessionContext.attributes.mfaAuthenticated != "true" }', True),
        ("{ $.eventName = %Console[A-Z]ogin% }", True),
        ("{ ($.eventName = A) || ($.eventName = ConsoleLogin) && ($.bytes = 1) }", False),
        ("{ (($.eventName = A) || ($.eventName = ConsoleLogin)) && ($.bytes = 2048) }", True),
    ],
)
def test_pattern_semantics(pattern: str, matches: bool) -> None:
    assert compile_pattern(pattern)(EVENT) is matches


@pytest.mark.parametrize(
    "pattern", ["ConsoleLogin", "[ip, user, ...]", "{ eventName = x }", "{ ($.a = 1 }", "{ $.a ~ 1 }"]
)
def test_non_json_or_broken_patterns_cover_nothing(pattern: str) -> None:
    with pytest.raises(PatternError):
        compile_pattern(pattern)
    assert missed_events(pattern, [EVENT]) is None


@pytest.mark.parametrize("spec", MONITORED, ids=[s.check_id for s in MONITORED])
def test_the_benchmark_pattern_covers_every_event_of_its_recommendation(spec: Monitored) -> None:
    check_id = spec.check_id
    events = list(spec.events)
    assert missed_events(cis_pattern(check_id), events) == []
    # and each event is needed: dropping the one it names makes a pattern miss it
    assert all(missed_events('{ $.eventName = "Nothing" }', [e]) == [e] for e in events)


def test_unreadable_trail_bucket_is_not_evaluated_in_the_finding() -> None:
    trail = Trail(
        "main", f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main", "us-east-1", True, True, "All"
    )
    unreadable = replace(
        trail, s3_bucket="log-archive", bucket_logging_note="bucket log-archive not readable"
    )
    check = CHECKS.get("cloudtrail_bucket_access_logging_enabled")
    scope = AccountScope(ACCOUNT, "aws", "us-east-1", ("us-east-1",), datetime(2026, 11, 1, tzinfo=UTC))
    unit = Unit(ACCOUNT, "us-east-1", "cloudtrail.home_trails")
    evaluation = evaluate_account([check], scope, {unit: UnitOutcome(unit, (unreadable,))})
    (finding,) = evaluation.findings
    assert finding.status_code == ResultStatus.NOT_EVALUATED.value
    assert "not readable" in (finding.message or "")


def test_org_trail_log_group_of_another_account_is_not_evaluated() -> None:
    group = "arn:aws:logs:us-east-1:111111111111:log-group:org-trail:*"
    trail = Trail(
        "org", "arn:aws:cloudtrail:us-east-1:111111111111:trail/org", "us-east-1", True, True, "All"
    )
    account = CloudTrailAccount(
        f"arn:aws:cloudtrail::{ACCOUNT}:trails", "us-east-1", ACCOUNT, (replace(trail, log_group_arn=group),)
    )
    monitoring = TrailMonitoring(
        "m",
        "us-east-1",
        ACCOUNT,
        (LogGroupMonitoring(group, (), "log group org-trail belongs to account 111111111111"),),
    )
    ctx = CheckContext(ACCOUNT, "us-east-1", related={"cloudwatch.trail_alarms": (monitoring,)})
    (result,) = CHECKS.get("cloudwatch_alarm_root_usage").run(account, ctx)
    assert result.status == ResultStatus.NOT_EVALUATED and "111111111111" in result.message
