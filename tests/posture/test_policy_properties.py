"""Properties of the policy analyzer over generated statements (hypothesis, kept small and fast)."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from soryoku.posture.policy import analyze_resource_policy, matches, statements

OWNER = "123456789012"
SETTINGS = settings(max_examples=40, deadline=None)

actions = st.from_regex(r"[a-z0-9]{1,6}:[A-Za-z]{1,8}", fullmatch=True)
patterns = st.from_regex(r"[a-z0-9:*?]{1,10}", fullmatch=True)
principals = st.sampled_from(["*", {"AWS": "*"}, {"AWS": ["*"]}, {"AWS": "arn:aws:iam::*:root"}])
pins = st.sampled_from(
    [
        {"StringEquals": {"aws:SourceAccount": OWNER}},
        {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        {"ArnLike": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{OWNER}:topic"}},
        {"StringEquals": {"aws:SourceVpce": "vpce-0abc"}},
        {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}},
    ]
)
loose = st.sampled_from(
    [
        {"Bool": {"aws:SecureTransport": "true"}},
        {"StringLike": {"aws:SourceAccount": "*"}},
        {"StringEqualsIfExists": {"aws:SourceAccount": OWNER}},
        {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
    ]
)


@SETTINGS
@given(patterns, actions)
def test_wildcards_match_like_fnmatch_without_brackets(pattern: str, action: str) -> None:
    assert matches(pattern, action) == fnmatchcase(action.lower(), pattern.lower())


def _public(principal: Any, action: str, condition: dict[str, Any] | None) -> bool:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return analyze_resource_policy({"Statement": [statement]}, OWNER).public


@SETTINGS
@given(principals, actions, pins)
def test_a_pinning_condition_always_restricts_an_everyone_grant(
    principal: Any, action: str, pin: Any
) -> None:
    assert _public(principal, action, None)
    assert not _public(principal, action, pin)


@SETTINGS
@given(principals, actions, loose)
def test_a_condition_that_pins_nothing_never_restricts(principal: Any, action: str, condition: Any) -> None:
    assert _public(principal, action, condition)


@SETTINGS
@given(actions, st.booleans())
def test_strings_and_lists_normalise_alike(action: str, single: bool) -> None:
    one = {"Effect": "Allow", "Principal": {"AWS": OWNER}, "Action": action, "Resource": "*"}
    listed = {"Effect": "Allow", "Principal": {"AWS": [OWNER]}, "Action": [action], "Resource": ["*"]}
    document = {"Statement": one if single else [one]}
    assert statements(document) == statements({"Statement": [listed]})
