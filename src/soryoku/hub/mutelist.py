"""Suppressions: a YAML mutelist whose rules mark matching findings SUPPRESSED, never delete them.

soryoku's own format (see docs/findings.md)::

    version: 1
    rules:
      - id: public-website
        reason: "Public website assets, approved in SEC-123"
        checks: ["s3_bucket_public_*"]       # globs on the check/rule id
        resources: ["arn:aws:s3:::www-*"]     # globs on a resource uid or name
        accounts: ["123456789012"]
        regions: ["eu-*"]
        tags: {env: prod}                     # every tag must match (value may be a glob)
        engines: [posture]
        expires: 2027-06-30                   # the rule stops applying after this day (UTC)

Within a rule every given criterion must match; within a list any entry may. A rule needs a reason
and at least one criterion. Prowler's ``Mutelist: {Accounts: …}`` shape is read too (its patterns
are regular expressions, as in Prowler).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from soryoku.core.errors import ConfigError
from soryoku.core.finding import Finding, WorkflowStatus

SUPPRESSION_KEY = "suppression"


class MuteRule(BaseModel):
    """One suppression rule: what it matches, why, and until when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = None
    reason: str = Field(min_length=1)
    checks: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    engines: tuple[str, ...] = ()
    tags: dict[str, str] = Field(default_factory=dict)
    expires: date | None = None
    syntax: Literal["glob", "regex"] = "glob"

    @field_validator("checks", "resources", "accounts", "regions", "engines", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if isinstance(value, str | int):
            return (str(value),)
        if isinstance(value, list):
            return tuple(str(v) for v in value)
        return value

    @field_validator("tags", mode="before")
    @classmethod
    def _tag_values_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        return value

    @field_validator("reason")
    @classmethod
    def _reason_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @model_validator(mode="after")
    def _has_criterion(self) -> MuteRule:
        if not (self.checks or self.resources or self.accounts or self.regions or self.engines or self.tags):
            raise ValueError(
                "a rule needs at least one of checks, resources, accounts, regions, engines, tags"
            )
        if self.syntax == "regex":
            for pattern in (
                *self.checks,
                *self.resources,
                *self.accounts,
                *self.regions,
                *self.tags.values(),
            ):
                if pattern != "*":
                    try:
                        re.compile(pattern)
                    except re.error as exc:
                        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
        return self

    @property
    def label(self) -> str:
        """How the rule is named in a finding and in messages."""
        return self.id or self.reason

    def active(self, when: date) -> bool:
        """True unless the rule expired before ``when``."""
        return self.expires is None or when <= self.expires

    def _match(self, pattern: str, value: str | None) -> bool:
        if value is None:
            return False
        if pattern == "*":
            return True
        if self.syntax == "regex":
            return re.search(pattern, value) is not None
        return fnmatch.fnmatchcase(value, pattern)

    def _any(self, patterns: tuple[str, ...], values: Iterable[str | None]) -> bool:
        candidates = list(values)
        return any(self._match(p, v) for p in patterns for v in candidates)

    def matches(self, finding: Finding) -> bool:
        """True when every criterion the rule gives matches ``finding``."""
        if self.engines and not self._any(self.engines, [finding.engine]):
            return False
        if self.checks and not self._any(self.checks, [finding.check_id]):
            return False
        if self.accounts and not self._any(self.accounts, [finding.account_uid]):
            return False
        if self.regions:
            regions = [finding.region, *(r.region for r in finding.resources)]
            if not self._any(self.regions, regions):
                return False
        if self.resources:
            names = [v for r in finding.resources for v in (r.uid, r.name)]
            if not self._any(self.resources, names):
                return False
        if self.tags:
            tags = resource_tags(finding)
            for key, pattern in self.tags.items():
                if key not in tags or not self._match(pattern, tags[key]):
                    return False
        return True


class MutelistFile(BaseModel):
    """The soryoku mutelist document."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    rules: list[MuteRule]


def resource_tags(finding: Finding) -> dict[str, str]:
    """Tags of the finding's resources: OCSF ``tags`` key/value pairs and ``key=value`` labels."""
    tags: dict[str, str] = {}
    for resource in finding.resources:
        for label in resource.labels or []:
            key, _, value = label.partition("=")
            tags.setdefault(key, value)
        for pair in resource.tags or []:
            name = pair.get("name") or pair.get("key") or pair.get("Key") or pair.get("Name")
            if name is not None:
                tags[name] = pair.get("value", pair.get("Value", ""))
    return tags


@dataclass(frozen=True, slots=True)
class Mutelist:
    """Suppression rules loaded from one file."""

    rules: tuple[MuteRule, ...]
    source: str = "<memory>"

    def rule_for(self, finding: Finding, when: date) -> MuteRule | None:
        """The first active rule matching ``finding`` on day ``when``, if any."""
        return next((r for r in self.rules if r.active(when) and r.matches(finding)), None)

    def apply(self, findings: Iterable[Finding], *, at_ms: int | None = None) -> list[Finding]:
        """The findings with matching ones marked SUPPRESSED and the reason in ``unmapped``.

        Nothing is removed; matched findings are copies, the others are returned as they are.
        ``at_ms`` is the moment that decides which rules have expired (default: now).
        """
        moment = datetime.fromtimestamp(at_ms / 1000, UTC) if at_ms is not None else datetime.now(UTC)
        when = moment.date()
        out: list[Finding] = []
        for finding in findings:
            rule = self.rule_for(finding, when)
            if rule is None:
                out.append(finding)
                continue
            note: dict[str, Any] = {"reason": rule.reason, "source": self.source}
            if rule.id:
                note["rule"] = rule.id
            if rule.expires:
                note["expires"] = rule.expires.isoformat()
            unmapped = dict(finding.unmapped or {})
            unmapped[SUPPRESSION_KEY] = note
            out.append(
                finding.model_copy(update={"status_id": WorkflowStatus.SUPPRESSED, "unmapped": unmapped})
            )
        return out


def _prowler_rules(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Rules from Prowler's ``Mutelist: {Accounts: {acct: {Checks: {check: {...}}}}}`` shape."""
    body = document["Mutelist"]
    if not isinstance(body, dict) or not isinstance(body.get("Accounts"), dict):
        raise ValueError("Mutelist: expected a mapping with an `Accounts` mapping")
    rules: list[dict[str, Any]] = []
    for account, entry in body["Accounts"].items():
        checks = entry.get("Checks") if isinstance(entry, dict) else None
        if not isinstance(checks, dict):
            raise ValueError(f"Mutelist.Accounts.{account}: expected a mapping with a `Checks` mapping")
        for check, spec in checks.items():
            where = f"Mutelist.Accounts.{account}.Checks.{check}"
            if not isinstance(spec, dict):
                raise ValueError(f"{where}: expected a mapping")
            if spec.get("Exceptions"):
                raise ValueError(f"{where}: `Exceptions` is not supported; write separate rules instead")
            tags: dict[str, str] = {}
            for tag in spec.get("Tags") or []:
                key, sep, value = str(tag).partition("=")
                if not sep:
                    raise ValueError(f"{where}: tag {tag!r} is not `key=value`")
                tags[key] = value
            rule: dict[str, Any] = {
                "id": f"prowler:{account}:{check}",
                "reason": spec.get("Description") or spec.get("Reason") or "muted by Prowler mutelist",
                "checks": [str(check)],
                "syntax": "regex",
                "regions": spec.get("Regions") or [],
                "resources": spec.get("Resources") or [],
                "tags": tags,
            }
            if str(account) != "*":
                rule["accounts"] = [str(account)]
            rules.append(rule)
    return rules


def _explain(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "document"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def parse_mutelist(text: str, source: str = "<memory>") -> Mutelist:
    """Parse mutelist YAML text; ConfigError naming ``source`` and what is wrong otherwise."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"mutelist {source!r}: not valid YAML{where} ({problem})") from exc
    if not isinstance(document, dict):
        raise ConfigError(f"mutelist {source!r}: expected a mapping with `rules` (or Prowler's `Mutelist`)")
    try:
        if "Mutelist" in document:
            parsed = MutelistFile(rules=[MuteRule.model_validate(r) for r in _prowler_rules(document)])
        else:
            parsed = MutelistFile.model_validate(document)
    except ValidationError as exc:
        raise ConfigError(f"mutelist {source!r}: {_explain(exc)}") from exc
    except ValueError as exc:
        raise ConfigError(f"mutelist {source!r}: {exc}") from exc
    return Mutelist(rules=tuple(parsed.rules), source=source)


def load_mutelist(path: Path) -> Mutelist:
    """Read and validate a mutelist file; ConfigError naming the file and the problem otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"mutelist {str(path)!r}: cannot read it ({why})") from exc
    return parse_mutelist(text, source=str(path))


__all__ = [
    "SUPPRESSION_KEY",
    "MuteRule",
    "Mutelist",
    "MutelistFile",
    "load_mutelist",
    "parse_mutelist",
    "resource_tags",
]
