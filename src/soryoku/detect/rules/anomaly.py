"""Anomalies learned from the logs themselves: first-seen region, API and user agent per principal.

A principal is judged only once it has a history longer than the learning window
(``learning_days``, default 7): a new principal's first week is its baseline, not a flood of alerts.
What is tracked per kind (the value and which records count) is ``soryoku.detect.summaries.FIRST_SEEN``.
"""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, rule

_VALID = Attack("T1078.004", "Valid Accounts: Cloud Accounts", "TA0001")


def first_seen_sql(kind: str) -> str:
    """Records whose value of ``kind`` (``FIRST_SEEN``) the actor never had before, once its history
    is longer than the learning window. The first record of each value and each actor's first
    time come from the store's summaries (``ct_first_seen``, ``ct_actor_since``)."""
    return f"""
SELECT f.first.time AS time, f.account, f.first.region AS region, f.actor, f.first.source_ip AS source_ip,
       f.first.principal_arn AS resource, f.first.event_id AS evidence,
       'first ' || f.seen || ' after ' || CAST(date_diff('day', s.since, f.first.time) AS VARCHAR) || ' days'
       AS detail,
       f.seen AS target
FROM ct_first_seen f
JOIN ct_actor_since s ON s.account = f.account AND s.actor = f.actor
WHERE f.kind = '{kind}' AND in_window(f.first.time)
  AND f.first.time >= s.since + to_days(getvariable('learning_days')::INTEGER)
  AND f.first.principal_type IN ('IAMUser', 'AssumedRole', 'Root') AND f.first.invoked_by IS NULL
"""


rule(
    id="anomaly_first_seen_region",
    title="Principal active in a region for the first time",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=first_seen_sql("region"),
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
    sql=first_seen_sql("user_agent"),
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
    sql=first_seen_sql("write_api"),
    rationale="An established principal calling a write API for the first time (IAM, networking, "
    "logging) is either a new task or someone else at the keyboard.",
    remediation="Review the change with the owner of the principal.",
    attack=_VALID,
    guardduty="Persistence:IAMUser/AnomalousBehavior",
    resource_type="AwsIamPrincipal",
    category="persistence",
)
