"""Discovery: an unknown hand feeling its way around the account."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, burst_sql, rule
from soryoku.detect.rules.windows import Measure

# Ten denied calls spanning at least five different APIs within any hour.
_DENIED_BURST = (Measure(10), Measure(5, "event_name"))
_READ = "(event_name LIKE 'List%' OR event_name LIKE 'Describe%' OR event_name LIKE 'Get%')"
_DENIED = (
    "error_code IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', "
    "'Client.UnauthorizedOperation', 'UnauthorizedAccess')"
)

rule(
    id="discovery_access_denied_burst",
    title="Burst of denied List/Describe/Get calls by one principal",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=burst_sql(
        f"{_DENIED} AND {_READ}",
        measures=_DENIED_BURST,
        detail="event_source || ':' || event_name || ' ' || error_code",
    ),
    rationale="Someone probing what a credential may do tries many read APIs and is denied on most: "
    "the typical first minutes of a leaked key in an intruder's hands.",
    remediation="Identify the principal's owner; if unknown, revoke the credential and review its grants.",
    attack=Attack("T1580", "Cloud Infrastructure Discovery", "TA0007"),
    guardduty="Discovery:IAMUser/AnomalousBehavior",
    resource_type="AwsIamPrincipal",
    category="discovery",
    # Denied calls are few: the store keeps them, and the burst's records are read from there.
    prefilter=_DENIED,
)

rule(
    id="discovery_api_enumeration",
    title="Wide enumeration of the account by one principal",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=burst_sql(
        f"{_READ} AND actor NOT IN (SELECT actor FROM automation)",
        summary_condition=_READ,
        threshold=40,
        window="15 minutes",
        distinct="event_name",
    ),
    rationale="Forty or more different read APIs in fifteen minutes maps the account (the pattern of "
    "enumeration tools such as Pacu's or ScoutSuite's). Expected scanners belong under "
    "automation_principals in --environment.",
    remediation="Confirm the principal is an approved scanner and list it; otherwise revoke it.",
    attack=Attack("T1580", "Cloud Infrastructure Discovery", "TA0007"),
    guardduty="Discovery:IAMUser/AnomalousBehavior",
    resource_type="AwsIamPrincipal",
    category="discovery",
)
