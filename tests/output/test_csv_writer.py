"""csv: parsed back with the csv module; the compliance view derivable from its columns."""

from __future__ import annotations

import csv
import io
from collections import Counter

from soryoku.output.base import Report
from soryoku.output.csv_writer import COLUMNS, UNATTRIBUTED, compliance_pairs, write_csv
from soryoku.output.html import compliance_view


def _rows(report: Report) -> list[dict[str, str]]:
    stream = io.StringIO()
    write_csv(report, stream)
    reader = csv.DictReader(io.StringIO(stream.getvalue()))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def test_one_row_per_finding_and_per_gap(report: Report) -> None:
    rows = _rows(report)
    kinds = Counter(r["row_kind"] for r in rows)
    assert kinds == {"finding": len(report.findings), "gap": len(report.gaps)}
    by_uid = {r["finding_uid"]: r for r in rows if r["row_kind"] == "finding"}
    for finding in report.findings:
        row = by_uid[finding.uid]
        assert row["check_id"] == finding.check_id
        assert row["severity"] == finding.severity_id.label
        assert row["status_code"] == finding.status_code.value
        assert row["engine"] == finding.engine
        assert row["time"] == "2026-01-01T00:00:00.000Z"


def test_gap_rows_name_scope_reason_and_checks(report: Report) -> None:
    gaps = [r for r in _rows(report) if r["row_kind"] == "gap"]
    assert [(r["gap_scope"], r["gap_reason"]) for r in gaps] == [(g.scope, g.reason) for g in report.gaps]
    assert gaps[0]["gap_checks"] == "guardduty_enabled"
    assert all(r["status_code"] == "NOT_EVALUATED" for r in gaps)


def test_suppressed_row_carries_reason(report: Report) -> None:
    suppressed = [r for r in _rows(report) if r["suppressed"] == "true"]
    assert len(suppressed) == 1
    assert suppressed[0]["suppression_reason"] == "break-glass account, reviewed 2026-10"
    assert suppressed[0]["workflow_status"] == "Suppressed"


def test_vulnerability_and_detection_columns(report: Report) -> None:
    rows = {r["check_id"]: r for r in _rows(report) if r["row_kind"] == "finding"}
    vuln = rows["CVE-2023-0286"]
    assert vuln["cve_ids"] == "CVE-2023-0286"
    assert vuln["packages"] == "openssl@3.0.2-0ubuntu1.10>3.0.2-0ubuntu1.12"
    assert vuln["file_paths"] == "/var/lib/dpkg/status"
    assert rows["console_login_without_mfa"]["attacks"] == "T1078"
    assert rows["yara:EICAR_Test_File"]["malware"] == "EICAR-Test-File"


def test_compliance_view_is_derivable_from_csv(report: Report) -> None:
    """Splitting compliance_requirements and counting compliance_status gives the HTML's numbers."""
    derived: Counter[tuple[str, str, str]] = Counter()
    for row in _rows(report):
        if (
            row["row_kind"] != "finding"
            or not row["compliance_requirements"]
            or row["workflow_status"] == "Resolved"
        ):
            continue
        status = (
            "SUPPRESSED"
            if row["suppressed"] == "true" and row["status_code"] == "FAIL"
            else row["status_code"]
        )
        for pair in row["compliance_requirements"].split(";"):
            standard, _, requirement = pair.partition("/")
            derived[(standard, requirement, status)] += 1
    expected: Counter[tuple[str, str, str]] = Counter()
    for standard in compliance_view(report.findings):
        for req in standard.requirements:
            if req.id == "(whole standard)":
                continue
            for status, n in (
                ("PASS", req.passed),
                ("FAIL", req.failed),
                ("NOT_EVALUATED", req.not_evaluated),
                ("SUPPRESSED", req.suppressed),
            ):
                if n:
                    expected[(standard.name, req.id, status)] = n
    assert derived == expected
    assert derived[("CIS-AWS-3.0", "2.1.4", "FAIL")] == 1
    assert derived[("CIS-AWS-3.0", "2.1.4", "PASS")] == 1


def test_compliance_pairs_attribution(report: Report) -> None:
    s3 = report.findings[0]
    assert compliance_pairs(s3) == [
        ("CIS-AWS-3.0", "2.1.4"),
        ("AWS-FSBP", "S3.8"),
    ]
    guardduty = next(f for f in report.findings if f.check_id == "guardduty_enabled")
    assert compliance_pairs(guardduty) == [("AWS-FSBP", "GuardDuty.1")]
    multi = s3.model_copy(deep=True)
    assert multi.compliance is not None
    multi.compliance.requirements = ["loose-1"]
    assert compliance_pairs(multi) == [
        (UNATTRIBUTED, "loose-1"),
        ("CIS-AWS-3.0", ""),
        ("AWS-FSBP", ""),
    ]


def test_hostile_text_is_quoted_not_split(report: Report) -> None:
    row = next(r for r in _rows(report) if r["check_id"] == "custom_tag_policy")
    assert row["title"] == "Bucket tag <script>alert('x')</script> & \"quotes\""


def test_formula_like_cells_are_neutralised(report: Report) -> None:
    report.findings[0].finding_info.title = '=HYPERLINK("http://evil","x")'
    report.findings[0].message = "@SUM(1)"
    row = _rows(report)[0]
    assert row["title"] == '\'=HYPERLINK("http://evil","x")'
    assert row["message"] == "'@SUM(1)"
    assert row["check_id"] == "s3_bucket_public_access"
