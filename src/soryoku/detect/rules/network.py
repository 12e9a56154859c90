"""Network detections over VPC Flow Logs: mining, brute force, scans, threat lists and Tor."""

from __future__ import annotations

import re

from soryoku.core.severity import Severity
from soryoku.detect.intel import MINING_POOL_PORTS
from soryoku.detect.rules.model import Attack, rule
from soryoku.detect.rules.windows import Measure, sliding_members

_HIJACK = Attack("T1496", "Resource Hijacking", "TA0040")
_BRUTE = Attack("T1110", "Brute Force", "TA0006")
_OUT = "is_private(src_addr) AND NOT is_private(dst_addr)"
_IN = "NOT is_private(src_addr) AND is_private(dst_addr)"
_HOST = "coalesce(instance_id, interface_id)"
_ROW = (
    "SELECT time, account, region, {actor} AS actor, src_addr AS source_ip, {resource} AS resource, "
    "key AS evidence, {detail} AS detail, {target} AS target FROM flows"
)
_DEFAULT = {
    "actor": _HOST,
    "resource": _HOST,
    "detail": "action || ' ' || src_addr || ':' || src_port || ' -> ' || dst_addr || ':' || dst_port",
    "target": "dst_addr || ':' || dst_port",
}


def _row(**overrides: str) -> str:
    return _ROW.format(**(_DEFAULT | overrides))


def _burst(condition: str, by: str, measure: str, threshold: int, window: str, **overrides: str) -> str:
    """Flow records in a sliding-window burst; ``measure`` is ``count(*)`` or ``count(DISTINCT col)``."""
    distinct = re.fullmatch(r"count\(DISTINCT (.+)\)", measure)
    if distinct is None and measure != "count(*)":
        raise ValueError(f"unsupported burst measure {measure!r}")
    members = sliding_members(
        "hits", by, window, (Measure(threshold, distinct.group(1) if distinct else None),)
    )
    return f"""
WITH hits AS (SELECT * FROM flows WHERE {condition})
{_row(**overrides).replace("FROM flows", f"FROM {members} AS flows")}
"""


rule(
    id="flow_mining_pool_port",
    title="Outbound connections to crypto-mining pool ports",
    severity=Severity.HIGH,
    source="flow",
    sql=_row() + f" WHERE {_OUT} AND action = 'ACCEPT' AND protocol = 6 "
    f"AND dst_port IN ({', '.join(str(p) for p in MINING_POOL_PORTS if p not in (6666, 8888, 9999))})",
    rationale="Stratum mining pools listen on a few well-known ports (3333, 4444, 5555, 14444, 45700 …); "
    "an instance talking to them from a private address is most likely mining.",
    remediation="Isolate the instance (quarantine security group), snapshot it for forensics, find how it "
    "was compromised, and rebuild it.",
    attack=_HIJACK,
    guardduty="CryptoCurrency:EC2/BitcoinTool.B",
    resource_type="AwsEc2Instance",
    category="impact",
)

rule(
    id="flow_mining_pool_host",
    title="Outbound connections to an address a mining-pool domain resolved to",
    severity=Severity.HIGH,
    source="flow",
    sql=_row()
    + f"""
 WHERE {_OUT} AND action = 'ACCEPT' AND dst_addr IN (
   SELECT DISTINCT trim(unnest(string_split(answers, ','))) FROM dns_all
   WHERE answers IS NOT NULL AND intel_domain_category(query_name) = 'mining')
""",
    rationale="The destination address is one that Route 53 Resolver returned for a known mining-pool "
    "domain: the connection is to the pool itself, whatever the port.",
    remediation="Isolate and rebuild the instance; block the pool's domains with Route 53 Resolver DNS "
    "Firewall.",
    attack=_HIJACK,
    guardduty="CryptoCurrency:EC2/BitcoinTool.B",
    resource_type="AwsEc2Instance",
    category="impact",
)

rule(
    id="flow_threat_list_traffic",
    title="Accepted traffic with an address on a threat list",
    severity=Severity.HIGH,
    source="flow",
    sql=_row(target="CASE WHEN in_intel(dst_addr, 'threat') THEN dst_addr ELSE src_addr END")
    + " WHERE action = 'ACCEPT' AND (in_intel(dst_addr, 'threat') OR in_intel(src_addr, 'threat'))",
    rationale="An address on a threat list you loaded (--intel) exchanged traffic with your network.",
    remediation="Block the address (NACL, Network Firewall) and investigate the instance involved.",
    attack=Attack("T1071", "Application Layer Protocol", "TA0011"),
    guardduty="UnauthorizedAccess:EC2/MaliciousIPCaller.Custom",
    resource_type="AwsEc2NetworkInterface",
    requires=("threat_list",),
    category="command-and-control",
)

