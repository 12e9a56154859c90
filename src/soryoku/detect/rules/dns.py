"""DNS detections over Route 53 Resolver query logs."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, rule
from soryoku.detect.rules.windows import Measure, sliding_members

_ROW = (
    "SELECT time, account, region, coalesce(instance_id, src_addr) AS actor, src_addr AS source_ip, "
    "coalesce(instance_id, vpc_id) AS resource, key AS evidence, query_type || ' ' || query_name AS detail, "
    "query_name AS target FROM dns"
)

rule(
    id="dns_mining_pool_query",
    title="DNS queries for crypto-mining pools",
    severity=Severity.HIGH,
    source="dns",
    sql=_ROW + " WHERE intel_domain_category(query_name) = 'mining'",
    rationale="An instance resolving a mining pool's name is about to mine (or already is).",
    remediation="Isolate the instance, find the miner and how it arrived; block pools with DNS Firewall.",
    attack=Attack("T1496", "Resource Hijacking", "TA0040"),
    guardduty="CryptoCurrency:EC2/BitcoinTool.B!DNS",
    resource_type="AwsEc2Instance",
    category="impact",
)

rule(
    id="dns_threat_list_domain",
    title="DNS queries for a domain on a threat list",
    severity=Severity.HIGH,
    source="dns",
    sql=_ROW + " WHERE intel_domain_category(query_name) = 'threat'",
    rationale="The domain is on a threat list (your --intel lists, or the GuardDuty test domain): the "
    "instance is contacting known-bad infrastructure such as a command-and-control server.",
    remediation="Isolate the instance and look for the process making the queries.",
    attack=Attack("T1071.004", "Application Layer Protocol: DNS", "TA0011"),
    guardduty="Backdoor:EC2/C&CActivity.B!DNS",
    resource_type="AwsEc2Instance",
    category="command-and-control",
)

rule(
    id="dns_tunneling",
    title="DNS tunnelling: many long, unique names under one domain",
    severity=Severity.MEDIUM,
    source="dns",
    sql=f"""
WITH hits AS (
  SELECT *, array_to_string(string_split(query_name, '.')[-2:], '.') AS base
  FROM dns WHERE length(query_name) >= 50
)
SELECT time, account, region, coalesce(instance_id, src_addr) AS actor, src_addr AS source_ip,
       coalesce(instance_id, vpc_id) AS resource, key AS evidence, query_type || ' ' || query_name AS detail,
       base AS target
FROM {sliding_members("hits", "src_addr, base", "1 hour", (Measure(30, "query_name"),))} AS bursting
""",
    rationale="Data smuggled out through DNS shows as many long, never-repeating names under one domain.",
    remediation="Block the domain with DNS Firewall and investigate the instance.",
    attack=Attack("T1048.003", "Exfiltration Over Unencrypted Non-C2 Protocol", "TA0010"),
    guardduty="Trojan:EC2/DNSDataExfiltration",
    resource_type="AwsEc2Instance",
    category="exfiltration",
)

rule(
    id="dns_tor_onion_query",
    title="DNS queries for Tor .onion or tor2web names",
    severity=Severity.MEDIUM,
    source="dns",
    sql=_ROW
    + " WHERE query_name LIKE '%.onion' OR regexp_matches(query_name, '\\.onion\\.(to|ws|ly|link|pet)$')",
    rationale="Servers have no reason to look up hidden services; malware does it to reach its operators.",
    remediation="Isolate the instance and block the names with DNS Firewall.",
    attack=Attack("T1090.003", "Proxy: Multi-hop Proxy", "TA0011"),
    guardduty="UnauthorizedAccess:EC2/TorClient",
    resource_type="AwsEc2Instance",
    category="command-and-control",
)
