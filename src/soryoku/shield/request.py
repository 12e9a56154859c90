"""A framework-neutral view of an HTTP request and the user inputs drawn from it.

WSGI, ASGI, Lambda and replay all build a :class:`RequestView`; everything after that is shared.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote

from soryoku.shield.config import IPNetwork
from soryoku.shield.context import UserInput

# Headers a client sends but that no application feeds into a query, command, path or URL; leaving
# them out keeps the sink checks fast and free of coincidental matches (``Host: localhost``).
_STRUCTURAL_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "content-type",
        "connection",
        "accept",
        "accept-encoding",
        "accept-language",
        "cache-control",
        "pragma",
        "upgrade-insecure-requests",
        "te",
        "cookie",
        "sec-fetch-dest",
        "sec-fetch-mode",
        "sec-fetch-site",
        "sec-fetch-user",
        "sec-ch-ua",
        "sec-ch-ua-mobile",
        "sec-ch-ua-platform",
        "priority",
    }
)
# Bounds on what one request can make every sink check compare against (a request with 100,000
# parameters must not turn each SQL call into 100,000 substring searches).
_MAX_JSON_LEAVES = 1000
MAX_INPUTS = 2000


@dataclass(frozen=True, slots=True)
class RequestView:
    """The parts of a request the rules look at. Header names are lower-case."""

    method: str
    path: str
    query_string: str
    headers: tuple[tuple[str, str], ...]
    remote_addr: str
    body: bytes = b""
    body_length: int = 0
    raw_path: str = ""

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (lower-case), or None."""
        for key, value in self.headers:
            if key == name:
                return value
        return None

    @property
    def content_type(self) -> str:
        """The media type of the body, without parameters, lower-case."""
        return (self.header("content-type") or "").partition(";")[0].strip().lower()


def client_ip(view: RequestView, trusted_proxies: tuple[IPNetwork, ...]) -> str:
    """The client address: the peer, or — behind trusted proxies — the last untrusted X-Forwarded-For hop."""
    peer = view.remote_addr
    if not trusted_proxies or not _in_networks(peer, trusted_proxies):
        return peer
    forwarded = view.header("x-forwarded-for")
    if not forwarded:
        return peer
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if not _in_networks(hop, trusted_proxies):
            return hop
    return peer


def _in_networks(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def parse_cookies(header: str) -> Iterator[tuple[str, str]]:
    """``name=value`` pairs of a Cookie header (lenient, like browsers; no ``http.cookies`` cost)."""
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            yield name, unquote(value)


def _json_leaves(value: object, prefix: str, out: list[UserInput]) -> None:
    if len(out) >= _MAX_JSON_LEAVES:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.append(UserInput("json-key", name, str(key)))
            _json_leaves(item, name, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _json_leaves(item, f"{prefix}[{i}]", out)
    elif isinstance(value, str):
        out.append(UserInput("json", prefix, value))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        out.append(UserInput("json", prefix, str(value)))


def extract_inputs(view: RequestView, exclude: frozenset[str] = frozenset()) -> tuple[UserInput, ...]:
    """Every client-controlled value: path segments, query, form, JSON leaves, headers, cookies.

    Parameters named in ``exclude`` (a route's exclusions) are left out. Headers and cookies come
    first: the engine keeps at most :data:`MAX_INPUTS` (and records ``size:too_many_inputs``).
    """
    out: list[UserInput] = []
    for name, value in view.headers:
        if name == "cookie":
            for cookie, cookie_value in parse_cookies(value):
                out.append(UserInput("cookie", cookie, cookie_value))
        elif name not in _STRUCTURAL_HEADERS and value:
            out.append(UserInput("header", name, value))
    for segment in view.path.split("/"):
        if segment:
            out.append(UserInput("path", segment, segment))
    if view.query_string:
        for name, value in parse_qsl(view.query_string, keep_blank_values=False):
            out.append(UserInput("query", name, value))
    if view.body:
        content_type = view.content_type
        text = view.body.decode("utf-8", "replace")
        if content_type == "application/x-www-form-urlencoded":
            for name, value in parse_qsl(text, keep_blank_values=False):
                out.append(UserInput("form", name, value))
        elif content_type == "application/json" or content_type.endswith("+json"):
            try:
                _json_leaves(json.loads(text), "", out)
            except ValueError:
                out.append(UserInput("body", "raw", text))
        elif content_type.startswith("text/") or content_type == "application/xml":
            out.append(UserInput("body", "raw", text))
    if exclude:
        out = [i for i in out if i.name not in exclude]
    return tuple(out)


__all__ = ["MAX_INPUTS", "RequestView", "client_ip", "extract_inputs", "parse_cookies"]
