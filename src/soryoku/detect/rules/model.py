"""A detection rule: SQL over the normalised log tables, plus the prose an analyst needs.

Every rule's SQL selects the same columns, one row per log record that is part of an alert:
``time, account, region, actor, source_ip, resource, evidence, detail, target`` — ``evidence`` is
the record's key (a CloudTrail ``eventID``, or ``<file>#<line>`` for flow and DNS logs). The
engine groups the rows of one rule, account and actor in one time window into one finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from soryoku.core.registry import Registry
from soryoku.core.severity import Severity
from soryoku.detect.rules.windows import Burst, Measure, sliding_members

TACTICS = {
    "TA0001": "Initial Access",
    "TA0003": "Persistence",
    "TA0004": "Privilege Escalation",
    "TA0005": "Defense Evasion",
    "TA0006": "Credential Access",
    "TA0007": "Discovery",
    "TA0010": "Exfiltration",
    "TA0011": "Command and Control",
    "TA0040": "Impact",
}

OUTPUT_COLUMNS = (
    "time",
    "account",
    "region",
    "actor",
    "source_ip",
    "resource",
    "evidence",
    "detail",
    "target",
)

# What a rule may need besides its log source; missing context makes the rule a Gap, not a pass.
CONTEXTS = ("ip_ranges", "tor_list", "threat_list", "asn_db")


@dataclass(frozen=True, slots=True)
class Attack:
    """A MITRE ATT&CK technique and its tactic."""

    technique: str
    name: str
    tactic: str

    def to_ocsf(self) -> dict[str, Any]:
        """OCSF ``attack`` object."""
        return {
            "technique": {"uid": self.technique, "name": self.name},
            "tactic": {"uid": self.tactic, "name": TACTICS[self.tactic]},
            "version": "15",
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """One built-in (or Sigma-compiled) detection."""

    id: str
    title: str
    severity: Severity
    source: str  # cloudtrail | flow | dns
    sql: str
    rationale: str
    remediation: str
    attack: Attack
    guardduty: str | None = None
    resource_type: str = "AWS Resource"
    requires: tuple[str, ...] = ()
    category: str = ""
    # When set, the rule only reads CloudTrail records with these event names: the engine runs it
    # over a small pre-filtered table instead of the whole history.
    event_names: tuple[str, ...] = ()
    # A rule that reads JSON columns of any record (Sigma rules) runs over the full records.
    full_records: bool = False
    # A context-free condition every record the rule can match meets: such records are copied to
    # the store's small candidates table at ingest, and the rule runs over those. ``{records}``
    # names the relation filtered (for a subquery over its distinct values).
    prefilter: str | None = None
    # A burst rule: the store keeps per-bucket counts of its hits, and only the buckets that can
    # hold a burst are read back (``burst_hits``) — from the candidates when it has a prefilter.
    burst: Burst | None = None

    def __post_init__(self) -> None:
        if self.source not in ("cloudtrail", "flow", "dns"):
            raise ValueError(f"rule {self.id}: unknown source {self.source!r}")
        if self.attack.tactic not in TACTICS:
            raise ValueError(f"rule {self.id}: unknown tactic {self.attack.tactic!r}")
        for need in self.requires:
            if need not in CONTEXTS:
                raise ValueError(f"rule {self.id}: unknown context {need!r}")


RULES: Registry[Rule] = Registry(
    "detection rule",
    entry_point_group="soryoku.detections",
    builtin_modules=(
        "soryoku.detect.rules.evasion",
        "soryoku.detect.rules.credentials",
        "soryoku.detect.rules.persistence",
        "soryoku.detect.rules.exfiltration",
        "soryoku.detect.rules.impact",
        "soryoku.detect.rules.discovery",
        "soryoku.detect.rules.network",
        "soryoku.detect.rules.dns",
        "soryoku.detect.rules.anomaly",
        "soryoku.detect.rules.geo",
    ),
)


class RuleSql(str):
    """SQL text that knows which CloudTrail event names it reads (set by ``api_sql``/``burst_sql``)."""

    __slots__ = ("burst", "event_names")
    event_names: tuple[str, ...]
    burst: Burst | None

    def __new__(cls, text: str, event_names: tuple[str, ...], burst: Burst | None = None) -> RuleSql:
        made = super().__new__(cls, text)
        made.event_names = event_names
        made.burst = burst
        return made


def rule(**fields: Any) -> Rule:
    """Register a rule (keyword arguments are the Rule's fields)."""
    sql = fields.get("sql")
    if isinstance(sql, RuleSql) and "event_names" not in fields:
        fields["event_names"] = sql.event_names
    if isinstance(sql, RuleSql) and "burst" not in fields:
        fields["burst"] = sql.burst
    fields["sql"] = str(sql)
    return RULES.add(Rule(**fields))


def quoted(values: tuple[str, ...] | list[str]) -> str:
    """A SQL list of string literals: ``'a', 'b'``."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def api_sql(
    event_source: str,
    names: tuple[str, ...],
    *,
    resource: str = "NULL",
    where: str = "TRUE",
    detail: str = "event_name",
    target: str = "NULL",
    succeeded: bool = True,
) -> str:
    """SQL for "one of these successful API calls, optionally with a condition"."""
    ok = "error_code IS NULL AND " if succeeded else ""
    return RuleSql(
        f"SELECT time, account, region, actor, source_ip, {resource} AS resource, event_id AS evidence, "
        f"{detail} AS detail, {target} AS target FROM cloudtrail "
        f"WHERE {ok}event_source = '{event_source}' AND event_name IN ({quoted(names)}) AND ({where})",
        names,
    )


def burst_sql(
    condition: str,
    *,
    threshold: int | None = None,
    window: str = "1 hour",
    by: str = "account, actor",
    resource: str = "NULL",
    detail: str = "event_name",
    distinct: str | None = None,
    names: tuple[str, ...] = (),
    summary_condition: str | None = None,
    measures: tuple[Measure, ...] | None = None,
) -> str:
    """SQL for "at least ``threshold`` matching calls (or distinct values) by one actor within ``window``".

    The window slides (see ``soryoku.detect.rules.windows``): a burst across a clock boundary counts.

    ``names``: the event names ``condition`` is limited to, when it is (lets the engine pre-filter).
    ``summary_condition``: a context-free condition implied by ``condition`` when ``condition`` reads
    run-time tables. ``measures`` replaces ``threshold``/``distinct`` for several conditions at once.
    """
    if measures is None:
        if threshold is None:
            raise ValueError("a burst needs a threshold or measures")
        measures = (Measure(threshold, distinct),)
    burst = Burst(condition, by, window, measures, summary_condition)
    return RuleSql(
        f"""
SELECT time, account, region, actor, source_ip, {resource} AS resource, event_id AS evidence,
       {detail} AS detail, NULL AS target
FROM {sliding_members("burst_hits", by, window, burst.measures)} AS bursting
""",
        names,
        burst,
    )
