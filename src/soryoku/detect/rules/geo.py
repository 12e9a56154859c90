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
    """Events from a ``value`` (an ``ip_geo`` expression) the actor never called from before.

    ``describe``: SQL naming the value for the analyst (``g`` is the ``ip_geo`` row).
    """
    return f"""
WITH located AS (
  SELECT c.account, c.actor, c.time, c.event_id, {value} AS seen, {describe} AS described
  FROM cloudtrail_all c JOIN ip_geo g ON g.ip = c.source_ip
  WHERE c.actor IS NOT NULL AND {value} IS NOT NULL
    AND c.source_ip NOT IN (SELECT ip FROM egress_ips)  -- the estate's own addresses are never new
), firsts AS (
  SELECT account, actor, seen, arg_min(described, time) AS described, arg_min(event_id, time) AS first_event
  FROM located GROUP BY account, actor, seen
), starts AS (
  SELECT account, actor, min(time) AS since FROM cloudtrail_all WHERE actor IS NOT NULL
  GROUP BY account, actor
)
SELECT c.time, c.account, c.region, c.actor, c.source_ip, c.principal_arn AS resource, c.event_id AS evidence,
       'first call from ' || f.described || ' after '
       || CAST(date_diff('day', s.since, c.time) AS VARCHAR) || ' days' AS detail,
       f.described AS target
FROM cloudtrail c
JOIN firsts f ON f.account = c.account AND f.actor = c.actor AND f.first_event = c.event_id
JOIN starts s ON s.account = c.account AND s.actor = c.actor
WHERE c.time >= s.since + to_days(getvariable('learning_days')::INTEGER)
  AND c.principal_type IN ('IAMUser', 'AssumedRole', 'Root') AND c.invoked_by IS NULL
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