rule(
    id="flow_tor_traffic",
    title="Traffic with Tor exit nodes",
    severity=Severity.MEDIUM,
    source="flow",
    sql=_row(target="CASE WHEN in_intel(dst_addr, 'tor') THEN dst_addr ELSE src_addr END")
    + " WHERE action = 'ACCEPT' AND (in_intel(dst_addr, 'tor') OR in_intel(src_addr, 'tor'))",
    rationale="Servers rarely have a reason to talk to Tor; malware uses it to hide its control channel.",
    remediation="Block the Tor addresses and inspect the instance.",
    attack=Attack("T1090.003", "Proxy: Multi-hop Proxy", "TA0011"),
    guardduty="UnauthorizedAccess:EC2/TorClient",
    resource_type="AwsEc2NetworkInterface",
    requires=("tor_list",),
    category="command-and-control",
)

for _port, _name, _gd in (
    (22, "SSH", "UnauthorizedAccess:EC2/SSHBruteForce"),
    (3389, "RDP", "UnauthorizedAccess:EC2/RDPBruteForce"),
):
    rule(
        id=f"flow_{_name.lower()}_brute_force_inbound",
        title=f"Inbound {_name} brute force against an instance",
        severity=Severity.MEDIUM,
        source="flow",
        sql=_burst(
            f"{_IN} AND protocol = 6 AND dst_port = {_port}",
            by="src_addr, interface_id",
            measure="count(*)",
            threshold=20,
            window="1 hour",
            actor="src_addr",
            target="src_addr",
        ),
        rationale=f"Twenty or more {_name} connection attempts from one outside address to one interface in "
        "an hour is password guessing; accepted flows mean the port is open to it.",
        remediation=f"Close {_name} to the internet (use SSM Session Manager), and check the instance's "
        "authentication logs for a success.",
        attack=_BRUTE,
        guardduty=_gd,
        resource_type="AwsEc2NetworkInterface",
        category="credential-access",
    )

rule(
    id="flow_outbound_port_scan",
    title="Instance scanning many ports",
    severity=Severity.MEDIUM,
    source="flow",
    sql=_burst(
        f"{_OUT} AND protocol IN (6, 17) AND NOT EXISTS (SELECT 1 FROM flows_all s WHERE s.dst_addr = "
        "flows.src_addr AND s.dst_port = flows.src_port AND NOT is_private(s.src_addr))",
        by="src_addr, dst_addr",
        measure="count(DISTINCT dst_port)",
        threshold=50,
        window="10 minutes",
    ),
    rationale="Fifty or more ports of one outside host probed from one instance in ten minutes is a "
    "port scan: "
    "the instance is compromised or misused. Replies of a service the instance offers (its source port "
    "receives inbound connections) are not counted.",
    remediation="Isolate the instance and find the process responsible.",
    attack=Attack("T1046", "Network Service Discovery", "TA0007"),
    guardduty="Recon:EC2/Portscan",
    resource_type="AwsEc2Instance",
    category="discovery",
)

rule(
    id="flow_outbound_ssh_spray",
    title="Instance connecting to SSH on many outside hosts",
    severity=Severity.MEDIUM,
    source="flow",
    sql=_burst(
        f"{_OUT} AND protocol = 6 AND dst_port = 22",
        by="src_addr",
        measure="count(DISTINCT dst_addr)",
        threshold=10,
        window="1 hour",
    ),
    rationale="SSH to ten or more different outside hosts in an hour is a worm or brute-force tool "
    "running on the instance (git over SSH talks to a handful of hosts).",
    remediation="Isolate the instance and rebuild it.",
    attack=_BRUTE,
    guardduty="UnauthorizedAccess:EC2/SSHBruteForce",
    resource_type="AwsEc2Instance",
    category="credential-access",
)

rule(
    id="flow_outbound_smtp_burst",
    title="Instance sending mail to many outside servers",
    severity=Severity.MEDIUM,
    source="flow",
    sql=_burst(
        f"{_OUT} AND protocol = 6 AND dst_port = 25",
        by="src_addr",
        measure="count(DISTINCT dst_addr)",
        threshold=20,
        window="1 hour",
    ),
    rationale="Direct SMTP to twenty or more mail servers in an hour is a spam bot; legitimate "
    "applications send through a relay (SES).",
    remediation="Isolate the instance; block outbound port 25 except to your relay.",
    attack=_HIJACK,
    guardduty="Backdoor:EC2/Spambot",
    resource_type="AwsEc2Instance",
    category="impact",
)
