"""Anomalies learned from the logs themselves: first-seen region, API and user agent per principal.

A principal is judged only once it has a history longer than the learning window
(``learning_days``, default 7): a new principal's first week is its baseline, not a flood of alerts.
"""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, rule

_VALID = Attack("T1078.004", "Valid Accounts: Cloud Accounts", "TA0001")


def _first_seen(value: str, where: str = "TRUE") -> str:
    """Events whose ``value`` the actor never used before, for actors with a long enough history."""
    return f"""
WITH firsts AS (
  SELECT account, actor, {value} AS seen, min(time) AS first_time, arg_min(event_id, time) AS first_event
  FROM cloudtrail_all WHERE actor IS NOT NULL AND ({where}) GROUP BY account, actor, {value}
), starts AS (
  SELECT account, actor, min(time) AS since FROM cloudtrail_all WHERE actor IS NOT NULL
  GROUP BY account, actor
)
SELECT c.time, c.account, c.region, c.actor, c.source_ip, c.principal_arn AS resource, c.event_id AS evidence,
       'first ' || f.seen || ' after ' || CAST(date_diff('day', s.since, c.time) AS VARCHAR) || ' days'
       AS detail,
       f.seen AS target
FROM cloudtrail c
JOIN firsts f ON f.account = c.account AND f.actor = c.actor AND f.first_event = c.event_id
JOIN starts s ON s.account = c.account AND s.actor = c.actor
WHERE c.time >= s.since + to_days(getvariable('learning_days')::INTEGER)
  AND c.principal_type IN ('IAMUser', 'AssumedRole', 'Root') AND c.invoked_by IS NULL
"""


rule(
    id="anomaly_first_seen_region",
    title="Principal active in a region for the first time",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=_first_seen("region"),
    rationale="Stolen credentials are often used where the owner never works, to stay out of sight.",
    remediation="Confirm with the principal's owner; deny unused regions with an SCP.",
    attack=_VALID,
    guardduty="Discovery:IAMUser/AnomalousBehavior",
    resource_type="AwsIamPrincipal",
    category="initial-access",
)

rule(
    id="anomaly_first_seen_user_agent",
    title="Principal calling from a new kind of client",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=_first_seen(
        "lower(split_part(split_part(coalesce(user_agent, ''), ' ', 1), '/', 1))",
        "user_agent IS NOT NULL AND user_agent NOT LIKE '%.amazonaws.com'",
    ),
    rationale="A principal that always used one SDK or tool and suddenly calls from another (a different "
    "CLI, a script, an attack framework) is often someone else holding its credentials.",
    remediation="Confirm with the owner; rotate the credential if the client is unknown.",
    attack=_VALID,
    guardduty="UnauthorizedAccess:IAMUser/AnomalousBehavior",
    resource_type="AwsIamPrincipal",
    category="initial-access",
)

rule(
    id="anomaly_first_seen_write_api",
    title="Principal making a change it never made before",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=_first_seen(
        "event_source || ':' || event_name",
        "read_only = false AND error_code IS NULL AND event_source <> 'sts.amazonaws.com'",
    ),
    rationale="An established principal calling a write API for the first time (IAM, networking, "
    "logging) is either a new task or someone else at the keyboard.",
    remediation="Review the change with the owner of the principal.",
    attack=_VALID,
    guardduty="Persistence:IAMUser/AnomalousBehavior",
    resource_type="AwsIamPrincipal",
    category="persistence",
)
