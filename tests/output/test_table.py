"""table: plain text in a pipe, colour on a terminal, and everything a reader must see."""

from __future__ import annotations

import io

from soryoku.core.severity import Severity
from soryoku.output.base import Report
from soryoku.output.table import summarise, write_table


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _text(report: Report) -> str:
    stream = io.StringIO()
    write_table(report, stream)
    return stream.getvalue()


def test_pipe_output_has_no_escape_codes(report: Report) -> None:
    text = _text(report)
    assert "\x1b[" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_terminal_output_is_coloured(report: Report) -> None:
    stream = FakeTerminal()
    write_table(report, stream)
    assert "\x1b[" in stream.getvalue()


def test_shows_summary_fails_in_severity_order_suppressions_and_gaps(report: Report) -> None:
    text = _text(report)
    assert "11 results: 9 fail, 1 pass, 1 not evaluated; 1 suppressed; 2 gaps" in text
    assert "since the previous run: 3 new, 1 resolved" in text
    fails = text[text.index("FAIL findings") : text.index("Suppressed (")]
    assert fails.index("ec2_securitygroup_open_ssh") < fails.index("s3_bucket_public_access")
    assert fails.index("s3_bucket_public_access") < fails.index("shield_sqli_blocked")
    assert "ebs_default_encryption" not in fails  # resolved
    assert "iam_user_console_mfa" not in fails  # suppressed: listed below with its reason
    assert "break-glass account, reviewed" in text
    for gap in report.gaps:
        assert gap.scope in text
    assert "guardduty_enabled" in text


def test_summary_counts(report: Report) -> None:
    summary = summarise(report.findings)
    assert summary.engine_total("posture") == 3
    assert summary.by_engine_severity[("content", Severity.CRITICAL)] == 1
    assert summary.by_engine_severity[("posture", Severity.CRITICAL)] == 1
    assert summary.suppressed == 1


def test_empty_report() -> None:
    text = _text(Report(findings=[], generated_ms=0))
    assert "No open FAIL findings." in text and "Everything in scope was evaluated." in text


def test_table_shows_the_compliance_view(report: Report) -> None:
    from soryoku.output.compliance import compliance_view

    stream = io.StringIO()
    write_table(report, stream)
    text = stream.getvalue()
    for standard in compliance_view(report.findings):
        assert f"Compliance {standard.name}: {standard.count('pass')} passed" in text
        for requirement in standard.requirements:
            if requirement.state == "fail":
                assert requirement.id in text
