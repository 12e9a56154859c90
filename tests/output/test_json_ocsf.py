"""json-ocsf and jsonl: parsed back, round-tripped through Finding.from_ocsf, OCSF attributes checked."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from soryoku.core.finding import Finding
from soryoku.output.base import Report
from soryoku.output.json_ocsf import GAP_KEY, is_gap_object, write_json_ocsf
from soryoku.output.jsonl import write_jsonl

# OCSF 1.x: attributes required of every finding class, and of each class soryoku emits.
BASE_REQUIRED = (
    "class_uid",
    "category_uid",
    "type_uid",
    "activity_id",
    "severity_id",
    "time",
    "metadata",
    "finding_info",
)
CLASS_REQUIRED = {2002: ("vulnerabilities",), 2003: ("compliance",), 2004: ()}


def _json_ocsf(report: Report) -> list[dict[str, Any]]:
    stream = io.StringIO()
    write_json_ocsf(report, stream)
    data = json.loads(stream.getvalue())
    assert isinstance(data, list)
    return data


def _jsonl(report: Report) -> list[dict[str, Any]]:
    stream = io.StringIO()
    write_jsonl(report, stream)
    lines = stream.getvalue().splitlines()
    assert all(line.strip() for line in lines)
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("parse", [_json_ocsf, _jsonl], ids=["json-ocsf", "jsonl"])
def test_objects_round_trip_and_carry_required_attributes(parse: Any, report: Report) -> None:
    objects = parse(report)
    findings = [o for o in objects if not is_gap_object(o)]
    assert len(findings) == len(report.findings)
    for original, obj in zip(report.findings, findings, strict=True):
        assert Finding.from_ocsf(obj) == original
        for name in (*BASE_REQUIRED, *CLASS_REQUIRED[obj["class_uid"]]):
            assert name in obj, (name, obj["finding_info"]["uid"])
        assert obj["type_uid"] == obj["class_uid"] * 100 + obj["activity_id"]
        assert obj["category_uid"] == 2
        assert obj["metadata"]["product"]["name"] == "soryoku"
        assert obj["metadata"]["version"].startswith("1.")
        assert obj["finding_info"]["uid"] and obj["finding_info"]["title"]
        assert obj["status_code"] in {"PASS", "FAIL", "NOT_EVALUATED"}


@pytest.mark.parametrize("parse", [_json_ocsf, _jsonl], ids=["json-ocsf", "jsonl"])
def test_gaps_are_kept_as_not_evaluated_objects(parse: Any, report: Report) -> None:
    gaps = [o for o in parse(report) if is_gap_object(o)]
    assert [o["unmapped"][GAP_KEY]["scope"] for o in gaps] == [g.scope for g in report.gaps]
    for obj, gap in zip(gaps, report.gaps, strict=True):
        assert obj["status_code"] == "NOT_EVALUATED"
        assert obj["unmapped"][GAP_KEY]["reason"] == gap.reason
        assert obj["unmapped"][GAP_KEY]["checks"] == list(gap.checks)
        assert Finding.from_ocsf(obj).status_code.value == "NOT_EVALUATED"
    posture_gap = next(o for o in gaps if o["unmapped"][GAP_KEY]["engine"] == "posture")
    assert posture_gap["class_uid"] == 2003 and posture_gap["compliance"]["status_code"] == "NOT_EVALUATED"


def test_suppressed_findings_keep_status_and_reason(report: Report) -> None:
    suppressed = [o for o in _json_ocsf(report) if o["status_id"] == 3]
    assert len(suppressed) == 1
    assert suppressed[0]["status"] == "Suppressed"
    assert suppressed[0]["unmapped"]["suppression"]["reason"].startswith("break-glass")


def test_empty_report_is_an_empty_array() -> None:
    assert _json_ocsf(Report(findings=[])) == []
    assert _jsonl(Report(findings=[])) == []
