"""Policy statements, normalised: principals, actions, resources, and the conditions that pin callers.

Every form IAM accepts (``Principal``/``NotPrincipal``, ``Action``/``NotAction``,
``Resource``/``NotResource``, strings or lists, JSON or IAM's URL-encoded JSON) becomes one
:class:`Statement`; :func:`restrictions` says which of its conditions limit who may call.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeAlias
from urllib.parse import unquote

PolicyDocument: TypeAlias = Mapping[str, Any] | str | bytes | None

# Condition keys that, with a concrete value, pin who may call: the caller's account/organisation,
# the resource a service acts for, or the network the request comes from.
ACCOUNT_KEYS = frozenset(
    {
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:principalaccount",
        "aws:resourceaccount",
        "kms:calleraccount",
        "s3:dataaccesspointaccount",
    }
)
ORGANIZATION_KEYS = frozenset(
    {"aws:principalorgid", "aws:principalorgpaths", "aws:sourceorgid", "aws:sourceorgpaths"}
)
SOURCE_KEYS = frozenset({"aws:sourcearn", "aws:principalarn"})
NETWORK_KEYS = frozenset({"aws:sourcevpc", "aws:sourcevpce", "aws:sourceip"})
RESTRICTING_KEYS = ACCOUNT_KEYS | ORGANIZATION_KEYS | SOURCE_KEYS | NETWORK_KEYS

_POSITIVE = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress"}
)
_NEGATED = frozenset(
    {
        "stringnotequals",
        "stringnotequalsignorecase",
        "stringnotlike",
        "arnnotequals",
        "arnnotlike",
        "notipaddress",
    }
)
ACCOUNT_ID = re.compile(r"^[0-9]{12}$")


# -- the normalised shape --


@dataclass(frozen=True, slots=True)
class Principal:
    """One principal entry: its kind (``AWS``, ``Service``, ``Federated``, ``CanonicalUser``) and value."""

    kind: str
    value: str

    @property
    def everyone(self) -> bool:
        """True for ``*`` or an AWS ARN whose account is a wildcard (``arn:aws:iam::*:root``)."""
        if self.kind != "AWS":
            return self.value == "*"
        if self.value == "*":
            return True
        account = arn_account(self.value)
        return account is not None and ("*" in account or "?" in account)

    @property
    def account(self) -> str | None:
        """The 12-digit account of an AWS principal (a bare id or an IAM/STS ARN), else None."""
        if self.kind != "AWS":
            return None
        if ACCOUNT_ID.match(self.value):
            return self.value
        account = arn_account(self.value)
        return account if account and ACCOUNT_ID.match(account) else None


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition test: operator as written (e.g. ``ForAnyValue:StringLike``), key lowercased, values."""

    operator: str
    key: str
    values: tuple[str, ...]

    @property
    def base_operator(self) -> str:
        """The operator without set prefix or ``IfExists``, lowercased (``stringequals``)."""
        name = self.operator.split(":")[-1].lower()
        return name.removesuffix("ifexists")

    @property
    def if_exists(self) -> bool:
        """True for ``…IfExists`` operators (they hold when the key is absent, so they pin nothing)."""
        return self.operator.lower().endswith("ifexists")

    @property
    def holds_when_absent(self) -> bool:
        """True when the test passes for a request without the key: ``…IfExists``, ``ForAllValues:…``.

        Such a condition cannot pin a caller: a request that simply lacks the key satisfies it.
        """
        return self.if_exists or self.operator.lower().startswith("forallvalues:")


@dataclass(frozen=True, slots=True)
class Restriction:
    """A condition that limits a statement to some callers: what kind, which key, which values."""

    kind: str  # account | organization | source | network | principal | deny
    key: str
    values: tuple[str, ...]

    def describe(self) -> str:
        """``aws:SourceAccount=111122223333`` style text for messages and evidence."""
        return f"{self.key}={','.join(self.values)}" if self.values else self.key


