"""Custom rules: declarative YAML conditions over a collected resource, compiled into ordinary checks.

A rules file (``*.yaml``/``*.yml`` in a ``--rules-dir``) holds ``rules:``, a list of rules. Each names
the collected model's type (``S3Bucket``, ``SecurityGroup`` …), a condition tree (``all``/``any``/
``not`` over field tests ``eq``, ``ne``, ``in``, ``contains``, ``exists``, ``regex``, ``gt``, ``lt``
on dotted paths) under ``fail_if`` or ``pass_if``, and its prose. The compiled check joins the
registry like a built-in one, so selection, reports, the permissions policy and ``checks list``
see it. A malformed file is a ConfigError naming the file and the field.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from soryoku.core.errors import ConfigError
from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.base import COLLECTORS
from soryoku.posture.registry import CHECKS, Check, CheckProse
from soryoku.posture.results import CheckContext, CheckResult

RULE_ID = r"^[a-z0-9][a-z0-9_.-]{2,80}$"
RULE_FILE_SUFFIXES = (".yaml", ".yml")
_OPS = ("eq", "ne", "in", "contains", "exists", "regex", "gt", "lt")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)\}")


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


class FieldTest(BaseModel):
    """One test of one field: ``{field: a.b, <op>: value}`` with exactly one operator."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    field: str = Field(min_length=1, pattern=r"^[A-Za-z_][\w]*(\.[\w]+)*$")
    eq: Any = MISSING
    ne: Any = MISSING
    in_: list[Any] | None = Field(default=None, alias="in")
    contains: Any = MISSING
    exists: bool | None = None
    regex: str | None = None
    gt: float | None = None
    lt: float | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> FieldTest:
        given = [op for op in _OPS if self._operand(op) is not MISSING]
        if len(given) != 1:
            raise ValueError(f"field test on {self.field!r} needs exactly one of {', '.join(_OPS)}")
        if self.regex is not None:
            try:
                re.compile(self.regex)
            except re.error as exc:
                raise ValueError(f"regex {self.regex!r}: {exc}") from exc
        return self

    def _operand(self, op: str) -> Any:
        value = getattr(self, "in_" if op == "in" else op)
        return MISSING if value is None and op not in {"eq", "ne", "contains"} else value

    @property
    def operator(self) -> str:
        """The one operator this test uses."""
        return next(op for op in _OPS if self._operand(op) is not MISSING)


class AllOf(BaseModel):
    """True when every condition holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    all: list[Condition] = Field(min_length=1)


class AnyOf(BaseModel):
    """True when at least one condition holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    any: list[Condition] = Field(min_length=1)


