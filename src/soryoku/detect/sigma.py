"""Sigma rules for ``product: aws, service: cloudtrail`` compiled to the engine's DuckDB SQL.

A small pySigma backend (``DuckDBCloudTrailBackend``, on pySigma's ``TextQueryBackend``) turns a
rule's detection into a condition over the normalised ``cloudtrail`` table (field names: see
``sigma_fields``). It supports lists, ``|contains``/``|startswith``/``|endswith``/``|all``/``|re``/
``|cased``/``|cidr``/``|exists``/``|fieldref``/``|gt``…, ``null``, booleans and keywords; string
matches are case-insensitive, as Sigma specifies. A rule that cannot be compiled (a field the table
does not keep, an unexpanded placeholder, a correlation or an aggregation …) is returned with the
reason instead of being dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from sigma.collection import SigmaCollection
from sigma.conditions import ConditionAND, ConditionFieldEqualsValueExpression, ConditionNOT, ConditionOR
from sigma.conversion.base import TextQueryBackend
from sigma.exceptions import SigmaError
from sigma.rule import SigmaRule
from sigma.types import SigmaCIDRExpression, SigmaCompareExpression

from soryoku.core.errors import ConfigError
from soryoku.core.severity import Severity
from soryoku.detect.rules.model import TACTICS, Attack, Rule
from soryoku.detect.sigma_fields import KEYWORD_TEXT, UnsupportedFieldError, field_sql

_LEVELS = {
    "informational": Severity.INFORMATIONAL,
    "low": Severity.LOW,
    "medium": Severity.MEDIUM,
    "high": Severity.HIGH,
    "critical": Severity.CRITICAL,
}
_TACTIC_IDS = {name.lower().replace(" ", "-"): uid for uid, name in TACTICS.items()}


class DuckDBCloudTrailBackend(TextQueryBackend):
    """pySigma backend: Sigma detections → DuckDB conditions over soryoku's ``cloudtrail`` table."""

    name: ClassVar[str] = "soryoku DuckDB CloudTrail backend"
    identifier: ClassVar[str] = "soryoku_duckdb"
    formats: ClassVar[dict[str, str]] = {"default": "DuckDB WHERE conditions"}
    requires_pipeline: ClassVar[bool] = False

    precedence: ClassVar[tuple[type[Any], type[Any], type[Any]]] = (ConditionNOT, ConditionAND, ConditionOR)
    parenthesize = True
    group_expression: ClassVar[str] = "({expr})"
    or_token: ClassVar[str] = "OR"
    and_token: ClassVar[str] = "AND"
    not_token: ClassVar[str] = "NOT"
    eq_token: ClassVar[str] = " = "
    str_quote: ClassVar[str] = "'"
    escape_char: ClassVar[str] = "\\"
    wildcard_multi: ClassVar[str] = "%"
    wildcard_single: ClassVar[str] = "_"
    add_escaped: ClassVar[str] = "\\"
    filter_chars: ClassVar[str] = ""
    bool_values: ClassVar[dict[bool, str | None]] = {True: "'true'", False: "'false'"}
    # Sigma matches strings case-insensitively: ILIKE (with escaped wildcards) does exactly that.
    # Every leaf is made two-valued (a missing field is false, never NULL) so that NOT keeps Sigma's
    # meaning: "selection and not filter" still matches an event that lacks the filter's field.
    eq_expression: ClassVar[str] = "coalesce({field} ILIKE {value} ESCAPE '\\', false)"
    wildcard_match_expression: ClassVar[str] = "coalesce({field} ILIKE {value} ESCAPE '\\', false)"
    case_sensitive_match_expression: ClassVar[str] = "coalesce({field} LIKE {value} ESCAPE '\\', false)"
    re_expression: ClassVar[str] = "coalesce(regexp_matches({field}, '{regex}'), false)"
    re_escape_char: ClassVar[str] = "'"
    re_escape: ClassVar[list[str]] = ["'"]
    re_escape_escape_char: bool = False
    compare_op_expression: ClassVar[str] = "coalesce(TRY_CAST({field} AS DOUBLE) {operator} {value}, false)"
    compare_operators: ClassVar[dict[Any, str]] = {
        SigmaCompareExpression.CompareOperators.LT: "<",
        SigmaCompareExpression.CompareOperators.LTE: "<=",
        SigmaCompareExpression.CompareOperators.GT: ">",
        SigmaCompareExpression.CompareOperators.GTE: ">=",
    }
    field_null_expression: ClassVar[str] = "{field} IS NULL"
    field_exists_expression: ClassVar[str] = "{field} IS NOT NULL"
    field_not_exists_expression: ClassVar[str] = "{field} IS NULL"
    # |fieldref: compare two fields of the same record, case-insensitively like every Sigma match.
    field_equals_field_expression: ClassVar[str] = "coalesce(lower({field1}) = lower({field2}), false)"
    field_equals_field_startswith_expression: ClassVar[str] = (
        "coalesce(starts_with(lower({field1}), lower({field2})), false)"
    )
    field_equals_field_endswith_expression: ClassVar[str] = (
        "coalesce(ends_with(lower({field1}), lower({field2})), false)"
    )
    field_equals_field_contains_expression: ClassVar[str] = (
        "coalesce(contains(lower({field1}), lower({field2})), false)"
    )
    # Keywords (values with no field) search the record's kept text and JSON.
    unbound_value_str_expression: ClassVar[str] = (
        f"coalesce({KEYWORD_TEXT} ILIKE '%' || {{value}} || '%' ESCAPE '\\', false)"
    )
    unbound_value_num_expression: ClassVar[str] = f"coalesce({KEYWORD_TEXT} LIKE '%{{value}}%', false)"
    unbound_value_re_expression: ClassVar[str] = (
        f"coalesce(regexp_matches({KEYWORD_TEXT}, '{{value}}'), false)"
    )

    def escape_and_quote_field(self, field_name: str) -> str:
        """Sigma field → SQL expression over the normalised columns (UnsupportedFieldError otherwise)."""
        return field_sql(field_name)

    def convert_condition_field_eq_val_cidr(
        self, cond: ConditionFieldEqualsValueExpression, state: Any
    ) -> Any:
        """``|cidr``: an IPv4 network is a range test; IPv6 falls back to pySigma's prefix matches."""
        network = cond.value.network if isinstance(cond.value, SigmaCIDRExpression) else None
        if network is None or network.version != 4:
            return super().convert_condition_field_eq_val_cidr(cond, state)
        low, high = int(network.network_address), int(network.broadcast_address)
        return f"coalesce(ip4({field_sql(cond.field)}) BETWEEN {low} AND {high}, false)"

    def finalize_query_default(self, rule: SigmaRule, query: str, index: int, state: Any) -> str:
        """The condition alone; ``sigma_rule`` wraps it into the rule's SELECT."""
        return query