@dataclass(frozen=True, slots=True)
class Statement:
    """A normalised policy statement (lists everywhere; ``not_*`` flags for the negated forms)."""

    index: int
    sid: str
    effect: str
    principals: tuple[Principal, ...]
    not_principal: bool
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    conditions: tuple[Condition, ...]

    @property
    def allow(self) -> bool:
        """True for ``Effect: Allow``."""
        return self.effect == "Allow"

    @property
    def label(self) -> str:
        """The Sid, or ``Statement[i]`` when there is none."""
        return self.sid or f"Statement[{self.index}]"

    def allows_action(self, action: str) -> bool:
        """Whether the statement's Action/NotAction covers ``action`` (case-insensitive wildcards)."""
        hit = any(matches(pattern, action) for pattern in self.actions)
        return not hit if self.not_action else hit

    def covers_pattern(self, pattern: str) -> bool:
        """Whether every action ``pattern`` can stand for is covered (``s3:*`` covers ``s3:Get*``)."""
        if self.not_action:
            return not any(matches(own, pattern) or matches(pattern, own) for own in self.actions)
        return any(matches(own, pattern) for own in self.actions)

    @property
    def on_all_resources(self) -> bool:
        """True when the statement applies to every resource (``Resource: *`` or any ``NotResource``)."""
        return self.not_resource or "*" in self.resources

    @property
    def everyone(self) -> bool:
        """True when the principal is anyone (``*``, wildcard account) or a ``NotPrincipal``."""
        return self.not_principal or any(p.everyone for p in self.principals)

    def condition(self, key: str) -> list[Condition]:
        """The conditions on ``key`` (case-insensitive)."""
        wanted = key.lower()
        return [c for c in self.conditions if c.key == wanted]


def matches(pattern: str, action: str) -> bool:
    """IAM wildcard match (``*`` any run, ``?`` one character), case-insensitive."""
    return _wildcard(pattern.lower()).fullmatch(action.lower()) is not None


