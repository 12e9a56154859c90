"""Context the rules may use: threat lists (IPs/CIDRs, domains, Tor exits) and AWS's IP ranges.

Formats users already have: GuardDuty ThreatIntelSet TXT (one IP or CIDR per line, ``#``
comments), plain domain lists (one per line), the Tor Project's ``exit-addresses`` file, and AWS's
published ``ip-ranges.json``. A small built-in list covers well-known mining pools and the
GuardDuty test domains. IPv4 addresses and ranges become integer intervals for DuckDB joins; IPv6
addresses are matched exactly, and IPv6 ranges are matched by ``soryoku.detect.intel_v6`` against the
distinct IPv6 addresses of the store.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field
from pathlib import Path

from soryoku.core.errors import ConfigError

# Well-known public mining-pool domains (matched as suffixes) and ports (stratum).
MINING_POOL_DOMAINS = (
    "minergate.com",
    "supportxmr.com",
    "xmrpool.eu",
    "nanopool.org",
    "moneroocean.stream",
    "2miners.com",
    "f2pool.com",
    "ethermine.org",
    "hashvault.pro",
    "minexmr.com",
    "c3pool.com",
    "unmineable.com",
    "herominers.com",
    "dwarfpool.com",
    "nicehash.com",
    "viabtc.com",
    "antpool.com",
    "slushpool.com",
    "kryptex.network",
)
MINING_POOL_PORTS = (3333, 3334, 3357, 4444, 5555, 5556, 6666, 7777, 8888, 9999, 14433, 14444, 45560, 45700)
# Domains GuardDuty documents for testing its DNS findings.
GUARDDUTY_TEST_DOMAINS = ("guarddutyc2activityb.com",)


@dataclass(frozen=True, slots=True)
class IpEntry:
    """One IPv4 interval (``lo``..``hi`` as integers), one exact IPv6 address or an IPv6 ``network6``."""

    lo: int | None
    hi: int | None
    exact: str | None
    list_name: str
    category: str
    network6: str | None = None


@dataclass(slots=True)
class Intel:
    """Everything loaded from ``--intel`` files plus the built-in lists."""

    ips: list[IpEntry] = field(default_factory=list)
    domains: dict[str, tuple[str, str]] = field(default_factory=dict)  # domain → (list, category)
    sources: list[str] = field(default_factory=list)

    @classmethod
    def builtin(cls) -> Intel:
        """The built-in lists only."""
        intel = cls()
        for domain in MINING_POOL_DOMAINS:
            intel.domains[domain] = ("builtin-mining-pools", "mining")
        for domain in GUARDDUTY_TEST_DOMAINS:
            intel.domains[domain] = ("builtin-guardduty-test", "threat")
        intel.sources.append("built-in")
        return intel

    def add_ip(self, text: str, list_name: str, category: str) -> bool:
        """Add one IP or CIDR; False when ``text`` is neither."""
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            return False
        if network.version == 4:
            lo, hi = int(network.network_address), int(network.broadcast_address)
            self.ips.append(IpEntry(lo, hi, None, list_name, category))
        elif network.prefixlen == 128:
            self.ips.append(IpEntry(None, None, str(network.network_address), list_name, category))
        else:
            self.ips.append(IpEntry(None, None, None, list_name, category, str(network)))
        return True

    def load(self, path: Path) -> None:
        """Load one list file: Tor exit-addresses, IP/CIDR lines or domain lines (mixed is fine)."""
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise ConfigError(f"--intel {str(path)!r}: cannot read ({error.strerror})") from error
        name = path.name
        loaded = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith(("ExitNode", "Published", "LastStatus")):
                continue
            if line.startswith("ExitAddress"):
                parts = line.split()
                if len(parts) >= 2 and self.add_ip(parts[1], name, "tor"):
                    loaded += 1
                continue
            token = line.split()[0].split(",")[0]
            if self.add_ip(token, name, "threat"):
                loaded += 1
            elif _looks_like_domain(token):
                self.domains[token.lower().rstrip(".")] = (name, "threat")
                loaded += 1
            else:
                raise ConfigError(
                    f"--intel {str(path)!r} line {number}: {token!r} is not an IP, CIDR or domain name"
                )
        if loaded == 0:
            raise ConfigError(f"--intel {str(path)!r}: no IP, CIDR or domain entries found")
        self.sources.append(str(path))


def _looks_like_domain(token: str) -> bool:
    labels = token.rstrip(".").split(".")
    return len(labels) >= 2 and all(
        label and len(label) <= 63 and all(c.isalnum() or c in "-_" for c in label) for label in labels
    )


def load_intel(paths: list[Path]) -> Intel:
    """The built-in lists plus every ``--intel`` file."""
    intel = Intel.builtin()
    for path in paths:
        intel.load(path)
    return intel


@dataclass(frozen=True, slots=True)
class AwsRanges:
    """IPv4 intervals of AWS's published address ranges (``ip-ranges.json``)."""

    intervals: list[tuple[int, int, str, str]]  # lo, hi, service, region
    sync_token: str


def load_ip_ranges(path: Path) -> AwsRanges:
    """Read AWS's ``ip-ranges.json``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        prefixes = data["prefixes"]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise ConfigError(f"--ip-ranges {str(path)!r}: expected AWS's ip-ranges.json ({error})") from error
    intervals: list[tuple[int, int, str, str]] = []
    for entry in prefixes:
        try:
            network = ipaddress.ip_network(entry["ip_prefix"], strict=False)
        except (KeyError, ValueError, TypeError) as error:
            raise ConfigError(f"--ip-ranges {str(path)!r}: bad prefix entry {entry!r} ({error})") from error
        intervals.append(
            (
                int(network.network_address),
                int(network.broadcast_address),
                str(entry.get("service", "")),
                str(entry.get("region", "")),
            )
        )
    if not intervals:
        raise ConfigError(f"--ip-ranges {str(path)!r}: no IPv4 prefixes")
    return AwsRanges(intervals, str(data.get("syncToken", "")))
