"""SSRF: a host the client named resolves to an address an application must not reach for it.

Forbidden: loopback, private (RFC 1918, unique-local), link-local, carrier-grade NAT, reserved,
multicast, unspecified, and the cloud instance-metadata endpoints. IPv4-mapped and NAT64 IPv6
addresses are judged by the IPv4 address inside. The check runs on the addresses a connection
will actually use (at ``getaddrinfo``), so DNS rebinding between a check and the connect is moot.
"""

from __future__ import annotations

import ipaddress
import re

_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def forbidden_reason(address: str) -> str | None:
    """Why ``address`` may not be reached on a client's behalf (``metadata``, ``loopback`` …), or None."""
    try:
        ip = ipaddress.ip_address(address.partition("%")[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _METADATA:
        return "metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_unspecified:
        return "unspecified"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "private"
    if ip.is_multicast or ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    return None


def input_names_host(host: str, value: str) -> bool:
    """True when the client input ``value`` names ``host``: the host itself, ``host:port``, or a URL to it."""
    wanted = host.strip("[]").rstrip(".").lower()
    if not wanted or wanted not in value.lower():
        return False
    pattern = r"(?:^|[/@\\\[])" + re.escape(wanted) + r"\.?(?:$|[\]:/\\?#])"
    return re.search(pattern, value.strip().lower()) is not None


__all__ = ["forbidden_reason", "input_names_host"]