@lru_cache(maxsize=4096)
def _wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile(
        ".*".join(".".join(re.escape(p) for p in part.split("?")) for part in pattern.split("*"))
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def arn_account(value: str) -> str | None:
    parts = value.split(":", 5)
    return parts[4] if len(parts) == 6 and parts[0] == "arn" else None


def load_document(raw: PolicyDocument) -> Mapping[str, Any]:
    """A policy document from a mapping, JSON text, or IAM's URL-encoded JSON (None → empty)."""
    if raw is None:
        return {}
    if isinstance(raw, Mapping):
        return raw
    text = raw.decode() if isinstance(raw, bytes) else raw
    if not text.strip():
        return {}
    if text.lstrip().startswith("%7B") or text.lstrip().startswith("%7b"):
        text = unquote(text)
    parsed = json.loads(text)
    if not isinstance(parsed, Mapping):
        raise ValueError("policy document: expected a JSON object")
    return parsed


def _principals(raw: Any) -> tuple[Principal, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (Principal("AWS", raw),)
    if isinstance(raw, Mapping):
        return tuple(
            Principal(str(kind), str(value)) for kind, values in raw.items() for value in _as_list(values)
        )
    return ()


def _conditions(raw: Any) -> tuple[Condition, ...]:
    if not isinstance(raw, Mapping):
        return ()
    found: list[Condition] = []
    for operator, tests in raw.items():
        if not isinstance(tests, Mapping):
            continue
        for key, values in tests.items():
            found.append(Condition(str(operator), str(key).lower(), tuple(str(v) for v in _as_list(values))))
    return tuple(found)


def statements(document: PolicyDocument) -> tuple[Statement, ...]:
    """Every statement of a policy document, normalised (non-mapping entries are skipped)."""
    parsed = load_document(document)
    found: list[Statement] = []
    for index, raw in enumerate(_as_list(parsed.get("Statement"))):
        if not isinstance(raw, Mapping):
            continue
        not_principal = "NotPrincipal" in raw
        not_action = "NotAction" in raw
        not_resource = "NotResource" in raw
        found.append(
            Statement(
                index=index,
                sid=str(raw.get("Sid") or ""),
                effect=str(raw.get("Effect", "")),
                principals=_principals(raw.get("NotPrincipal") if not_principal else raw.get("Principal")),
                not_principal=not_principal,
                actions=tuple(str(a) for a in _as_list(raw.get("NotAction" if not_action else "Action"))),
                not_action=not_action,
                resources=tuple(
                    str(r) for r in _as_list(raw.get("NotResource" if not_resource else "Resource"))
                ),
                not_resource=not_resource,
                conditions=_conditions(raw.get("Condition")),
            )
        )
    return tuple(found)


# -- conditions that restrict a statement --


def _kind_of(key: str) -> str | None:
    if key in ACCOUNT_KEYS:
        return "account"
    if key in ORGANIZATION_KEYS:
        return "organization"
    if key in SOURCE_KEYS:
        return "source"
    if key in NETWORK_KEYS:
        return "network"
    return None


def _pins(key: str, value: str) -> bool:
    """Whether one condition value names something specific.

    A wildcard-only value pins nothing, nor does a policy variable (``${aws:PrincipalAccount}`` matches
    every caller's own value).
    """
    if not value or not value.replace("*", "").replace("?", "") or "${" in value:
        return False
    if key == "aws:sourceip":
        try:
            return ipaddress.ip_network(value, strict=False).prefixlen > 0
        except ValueError:
            return False
    if key in ACCOUNT_KEYS:
        return ACCOUNT_ID.match(value) is not None
    if key in ORGANIZATION_KEYS:
        return "*" not in value.split("/", maxsplit=1)[0] and "?" not in value.split("/", maxsplit=1)[0]
    if key in SOURCE_KEYS:
        account = arn_account(value)
        if account is None:
            return "*" not in value and "?" not in value
        if account:
            return ACCOUNT_ID.match(account) is not None
        # ARNs without an account (S3 buckets): the bucket name itself must be concrete.
        name = value.split(":", 5)[5].split("/", maxsplit=1)[0]
        return bool(name) and "*" not in name and "?" not in name
    return "*" not in value and "?" not in value


def restrictions(statement: Statement) -> tuple[Restriction, ...]:
    """The conditions that pin an ``Allow`` (positive operators) or a ``Deny`` (negated operators).

    A condition restricts when its key is in :data:`RESTRICTING_KEYS`, its operator is not
    ``…IfExists`` or ``ForAllValues:…`` (an absent key would pass), and every value pins something
    concrete: an account id, an organisation id, an ARN with a concrete account or bucket, a VPC, or
    an IP range other than /0. ``StringLike`` with ``*`` does not restrict.
    """
    wanted = _POSITIVE if statement.allow else _NEGATED
    found: list[Restriction] = []
    for condition in statement.conditions:
        kind = _kind_of(condition.key)
        if kind is None or condition.holds_when_absent or condition.base_operator not in wanted:
            continue
        if condition.values and all(_pins(condition.key, v) for v in condition.values):
            found.append(Restriction(kind, _canonical_key(condition.key), condition.values))
    return tuple(found)


_CANONICAL_KEYS = {
    k.lower(): k
    for k in (
        "aws:SourceAccount",
        "aws:SourceOwner",
        "aws:PrincipalAccount",
        "aws:ResourceAccount",
        "kms:CallerAccount",
        "s3:DataAccessPointAccount",
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
        "aws:SourceArn",
        "aws:PrincipalArn",
        "aws:SourceVpc",
        "aws:SourceVpce",
        "aws:SourceIp",
    )
}


def _canonical_key(key: str) -> str:
    return _CANONICAL_KEYS.get(key, key)


def has_condition(statement: Statement, key: str, *, concrete: bool = True) -> bool:
    """Whether a positive condition tests ``key`` (with concrete values unless ``concrete=False``)."""
    for condition in statement.condition(key):
        if condition.holds_when_absent or condition.base_operator not in _POSITIVE | {"bool", "null"}:
            continue
        if not concrete or all(v.replace("*", "").replace("?", "") for v in condition.values):
            return True
    return False


__all__ = [
    "ACCOUNT_ID",
    "ACCOUNT_KEYS",
    "NETWORK_KEYS",
    "ORGANIZATION_KEYS",
    "RESTRICTING_KEYS",
    "SOURCE_KEYS",
    "Condition",
    "PolicyDocument",
    "Principal",
    "Restriction",
    "Statement",
    "arn_account",
    "has_condition",
    "load_document",
    "matches",
    "restrictions",
    "statements",
]