class NotOf(BaseModel):
    """True when the condition does not hold."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    not_: Condition = Field(alias="not")


def _condition_kind(value: Any) -> str:
    """Which condition form a raw mapping (or a model) is, by its keys."""
    if isinstance(value, Mapping):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "field"
    kinds: dict[type[BaseModel], str] = {AllOf: "all", AnyOf: "any", NotOf: "not"}
    return kinds.get(type(value), "field")


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[FieldTest, Tag("field")],
    Discriminator(_condition_kind),
]
for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


class RuleSpec(BaseModel):
    """One custom rule as written in a rules file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=RULE_ID)
    title: str = Field(min_length=8)
    severity: Literal["critical", "high", "medium", "low", "informational"]
    resource_type: str = Field(min_length=2)
    collector: str | None = None
    fail_if: Condition | None = None
    pass_if: Condition | None = None
    message: str = Field(min_length=3)
    rationale: str = Field(min_length=20)
    remediation: str = Field(min_length=20)
    remediation_cli: str | None = None
    references: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()

    @field_validator("severity", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_condition(self) -> RuleSpec:
        if (self.fail_if is None) == (self.pass_if is None):
            raise ValueError("give exactly one of fail_if or pass_if")
        return self


class RulesFile(BaseModel):
    """The top level of a rules file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rules: list[RuleSpec] = Field(min_length=1)


# -- evaluation (pure) --


def resolve(value: Any, path: str) -> Any:
    """The value at dotted ``path`` in a model: attributes, mapping keys, list indexes; a path through
    a list without an index collects the values of every element (``rules.port`` → all ports)."""
    current: Any = value
    for part in path.split("."):
        current = _step(current, part)
        if current is MISSING:
            return MISSING
    return current


def _step(current: Any, part: str) -> Any:
    if current is None or current is MISSING:
        return MISSING
    if isinstance(current, Mapping):
        return current.get(part, MISSING)
    if isinstance(current, (list, tuple)):
        if part.isdigit():
            index = int(part)
            return current[index] if index < len(current) else MISSING
        values = [_step(item, part) for item in current]
        flat: list[Any] = []
        for item in values:
            if item is MISSING:
                continue
            flat.extend(item if isinstance(item, (list, tuple)) else [item])
        return tuple(flat)
    return getattr(current, part, MISSING)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value  # an enum member compares by its value
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _test(test: FieldTest, resource: Any) -> bool:
    value = resolve(resource, test.field)
    op = test.operator
    if op == "exists":
        return (value is not MISSING and value is not None) == test.exists
    if value is MISSING:
        return op == "ne"
    plain = _plain(value)
    if op == "eq":
        return bool(plain == test.eq)
    if op == "ne":
        return bool(plain != test.ne)
    if op == "in":
        return plain in (test.in_ or [])
    if op == "contains":
        if isinstance(plain, str):
            return isinstance(test.contains, str) and test.contains in plain
        if isinstance(plain, (list, Mapping)):
            return test.contains in plain
        return False
    if op == "regex":
        return isinstance(plain, str) and re.search(test.regex or "", plain) is not None
    number = _number(plain)
    if number is None:
        return False
    return number > (test.gt or 0.0) if op == "gt" else number < (test.lt or 0.0)


def holds(condition: Condition, resource: Any) -> bool:
    """Whether ``condition`` holds for ``resource``."""
    if isinstance(condition, AllOf):
        return all(holds(c, resource) for c in condition.all)
    if isinstance(condition, AnyOf):
        return any(holds(c, resource) for c in condition.any)
    if isinstance(condition, NotOf):
        return not holds(condition.not_, resource)
    return _test(condition, resource)


def render_message(template: str, resource: Any) -> str:
    """``template`` with each ``{dotted.path}`` replaced by the resource's value (kept when absent)."""

    def replace(match: re.Match[str]) -> str:
        value = resolve(resource, match.group(1))
        return match.group(0) if value is MISSING else str(_plain(value))

    return _PLACEHOLDER.sub(replace, template)


# -- compilation --


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule bound to its collector; calling it evaluates one resource."""

    spec: RuleSpec
    source: str

    def __call__(self, resource: Any, ctx: CheckContext) -> CheckResult:
        spec = self.spec
        evidence: dict[str, Any] = {"rule_file": self.source}
        if spec.frameworks:
            evidence["frameworks"] = list(spec.frameworks)
        failing = holds(spec.fail_if, resource) if spec.fail_if is not None else None
        if failing is None:
            failing = not holds(spec.pass_if, resource) if spec.pass_if is not None else False
        if failing:
            return CheckResult(ResultStatus.FAIL, render_message(spec.message, resource), evidence)
        return CheckResult(ResultStatus.PASS, f"meets the rule: {spec.title}", evidence)


def model_types() -> dict[str, list[str]]:
    """Collected model type name → the collectors that return it."""
    found: dict[str, list[str]] = {}
    for item in COLLECTORS:
        returned = typing.get_type_hints(item.collect).get("return")
        for arg in typing.get_args(returned):
            if isinstance(arg, type):
                found.setdefault(arg.__name__, []).append(item.id)
    return found


def _model_class(collector_id: str) -> type | None:
    returned = typing.get_type_hints(COLLECTORS.get(collector_id).collect).get("return")
    classes = [arg for arg in typing.get_args(returned) if isinstance(arg, type)]
    return classes[0] if classes else None


def _fields(condition: Condition) -> Iterable[str]:
    if isinstance(condition, AllOf):
        for item in condition.all:
            yield from _fields(item)
    elif isinstance(condition, AnyOf):
        for item in condition.any:
            yield from _fields(item)
    elif isinstance(condition, NotOf):
        yield from _fields(condition.not_)
    else:
        yield condition.field


def _has_attribute(model: type, name: str) -> bool:
    if dataclasses.is_dataclass(model) and name in {f.name for f in dataclasses.fields(model)}:
        return True
    return hasattr(model, name)


def _collector_for(spec: RuleSpec, where: str, types: Mapping[str, Sequence[str]]) -> str:
    candidates = list(types.get(spec.resource_type, ()))
    if not candidates:
        known = ", ".join(sorted(types))
        raise ConfigError(
            f"{where}: resource_type {spec.resource_type!r} is not a collected model; one of {known}"
        )
    if spec.collector is not None:
        if spec.collector not in candidates:
            raise ConfigError(
                f"{where}: collector {spec.collector!r} does not collect {spec.resource_type}; "
                f"one of {', '.join(candidates)}"
            )
        return spec.collector
    if len(candidates) > 1:
        raise ConfigError(
            f"{where}: resource_type {spec.resource_type!r} comes from several collectors; "
            f"name one with collector: ({', '.join(candidates)})"
        )
    return candidates[0]


def compile_rule(spec: RuleSpec, source: str, types: Mapping[str, Sequence[str]] | None = None) -> Check:
    """The registered-check form of ``spec`` (ConfigError on an unknown type or field)."""
    where = f"rules file {source}: rule {spec.id!r}"
    collector_id = _collector_for(spec, where, types if types is not None else model_types())
    model = _model_class(collector_id)
    condition = spec.fail_if if spec.fail_if is not None else spec.pass_if
    assert condition is not None  # guaranteed by RuleSpec's validator
    if model is not None:
        for path in _fields(condition):
            head = path.split(".", 1)[0]
            if not _has_attribute(model, head):
                raise ConfigError(f"{where}: field {path!r}: {model.__name__} has no field {head!r}")
    prose = CheckProse(
        title=spec.title,
        risk=spec.rationale,
        remediation=spec.remediation,
        remediation_cli=spec.remediation_cli,
        references=spec.references or (f"file://{source}",),
    )
    return Check(
        id=spec.id,
        service=COLLECTORS.get(collector_id).service,
        resource_type=spec.resource_type,
        severity=Severity.parse(spec.severity),
        collectors=(collector_id,),
        function=CompiledRule(spec, source),
        module=__name__,
        inline_prose=prose,
    )


def _location(error: Mapping[str, Any]) -> str:
    return ".".join(str(part) for part in error.get("loc", ())) or "(top level)"


def parse_rules_file(path: Path) -> list[RuleSpec]:
    """The rules in one file (ConfigError naming the file and the offending field)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"rules file {path}: cannot read it: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"rules file {path}: not valid YAML: {exc}") from exc
    try:
        return RulesFile.model_validate(raw).rules
    except ValidationError as exc:
        problems = "; ".join(f"field {_location(e)}: {e['msg']}" for e in exc.errors()[:3])
        raise ConfigError(f"rules file {path}: {problems}") from exc


def rule_files(directory: Path) -> list[Path]:
    """The rules files of a directory, sorted (ConfigError when it is not a directory)."""
    if not directory.is_dir():
        raise ConfigError(f"--rules-dir {directory}: not a directory")
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in RULE_FILE_SUFFIXES)