@dataclass(frozen=True, slots=True)
class SigmaProblem:
    """A Sigma rule (or file) that could not be compiled, and why.

    ``applicable`` is False for rules of other log sources (Windows, Okta …): those are not
    CloudTrail rules, so nothing was missed by not running them.
    """

    location: str
    reason: str
    applicable: bool = True


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60]


def _attack(rule: SigmaRule) -> Attack:
    tags = [f"{tag.namespace}.{tag.name}".lower() for tag in rule.tags]
    techniques = [
        t.removeprefix("attack.").upper() for t in tags if re.fullmatch(r"attack\.t\d{4}(\.\d{3})?", t)
    ]
    tactics = [
        _TACTIC_IDS[t.removeprefix("attack.")] for t in tags if t.removeprefix("attack.") in _TACTIC_IDS
    ]
    technique = techniques[0] if techniques else "T1078.004"
    name = (
        "(from Sigma tags)"
        if techniques
        else "Valid Accounts: Cloud Accounts (Sigma rule without a technique tag)"
    )
    return Attack(technique, name, tactics[0] if tactics else "TA0001")


def sigma_rule(rule: SigmaRule, condition: str) -> Rule:
    """Wrap one compiled Sigma condition as an engine rule."""
    ident = str(rule.id) if rule.id else _slug(rule.title)
    level = _LEVELS.get(str(rule.level.name).lower() if rule.level else "", Severity.MEDIUM)
    false_positives = "; ".join(str(f) for f in rule.falsepositives or []) or "none listed"
    return Rule(
        id=f"sigma_{ident}",
        title=rule.title,
        severity=level,
        source="cloudtrail",
        sql=(
            "SELECT time, account, region, actor, source_ip, NULL AS resource, event_id AS evidence, "
            f"event_source || ':' || event_name AS detail, NULL AS target FROM cloudtrail WHERE {condition}"
        ),
        rationale=(rule.description or rule.title).strip(),
        remediation=f"Review the matching events (Sigma rule; false positives: {false_positives}).",
        attack=_attack(rule),
        resource_type="AwsIamPrincipal",
        category="sigma",
        full_records=True,
    )


