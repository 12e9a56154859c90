"""SSRF at the sinks: the corpus, socket.getaddrinfo (urllib), asyncio resolution, DNS rebinding."""

from __future__ import annotations

import asyncio
import asyncio.base_events
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from soryoku.shield import ShieldBlockedError, install, request_scope, uninstall
from soryoku.shield.context import RequestContext
from soryoku.shield.rasp.ssrf import forbidden_reason, input_names_host

Corpus = Callable[[str], dict[str, Any]]
MakeContext = Callable[..., RequestContext]


def test_every_attack_in_the_corpus_is_forbidden(load_corpus: Corpus) -> None:
    missed = []
    for case in load_corpus("ssrf")["attacks"]:
        reasons = {forbidden_reason(a) for a in case["addresses"]}
        if not input_names_host(case["host"], case["input"]) or case["reason"] not in reasons:
            missed.append(case["input"])
    assert missed == []


def test_no_legitimate_case_is_flagged(load_corpus: Corpus) -> None:
    flagged = []
    for case in load_corpus("ssrf")["legitimate"]:
        names = input_names_host(case["host"], case["input"])
        if names and any(forbidden_reason(a) for a in case["addresses"]):
            flagged.append(case["input"])
    assert flagged == []


def _fake_getaddrinfo(answers: dict[str, list[list[str]]]) -> Callable[..., Any]:
    """A resolver answering from a table; a name with several answers gives them in turn (rebinding)."""
    calls: dict[str, int] = {}

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        turn = calls.get(name, 0)
        calls[name] = turn + 1
        options = answers[name]
        addresses = options[min(turn, len(options) - 1)]
        family = socket.AF_INET6 if ":" in addresses[0] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (a, port or 0)) for a in addresses]

    return getaddrinfo


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Hooks installed over a table resolver (no network); restored in the right order."""
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        _fake_getaddrinfo(
            {
                "rebind.attacker.example": [["93.184.215.14"], ["169.254.169.254"]],
                "public.example": [["93.184.215.14"]],
                "db.internal": [["10.0.0.5"]],
            }
        ),
    )
    install()
    yield
    uninstall()


def test_metadata_literal_via_urllib_is_blocked(hooks: object, make_context: MakeContext) -> None:
    url = "http://169.254.169.254/latest/meta-data/"
    with request_scope(make_context(url)) as ctx, pytest.raises(ShieldBlockedError):
        urllib.request.urlopen(url, timeout=0.5)
    assert ctx.blocked is not None
    assert ctx.blocked.rule_id == "ssrf:metadata"


def test_loopback_via_urllib_is_blocked(hooks: object, make_context: MakeContext) -> None:
    with request_scope(make_context("http://127.0.0.1:9/admin")), pytest.raises(ShieldBlockedError):
        urllib.request.urlopen("http://127.0.0.1:9/admin", timeout=0.5)


def test_dns_rebinding_is_caught_at_the_second_resolution(resolver: None, make_context: MakeContext) -> None:
    with request_scope(make_context("http://rebind.attacker.example/x")):
        socket.getaddrinfo("rebind.attacker.example", 80)  # the app's "is it public?" check: passes
        with pytest.raises(ShieldBlockedError):
            socket.getaddrinfo("rebind.attacker.example", 80)  # the connection's own lookup


def test_public_hosts_and_the_apps_own_backends_pass(resolver: None, make_context: MakeContext) -> None:
    with request_scope(make_context("https://public.example/img.png", "note about 10.0.0.5")) as ctx:
        assert socket.getaddrinfo("public.example", 443)[0][4][0] == "93.184.215.14"
        assert socket.getaddrinfo("db.internal", 5432)[0][4][0] == "10.0.0.5"
    assert ctx.events == []


def test_asyncio_resolution_is_checked_in_the_calling_task(hooks: object, make_context: MakeContext) -> None:
    async def fetch() -> None:
        loop = asyncio.get_running_loop()
        await loop.getaddrinfo("127.0.0.1", 80)

    with request_scope(make_context("http://127.0.0.1/")), pytest.raises(ShieldBlockedError):
        asyncio.run(fetch())


def test_outside_a_request_nothing_is_checked(hooks: object) -> None:
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=0.5)


def test_requests_to_metadata_is_blocked_and_not_wrapped(hooks: object, make_context: MakeContext) -> None:
    requests = pytest.importorskip("requests")
    url = "http://169.254.169.254/latest/api/token"
    with request_scope(make_context(url)) as ctx, pytest.raises(ShieldBlockedError):
        requests.put(url, timeout=0.5)
    assert ctx.blocked is not None
    assert ctx.blocked.location == "query:p0"


def test_uninstall_restores_resolution() -> None:
    original = socket.getaddrinfo
    loop_method = asyncio.base_events.BaseEventLoop.getaddrinfo
    opener_open = urllib.request.OpenerDirector.open
    install()
    assert socket.getaddrinfo is not original
    assert urllib.request.OpenerDirector.open is not opener_open
    uninstall()
    assert socket.getaddrinfo is original
    assert asyncio.base_events.BaseEventLoop.getaddrinfo is loop_method
    assert urllib.request.OpenerDirector.open is opener_open


def test_through_a_proxy_the_target_is_still_checked(resolver: None, make_context: MakeContext) -> None:
    requests = pytest.importorskip("requests")
    proxies = {"http": "http://proxy.unresolvable.example:3128"}
    url = "http://db.internal/admin"
    with request_scope(make_context(url)) as ctx:
        with pytest.raises(ShieldBlockedError):
            requests.get(url, proxies=proxies, timeout=0.5)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies))
        with pytest.raises(ShieldBlockedError):
            opener.open(url, timeout=0.5)
    assert ctx.blocked is not None
    assert [e.location for e in ctx.events] == ["query:p0", "query:p0"]
    assert {e.title.split(":")[0] for e in ctx.events} == {"SSRF at requests", "SSRF at urllib"}
