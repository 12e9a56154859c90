"""Every built-in rule: its metadata, a matching case and a non-matching case."""

from __future__ import annotations

import re

import pytest
from tests.detect.conftest import Detector

from soryoku.core.severity import Severity
from soryoku.detect.rules import RULES

from .rule_cases import CASES


def test_at_least_fifty_rules_each_with_complete_metadata() -> None:
    rules = list(RULES)
    assert len(rules) >= 50
    for rule in rules:
        assert re.fullmatch(r"[a-z0-9_]+", rule.id), rule.id
        assert rule.title and rule.rationale and rule.remediation, rule.id
        assert rule.severity is not Severity.UNKNOWN, rule.id
        assert re.fullmatch(r"T\d{4}(\.\d{3})?", rule.attack.technique), rule.id


def test_every_rule_has_a_matching_and_a_non_matching_case() -> None:
    assert set(CASES) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_matches_its_case_and_not_the_other(rule_id: str, run_detect: Detector) -> None:
    matching, other = CASES[rule_id]
    hit = run_detect(matching, [rule_id])
    assert not hit.gaps, hit.gaps
    assert [f.check_id for f in hit.findings] == [rule_id]
    finding = hit.findings[0]
    assert finding.evidences, "a finding names the records behind it"
    miss = run_detect(other, [rule_id])
    assert not miss.gaps, miss.gaps
    assert miss.findings == []