def load_rules_dirs(directories: Iterable[Path]) -> list[Check]:
    """Compile every rule of every directory and register it; returns the new checks.

    A rule id that is already a built-in check, or appears twice, is a ConfigError. Loading the
    same rule again (a second scan in one process) replaces the earlier compilation.
    """
    CHECKS.load()
    types = model_types()
    compiled: dict[str, Check] = {}
    for directory in directories:
        for path in rule_files(Path(directory)):
            for spec in parse_rules_file(path):
                if spec.id in compiled:
                    raise ConfigError(f"rules file {path}: rule {spec.id!r} is defined twice")
                compiled[spec.id] = compile_rule(spec, str(path), types)
    for check_id, item in compiled.items():
        if check_id in CHECKS:
            existing = CHECKS.get(check_id)
            if existing.module != __name__:
                raise ConfigError(
                    f"rules file {item.function.source}: rule {check_id!r} has the id of a built-in check"  # type: ignore[attr-defined]
                )
            CHECKS.remove(check_id)
        CHECKS.add(item)
    return list(compiled.values())


__all__ = [
    "AllOf",
    "AnyOf",
    "CompiledRule",
    "Condition",
    "FieldTest",
    "NotOf",
    "RuleSpec",
    "RulesFile",
    "compile_rule",
    "holds",
    "load_rules_dirs",
    "model_types",
    "parse_rules_file",
    "render_message",
    "resolve",
    "rule_files",
]
