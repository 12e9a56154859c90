"""``.soryokuignore``: vulnerabilities the user accepts, each with a reason and an optional expiry.

YAML::

    ignore:
      - id: CVE-2023-43804          # any id of the vulnerability (CVE, GHSA, PYSEC, GO …)
        package: urllib3            # optional: only this package
        path: "*/requirements.txt"  # optional: only where the location matches this glob
        reason: not reachable, no redirects followed
        expires: 2026-12-31         # optional: the rule stops applying after this day

Matching findings are marked SUPPRESSED with the reason (like the mutelist), never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from soryoku.core.errors import ConfigError
from soryoku.core.finding import Finding, WorkflowStatus

DEFAULT_IGNORE_FILE = ".soryokuignore"


class IgnoreRule(BaseModel):
    """One accepted vulnerability."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    package: str | None = None
    path: str | None = None
    reason: str = Field(min_length=1)
    expires: date | None = None

    def active(self, today: date) -> bool:
        """True until the end of the expiry day."""
        return self.expires is None or today <= self.expires

    def matches(self, finding: Finding) -> bool:
        """True when the finding is this vulnerability (any of its ids), package and place."""
        ids = {finding.check_id, *((finding.unmapped or {}).get("ids") or [])}
        if self.id not in ids:
            return False
        packages = [p for v in finding.vulnerabilities or [] for p in v.affected_packages or []]
        if self.package is not None and not any(p.name == self.package for p in packages):
            return False
        return self.path is None or any(fnmatchcase(p.path or "", self.path) for p in packages)


class IgnoreFile(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid")

    ignore: list[IgnoreRule] = Field(default_factory=list)


def load_ignore_file(path: Path) -> IgnoreFile:
    """Read and validate an ignore file; ConfigError naming the file and the problem otherwise."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"ignore file {path}: cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"ignore file {path}: invalid YAML ({exc})") from exc
    try:
        return IgnoreFile.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"ignore file {path}: {where}: {first['msg']}") from exc


def apply_ignores(
    findings: Iterable[Finding], rules: IgnoreFile, *, source: str, today: date | None = None
) -> list[Finding]:
    """The findings, with those matching an active rule marked SUPPRESSED and the reason recorded."""
    day = today or datetime.now(UTC).date()
    active = [r for r in rules.ignore if r.active(day)]
    out: list[Finding] = []
    for finding in findings:
        rule = next((r for r in active if r.matches(finding)), None)
        if rule is None:
            out.append(finding)
            continue
        note: dict[str, str] = {"reason": rule.reason, "source": source, "rule": rule.id}
        if rule.expires:
            note["expires"] = rule.expires.isoformat()
        unmapped = dict(finding.unmapped or {})
        unmapped["suppression"] = note
        out.append(finding.model_copy(update={"status_id": WorkflowStatus.SUPPRESSED, "unmapped": unmapped}))
    return out


__all__ = ["DEFAULT_IGNORE_FILE", "IgnoreFile", "IgnoreRule", "apply_ignores", "load_ignore_file"]
