"""AccessDenied and throttling beyond retries, end to end: a stub endpoint for one service answers
every request with the error; the scan reports NOT_EVALUATED + a gap for it and goes on with moto."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from soryoku.core.finding import ResultStatus
from soryoku.posture.engine import PostureOptions, run_posture


def _stub(status: int, code: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = json.dumps({"__type": code, "message": f"stub says {code}"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("x-amzn-ErrorType", code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def log_message(self, *args: object) -> None:  # keep test output quiet
            return

    return Handler


@pytest.fixture
def stub_endpoint(request: pytest.FixtureRequest) -> Iterator[str]:
    status, code = request.param
    server = ThreadingHTTPServer(("127.0.0.1", 0), _stub(status, code))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("stub_endpoint", "reason"),
    [
        ((403, "AccessDeniedException"), "access denied (AccessDeniedException on ListDetectors)"),
        ((400, "ThrottlingException"), "throttled beyond retries (ThrottlingException on ListDetectors)"),
    ],
    indirect=["stub_endpoint"],
)
def test_guardduty_failure_is_not_evaluated_and_the_scan_goes_on(
    aws: str, stub_endpoint: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_GUARDDUTY", stub_endpoint)
    options = PostureOptions(checks=("guardduty_enabled", "securityhub_enabled"), max_attempts=1)
    (result,) = run_posture(options)
    statuses = {f.check_id: f.status_code for f in result.findings}
    assert statuses == {
        "guardduty_enabled": ResultStatus.NOT_EVALUATED,
        "securityhub_enabled": ResultStatus.FAIL,
    }
    (gap,) = result.gaps
    assert gap.scope == "aws:123456789012/us-east-1/guardduty"
    assert gap.reason.startswith(reason) and gap.checks == ("guardduty_enabled",)
    not_evaluated = next(f for f in result.findings if f.check_id == "guardduty_enabled")
    assert not_evaluated.message is not None and reason in not_evaluated.message
