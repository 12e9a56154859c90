"""--asn-db: the CSV and .mmdb databases, the ip_geo table, the rules' gap and learning window."""

from __future__ import annotations

import ipaddress
import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from tests.detect.conftest import Detector, rule_ids

from soryoku.core.errors import ConfigError
from soryoku.detect.database import DetectContext
from soryoku.detect.engine import detect
from soryoku.detect.geo import IpInfo, flatten, load_asn_db, load_csv
from soryoku.detect.rules import RULES
from soryoku.detect.simulate.dataset import BOTO_AGENT, deploy_bot
from soryoku.detect.simulate.events import ct
from soryoku.detect.simulate.geo import HOME_IPV6, TRAVEL_IP
from soryoku.detect.simulate.layout import save
from soryoku.detect.sources import LogStore

from .conftest import logs_of
from .rule_cases import OLD, T

GEO_RULES = ("anomaly_first_seen_country", "anomaly_first_seen_asn")


def _csv(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "asn.csv"
    path.write_text("prefix,asn,org,country\n" + body, encoding="utf-8")
    return path


def test_csv_nested_prefixes_ipv6_and_unknowns(tmp_path: Path) -> None:
    db = load_asn_db(
        [
            _csv(
                tmp_path,
                "10.0.0.0/8,AS64500,Big,US\n10.1.0.0/16,64501,Middle,DE\n10.1.2.0/24,64502,Small,fr\n"
                "10.1.2.128/25,,,\n# a comment\n\n2001:db8::/32,64600,V6 Net,JP\n",
            )
        ]
    )
    assert db is not None
    assert db.lookup("10.200.0.1") == IpInfo(64500, "Big", "US")
    assert db.lookup("10.1.0.1") == IpInfo(64501, "Middle", "DE")
    assert db.lookup("10.1.2.1") == IpInfo(64502, "Small", "FR")
    assert db.lookup("10.1.3.0") == IpInfo(64501, "Middle", "DE"), "the enclosing prefix resumes"
    assert db.lookup("10.1.2.200") == IpInfo(None, None, None)
    assert db.lookup("11.0.0.0") is None
    assert db.lookup("2001:db8:ffff::1") == IpInfo(64600, "V6 Net", "JP")
    assert db.lookup("ec2.amazonaws.com") is None
    assert load_asn_db([]) is None


def test_flatten_agrees_with_a_linear_most_specific_match() -> None:
    rng = random.Random(7)
    texts = [f"{rng.randrange(256)}.{rng.randrange(256)}.0.0/{rng.choice((8, 12, 16))}" for _ in range(150)]
    prefixes = {ipaddress.ip_network(text, strict=False) for text in texts}
    nets = sorted(prefixes, key=lambda n: n.prefixlen)
    infos = {net: IpInfo(index, None, None) for index, net in enumerate(nets)}
    table = flatten((int(n.network_address), int(n.broadcast_address), infos[n]) for n in nets)
    assert all(a <= b for a, b in zip(table.ends, table.starts[1:], strict=False))
    for _ in range(2000):
        address = ipaddress.ip_address(rng.randrange(0, 2**32))
        matching = [n for n in nets if address in n]
        expected = infos[max(matching, key=lambda n: n.prefixlen)] if matching else None
        assert table.find(int(address)) == expected


def test_bad_csv_names_the_problem(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="header"):
        load_csv(_write(tmp_path / "a.csv", "network,asn\n1.0.0.0/8,1\n"))
    with pytest.raises(ConfigError, match=r"line 2.*not an IP prefix"):
        load_csv(_write(tmp_path / "b.csv", "prefix,asn,org,country\nnope,1,x,US\n"))
    with pytest.raises(ConfigError, match=r"line 3.*asn"):
        load_csv(_write(tmp_path / "c.csv", "prefix,asn,org,country\n1.0.0.0/8,1,x,US\n2.0.0.0/8,ASX,y,US\n"))
    with pytest.raises(ConfigError, match="no prefixes"):
        load_csv(_write(tmp_path / "d.csv", "prefix,asn,org,country\n"))
    with pytest.raises(ConfigError, match="cannot read"):
        load_asn_db([tmp_path / "missing.csv"])
    with pytest.raises(ConfigError, match="MaxMind"):
        load_asn_db([_write(tmp_path / "e.mmdb", "not a database")])


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_mmdb_asn_and_country_databases_merge(tmp_path: Path) -> None:
    writer_module = pytest.importorskip("mmdb_writer", reason="mmdb-writer (dev extra) builds the test .mmdb")
    from netaddr import IPSet

    asn = writer_module.MMDBWriter(6, "GeoLite2-ASN", ipv4_compatible=True)
    hotel = {"autonomous_system_number": 64510, "autonomous_system_organization": "Hotel Wi-Fi"}
    asn.insert_network(IPSet(["192.0.2.0/24"]), hotel)
    asn.insert_network(IPSet(["2001:db8:b::/48"]), {"autonomous_system_number": 64502})
    asn.to_db_file(str(tmp_path / "asn.mmdb"))
    country = writer_module.MMDBWriter(6, "GeoLite2-Country", ipv4_compatible=True)
    country.insert_network(
        IPSet(["192.0.2.0/24"]), {"country": {"iso_code": "BR", "names": {"en": "Brazil"}}}
    )
    country.to_db_file(str(tmp_path / "country.mmdb"))
    db = load_asn_db([tmp_path / "asn.mmdb", tmp_path / "country.mmdb"])
    assert db is not None
    assert db.lookup(TRAVEL_IP) == IpInfo(64510, "Hotel Wi-Fi", "BR")
    assert db.lookup(HOME_IPV6) == IpInfo(64502, None, None)
    assert db.lookup("198.51.100.1") is None


def _history_then(ip: str, days: int = 3) -> list[dict[str, object]]:
    history = [
        ct(deploy_bot, "ec2", "DescribeInstances", OLD + timedelta(days=d), agent=BOTO_AGENT)
        for d in range(days)
    ]
    return [*history, ct(deploy_bot, "ec2", "DescribeInstances", T, ip=ip, agent=BOTO_AGENT)]


def test_without_asn_db_the_geo_rules_are_disabled_gaps(tmp_path: Path, full_context: DetectContext) -> None:
    root = tmp_path / "logs"
    save(logs_of(_history_then(TRAVEL_IP)).render(), root)
    rules = [RULES.get(r) for r in GEO_RULES]
    result, _ = detect(str(root), LogStore(tmp_path / "store"), replace(full_context, geo=None), rules=rules)
    assert result.findings == []
    assert {gap.scope for gap in result.gaps} == {f"rule {r}" for r in GEO_RULES}
    assert all("disabled: needs --asn-db" in gap.reason for gap in result.gaps)


def test_country_finding_names_the_country_and_respects_the_learning_window(
    tmp_path: Path, full_context: DetectContext, run_detect: Detector
) -> None:
    hit = run_detect(_history_then(TRAVEL_IP), GEO_RULES)
    assert rule_ids(hit.findings) == set(GEO_RULES)
    country = next(f for f in hit.findings if f.check_id == "anomaly_first_seen_country")
    assert country.unmapped and country.unmapped["targets"] == ["BR"]
    asn = next(f for f in hit.findings if f.check_id == "anomaly_first_seen_asn")
    assert asn.unmapped and asn.unmapped["targets"] == ["AS64510 (Hotel Wi-Fi)"]
    # The same history is younger than a 30-day learning window: nothing is judged yet.
    root = tmp_path / "logs"
    save(logs_of(_history_then(TRAVEL_IP)).render(), root)
    rules = [RULES.get(r) for r in GEO_RULES]
    young, _ = detect(
        str(root), LogStore(tmp_path / "store"), replace(full_context, learning_days=30), rules=rules
    )
    assert young.findings == [] and young.gaps == []


def test_the_estates_own_egress_addresses_are_never_a_new_place(
    tmp_path: Path, full_context: DetectContext
) -> None:
    root = tmp_path / "logs"
    save(logs_of(_history_then(TRAVEL_IP)).render(), root)
    env = full_context.environment.model_copy(update={"egress_ips": (TRAVEL_IP,)})
    rules = [RULES.get(r) for r in GEO_RULES]
    result, _ = detect(
        str(root), LogStore(tmp_path / "store"), replace(full_context, environment=env), rules=rules
    )
    assert result.findings == [] and result.gaps == []
