"""The labelled dataset: every attack scenario is detected, no trap and no benign record fires."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from soryoku.core.result import ScanResult
from soryoku.detect.database import DetectContext
from soryoku.detect.engine import detect, evaluate
from soryoku.detect.findings import build_finding
from soryoku.detect.simulate import build_dataset
from soryoku.detect.sources import LogStore


@pytest.fixture(scope="module")
def labelled(
    tmp_path_factory: pytest.TempPathFactory, full_context: DetectContext
) -> tuple[object, ScanResult]:
    root = tmp_path_factory.mktemp("dataset")
    dataset = build_dataset(datetime(2024, 5, 1), custom_flows=True, hours_per_file=4)
    dataset.save(root / "logs")
    result, report = detect(str(root / "logs"), LogStore(root / "store"), full_context)
    assert report.problems == []
    large = evaluate(LogStore(root / "store"), replace(full_context, materialize_rows=0))
    uids = sorted(build_finding(o.rule, group).uid for o in large for group in o.groups)
    assert uids == sorted(f.uid for f in result.findings), "the large-store path finds the same"
    return dataset, result


def _fired(dataset: object, result: ScanResult) -> dict[str, set[str]]:
    owner = {key: label for label, keys in dataset.labels.items() for key in keys}  # type: ignore[attr-defined]
    fired: dict[str, set[str]] = defaultdict(set)
    for finding in result.findings:
        for evidence in finding.evidences or []:
            data = evidence.data or {}
            fired[owner[data.get("event_id") or data["key"]]].add(finding.check_id)
    return fired


def test_every_scenario_is_detected_by_the_rules_it_names(labelled: tuple[object, ScanResult]) -> None:
    dataset, result = labelled
    assert result.gaps == []
    fired = _fired(dataset, result)
    for scenario in dataset.scenarios:  # type: ignore[attr-defined]
        missing = set(scenario.expected) - fired[f"scenario:{scenario.name}"]
        assert not missing, f"{scenario.name} not detected by {sorted(missing)}"


def test_no_trap_and_no_benign_record_raises_anything(labelled: tuple[object, ScanResult]) -> None:
    dataset, result = labelled
    fired = _fired(dataset, result)
    noisy = {label: rules for label, rules in fired.items() if not label.startswith("scenario:")}
    assert noisy == {}
    assert {f"trap:{t.name}" for t in dataset.traps} <= set(dataset.labels)  # type: ignore[attr-defined]


def test_the_story_is_one_finding_per_rule_and_actor(
    labelled: tuple[object, ScanResult], tmp_path: Path
) -> None:
    _, result = labelled
    stopped = [f for f in result.findings if f.check_id == "cloudtrail_logging_stopped"]
    assert len(stopped) == 1
    denied = next(f for f in result.findings if f.check_id == "discovery_access_denied_burst")
    assert denied.unmapped and denied.unmapped["record_count"] == 16
    assert denied.unmapped["actor"] == "arn:aws:iam::111122223333:user/deploy-bot"
    assert denied.unmapped["source_ips"] == ["198.51.100.23"]