def _is_cloudtrail(rule: SigmaRule) -> bool:
    source = rule.logsource
    return (source.product or "").lower() == "aws" and (source.service or "").lower() == "cloudtrail"


def compile_rules(collection: SigmaCollection, location: str) -> tuple[list[Rule], list[SigmaProblem]]:
    """Compile every CloudTrail rule of a collection; the others are problems with the reason."""
    backend = DuckDBCloudTrailBackend()
    rules: list[Rule] = []
    problems: list[SigmaProblem] = []
    for item in collection.rules:
        if not isinstance(item, SigmaRule):
            problems.append(SigmaProblem(location, f"{item.title}: correlation rules are not supported"))
            continue
        if item.errors:
            problems.append(SigmaProblem(location, f"{item.title}: {item.errors[0]}"))
            continue
        if not _is_cloudtrail(item):
            problems.append(SigmaProblem(location, f"{item.title}: log source is not aws/cloudtrail", False))
            continue
        try:
            queries = backend.convert_rule(item)
        # pySigma raises NotImplementedError/TypeError/ValueError for constructs a backend lacks.
        except (SigmaError, NotImplementedError, TypeError, ValueError) as error:
            reason = str(error).split(" (while converting")[0] or type(error).__name__
            problems.append(SigmaProblem(location, f"{item.title}: {reason}"))
            continue
        condition = " OR ".join(f"({q})" for q in queries)
        rules.append(sigma_rule(item, condition))
    return rules, problems


def load_sigma_dir(folder: Path) -> tuple[list[Rule], list[SigmaProblem]]:
    """Every ``*.yml``/``*.yaml`` Sigma rule under ``folder`` compiled, plus what could not be."""
    if not folder.is_dir():
        raise ConfigError(f"--sigma-dir {str(folder)!r}: not a folder of Sigma rules")
    rules: list[Rule] = []
    problems: list[SigmaProblem] = []
    for path in sorted([*folder.rglob("*.yml"), *folder.rglob("*.yaml")]):
        try:
            collection = SigmaCollection.from_yaml(path.read_text(encoding="utf-8"), collect_errors=True)
        except (SigmaError, OSError, ValueError) as error:
            problems.append(SigmaProblem(str(path), f"unreadable Sigma file: {error}"))
            continue
        found, failed = compile_rules(collection, str(path))
        rules += found
        problems += failed
    seen: set[str] = set()
    unique: list[Rule] = []
    for item in rules:
        if item.id in seen:
            problems.append(SigmaProblem(folder.as_posix(), f"{item.title}: duplicate rule id {item.id}"))
            continue
        seen.add(item.id)
        unique.append(item)
    return unique, problems


__all__ = [
    "DuckDBCloudTrailBackend",
    "SigmaProblem",
    "UnsupportedFieldError",
    "compile_rules",
    "load_sigma_dir",
    "sigma_rule",
]
