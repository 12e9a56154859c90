"""IPv6 CIDR ranges in threat lists match the IPv6 addresses of CloudTrail and flow records."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from soryoku.detect.database import DetectContext
from soryoku.detect.engine import detect
from soryoku.detect.intel import load_intel
from soryoku.detect.intel_v6 import Ipv6Ranges
from soryoku.detect.rules import RULES
from soryoku.detect.simulate.dataset import BOTO_AGENT, deploy_bot
from soryoku.detect.simulate.events import Flow, ct
from soryoku.detect.simulate.layout import save
from soryoku.detect.sources import LogStore

from .conftest import logs_of
from .rule_cases import T

THREAT_V6 = "2001:db8:bad:1::17"


def _threats(tmp_path: Path) -> Path:
    path = tmp_path / "threats-v6.txt"
    path.write_text("# IPv6 ranges\n2001:db8:bad::/48\n2001:db8:ffff::1\n192.0.2.66\n", encoding="utf-8")
    return path


def test_ranges_are_kept_as_networks_and_matched_by_prefix(tmp_path: Path) -> None:
    intel = load_intel([_threats(tmp_path)])
    assert [e.network6 for e in intel.ips if e.network6] == ["2001:db8:bad::/48"]
    assert any(e.exact == "2001:db8:ffff::1" for e in intel.ips)
    ranges = Ipv6Ranges(intel.ips)
    assert [e.list_name for e in ranges.matches(THREAT_V6)] == ["threats-v6.txt"]
    assert ranges.matches("2001:db8:bae::1") == []
    assert ranges.matches("192.0.2.66") == [] and ranges.matches("ec2.amazonaws.com") == []


def test_ipv6_range_hits_in_cloudtrail_and_flows(tmp_path: Path, full_context: DetectContext) -> None:
    ctx = replace(full_context, intel=load_intel([_threats(tmp_path)]))
    records = [
        ct(deploy_bot, "ec2", "DescribeInstances", T, ip=THREAT_V6, agent=BOTO_AGENT),
        ct(deploy_bot, "ec2", "DescribeInstances", T, ip="2001:db8:beef::1", agent=BOTO_AGENT),
        Flow(T, "2600:1f18::10", THREAT_V6, 44000, 443, instance="i-0v6000000000001"),
        Flow(T, "2600:1f18::10", "2001:db8:beef::1", 44001, 443, instance="i-0v6000000000001"),
    ]
    save(logs_of(records).render(), tmp_path / "logs")
    rules = [RULES.get("cloudtrail_api_from_threat_list_ip"), RULES.get("flow_threat_list_traffic")]
    result, report = detect(str(tmp_path / "logs"), LogStore(tmp_path / "store"), ctx, rules=rules)
    assert report.problems == [] and result.gaps == []
    by_rule = {f.check_id: f for f in result.findings}
    assert set(by_rule) == {"cloudtrail_api_from_threat_list_ip", "flow_threat_list_traffic"}
    for finding in by_rule.values():
        assert finding.unmapped and finding.unmapped["record_count"] == 1
    assert THREAT_V6 in by_rule["cloudtrail_api_from_threat_list_ip"].unmapped["source_ips"]
