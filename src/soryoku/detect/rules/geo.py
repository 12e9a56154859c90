"""Anomalies of where a principal calls from: first-seen country and first-seen network (ASN).

They need ``--asn-db`` (the ``ip_geo`` table: source address → ASN, organisation, country);
without it they are reported as disabled, never as passing. Like the other anomaly rules, a
principal is judged only after a history longer than the learning window (``--learning-days``):
its first week is its baseline. Calls from the estate's own egress addresses (``egress_ips`` in
``--environment``) are never a new place.
"""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, rule

_VALID = Attack("T1078.004", "Valid Accounts: Cloud Accounts", "TA0001")


def first_seen_geo_sql(value: str, describe: str) -> str:
    """Records from a ``value`` (an ``ip_geo`` expression) the actor never called from before.

    ``describe``: SQL naming the value for the analyst (``g`` is the ``ip_geo`` row). The first
    record from each address per actor comes from the store's summaries (``ct_first_seen``); the
    first from a country or network is the earliest of its addresses' first records.
    """
    return f"""
WITH located AS (
  SELECT f.account, f.actor, f.first, {value} AS seen, {describe} AS described
  FROM ct_first_seen f JOIN ip_geo g ON g.ip = f.seen
  WHERE f.kind = 'source_ip' AND {value} IS NOT NULL
    AND f.seen NOT IN (SELECT ip FROM egress_ips)  -- the estate's own addresses are never new
), firsts AS (
  SELECT account, actor, seen, min(first) AS first, arg_min(described, first) AS described
  FROM located GROUP BY account, actor, seen
)
SELECT f.first.time AS time, f.account, f.first.region AS region, f.actor, f.first.source_ip AS source_ip,
       f.first.principal_arn AS resource, f.first.event_id AS evidence,
       'first call from ' || f.described || ' after '
       || CAST(date_diff('day', s.since, f.first.time) AS VARCHAR) || ' days' AS detail,
       f.described AS target
FROM firsts f
JOIN ct_actor_since s ON s.account = f.account AND s.actor = f.actor
WHERE in_window(f.first.time) AND f.first.time >= s.since + to_days(getvariable('learning_days')::INTEGER)
  AND f.first.principal_type IN ('IAMUser', 'AssumedRole', 'Root') AND f.first.invoked_by IS NULL
"""


rule(
    id="anomaly_first_seen_country",
    title="Principal calling from a country for the first time",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=first_seen_geo_sql("g.country", "g.country"),
    rationale="Credentials phished or leaked are typically used from wherever the attacker sits; an "
    "established principal (a console user, an access key) suddenly calling from a country it never "
    "called from is the strongest single sign of account takeover GuardDuty's anomaly model reports.",
    remediation="Ask the principal's owner whether they are travelling; if not, disable the access key "
    "or reset the password and MFA, revoke active sessions, and review what was done from that country.",
    attack=_VALID,
    guardduty="UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B",
    resource_type="AwsIamPrincipal",
    requires=("asn_db",),
    category="initial-access",
)

rule(
    id="anomaly_first_seen_asn",
    title="Principal calling from a network (ASN) for the first time",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=first_seen_geo_sql("g.asn", "'AS' || CAST(g.asn AS VARCHAR) || coalesce(' (' || g.org || ')', '')"),
    rationale="Principals call from a few networks: the office ISP, a VPN, AWS itself. A new "
    "autonomous system (a hosting provider, a VPS, an anonymising service) for an established "
    "principal often means its credentials are used by someone else, even in the same country.",
    remediation="Confirm the new network with the owner (new ISP, VPN, CI provider); otherwise rotate "
    "the credential and review its recent activity. Restrict keys with aws:SourceIp where possible.",
    attack=_VALID,
    guardduty="UnauthorizedAccess:IAMUser/AnomalousBehavior",
    resource_type="AwsIamPrincipal",
    requires=("asn_db",),
    category="initial-access",
)
