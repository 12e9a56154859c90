"""html: well-formed, self-contained, escaped, and showing every failing check, gap and section."""

from __future__ import annotations

import time
from html.parser import HTMLParser

from soryoku.core.finding import Resource, ResultStatus, compliance_finding
from soryoku.core.severity import Severity
from soryoku.output.base import Report
from soryoku.output.html import compliance_view, render_html, safe_url
from soryoku.output.table import is_open_fail

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(HTMLParser):
    """Tracks open elements (well-formedness) and collects URLs, ids and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in {"href", "src", "action", "xlink:href", "srcset", "poster"} and value is not None:
                self.urls.append((tag, name, value))
            if name.startswith("on"):
                self.errors.append(f"event handler attribute {name} on <{tag}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _check(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert not checker.stack, checker.stack
    return checker


def test_well_formed_and_self_contained(report: Report) -> None:
    html = render_html(report)
    checker = _check(html)
    assert html.startswith("<!DOCTYPE html>")
    assert "script" not in checker.tags and "link" not in checker.tags and "img" not in checker.tags
    references = {ref for f in report.findings if f.remediation for ref in f.remediation.references or []}
    references |= {
        ref for f in report.findings for v in f.vulnerabilities or [] for ref in v.references or []
    }
    for tag, attr, url in checker.urls:
        assert url.startswith("#") or (tag == "a" and attr == "href" and url in references), (tag, attr, url)
    assert "@import" not in html and "url(" not in html and "@font-face" not in html


def test_hostile_text_is_escaped(report: Report) -> None:
    html = render_html(report)
    checker = _check(html)
    assert "<script>" not in html and "<img src=x" not in html and "<b>policy" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    text = "".join(checker.text)
    assert "Bucket tag <script>alert('x')</script> & \"quotes\"" in text
    assert "Custom <b>policy</b>" in text
    assert not any(url.startswith("javascript:") for _, _, url in checker.urls)
    assert "javascript:alert(3)" in text  # shown as text, never as a link


def test_every_failing_check_gap_and_suppression_is_shown(report: Report) -> None:
    text = "".join(_check(render_html(report)).text)
    for finding in report.findings:
        if is_open_fail(finding) or finding.status_code is ResultStatus.NOT_EVALUATED:
            assert finding.check_id in text
            assert finding.finding_info.title in text
    for gap in report.gaps:
        assert gap.scope in text and gap.reason in text
    assert "Suppressed: break-glass account, reviewed 2026-10" in text
    assert "+3" in text and "−1" in text  # the diff figures
    assert "Not evaluated" in text


def test_compliance_section_per_standard_and_requirement(report: Report) -> None:
    html = render_html(report)
    text = "".join(_check(html).text)
    assert 'id="compliance"' in html
    for standard in ("CIS-AWS-3.0", "AWS-FSBP"):
        assert standard in text
    for requirement in ("2.1.4", "5.2", "1.10", "S3.8", "EC2.13", "GuardDuty.1"):
        assert requirement in text
    assert text.index("1.10") < text.index("2.1.4")  # natural order


def test_summary_charts_are_inline_svg(report: Report) -> None:
    html = render_html(report)
    assert html.count("<svg") >= 3
    assert "Open failures by severity" in html and "Open failures by layer" in html


def test_without_diff_or_gaps_or_compliance() -> None:
    html = render_html(Report(findings=[], generated_ms=0))
    text = "".join(_check(html).text)
    assert "Everything in scope was evaluated." in text
    assert "New since last run" not in text and 'id="compliance"' not in html


def test_safe_url() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url('https://x" onmouseover="y') is None


def test_five_thousand_findings_render_quickly() -> None:
    findings = [
        compliance_finding(
            check_id=f"check_{i % 50}",
            title=f"Check {i % 50}",
            status=ResultStatus.FAIL if i % 3 else ResultStatus.PASS,
            severity=Severity(1 + i % 5),
            resource=Resource(uid=f"arn:aws:s3:::bucket-{i}", type="AWS::S3::Bucket", region="us-east-1"),
            standards=["CIS"],
            requirements=[f"CIS:{i % 40}"],
            time=0,
        )
        for i in range(5000)
    ]
    started = time.perf_counter()
    html = render_html(Report(findings=findings, generated_ms=0))
    elapsed = time.perf_counter() - started
    _check(html)
    assert elapsed < 10, elapsed
    assert html.count('<details id="check-') == 50  # one per check
    assert html.count('<details class="more">') == 40  # 40 requirements list more than 8 failing resources


def test_compliance_view_states(report: Report) -> None:
    view = {std.name: {req.id: req for req in std.requirements} for std in compliance_view(report.findings)}
    s3 = view["CIS-AWS-3.0"]["2.1.4"]
    assert (s3.state, s3.passed, s3.failed) == ("fail", 1, 1)
    assert [r.resource for r in s3.failing] == ["arn:aws:s3:::web-assets"]
    assert view["CIS-AWS-3.0"]["1.10"].state == "suppressed"
    assert view["AWS-FSBP"]["GuardDuty.1"].state == "unknown"
    assert "EC2.7" not in view["AWS-FSBP"]  # the only EC2.7 finding is resolved
    assert view["Custom <b>policy</b>"]["(whole standard)"].failed == 1
