"""Threat lists, Tor exit lists, ip-ranges.json and the environment file."""

from __future__ import annotations

from pathlib import Path

import pytest

from soryoku.core.errors import ConfigError
from soryoku.detect.environment import load_environment
from soryoku.detect.intel import load_intel, load_ip_ranges


def test_guardduty_txt_domains_and_tor_lists(tmp_path: Path) -> None:
    threats = tmp_path / "threats.txt"
    threats.write_text("# header\n192.0.2.1\n198.51.100.0/24  # range\n2001:db8::1\nevil.example.\n")
    tor = tmp_path / "exit-addresses"
    tor.write_text(
        "ExitNode ABC\nPublished 2024-01-01 00:00:00\nExitAddress 185.220.101.5 2024-01-01 00:00:00\n"
    )
    intel = load_intel([threats, tor])
    assert {(e.lo, e.hi, e.category) for e in intel.ips if e.lo is not None} == {
        (3221225985, 3221225985, "threat"),
        (3325256704, 3325256959, "threat"),
        (3118228741, 3118228741, "tor"),
    }
    assert any(e.exact == "2001:db8::1" for e in intel.ips)
    assert intel.domains["evil.example"] == ("threats.txt", "threat")
    assert intel.domains["minergate.com"][1] == "mining"


def test_bad_lists_say_which_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("192.0.2.1\nnot an ip!\n")
    with pytest.raises(ConfigError, match="line 2"):
        load_intel([bad])
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(ConfigError, match="no IP"):
        load_intel([empty])


def test_ip_ranges_and_environment(tmp_path: Path) -> None:
    ranges = tmp_path / "ip-ranges.json"
    ranges.write_text(
        '{"syncToken": "1", "prefixes": [{"ip_prefix": "3.80.0.0/12", "region": "us-east-1", '
        '"service": "EC2"}]}'
    )
    loaded = load_ip_ranges(ranges)
    assert loaded.intervals == [(55574528, 56623103, "EC2", "us-east-1")]
    ranges.write_text("[]")
    with pytest.raises(ConfigError, match=r"ip-ranges\.json"):
        load_ip_ranges(ranges)
    env = tmp_path / "env.yaml"
    env.write_text("accounts: [111122223333]\nregions: [eu-west-1]\n")
    assert load_environment(env).accounts == ("111122223333",)
    env.write_text("accounts: ['12']\n")
    with pytest.raises(ConfigError, match="12-digit"):
        load_environment(env)
