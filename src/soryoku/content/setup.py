"""Building a Scanner from settings: which engines, which rules, which limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from soryoku.content.engines.base import ContentEngine, EngineError
from soryoku.content.filetype import TypePolicy
from soryoku.content.rules import RuleFailure, collect_rules, compile_yara, compile_yarax, default_rules_dir
from soryoku.content.scanner import Scanner
from soryoku.content.verdict import Limits
from soryoku.core.errors import ConfigError

YARA_ENGINES = ("yara", "yarax", "none")


@dataclass(frozen=True, slots=True)
class ScannerSettings:
    """What to scan with. ``rules`` empty means the rule set shipped in the package."""

    rules: tuple[Path, ...] = ()
    include_default_rules: bool = True
    yara_engine: str = "yara"
    hash_lists: tuple[Path, ...] = ()
    clamd: str | None = None
    limits: Limits = field(default_factory=Limits)
    type_policy: TypePolicy | None = field(default_factory=TypePolicy)
    use_cache: bool = True


@dataclass(frozen=True, slots=True)
class BuiltScanner:
    """A scanner plus what went wrong building it (rule files that did not compile)."""

    scanner: Scanner
    failures: tuple[RuleFailure, ...]
    rules_version: str
    rule_count: int


def build_scanner(settings: ScannerSettings) -> BuiltScanner:
    """Compile (or load cached) rules and set up every configured engine; ConfigError on bad input."""
    if settings.yara_engine not in YARA_ENGINES:
        raise ConfigError(f"--engine {settings.yara_engine!r}: expected one of {', '.join(YARA_ENGINES)}")
    engines: list[ContentEngine] = []
    failures: tuple[RuleFailure, ...] = ()
    rules_version = "none"
    count = 0
    if settings.yara_engine != "none":
        paths = list(settings.rules)
        if settings.include_default_rules or not paths:
            paths.insert(0, default_rules_dir())
        ruleset = collect_rules(paths)
        if settings.yara_engine == "yara":
            from soryoku.content.engines.yara_engine import YaraEngine

            compiled = compile_yara(ruleset, use_cache=settings.use_cache)
            engines.append(YaraEngine(compiled))
        else:
            from soryoku.content.engines.yarax_engine import YaraXEngine

            compiled = compile_yarax(ruleset, use_cache=settings.use_cache)
            engines.append(YaraXEngine(compiled))
        failures = compiled.failures
        rules_version = ruleset.version
        count = compiled.count
    if settings.hash_lists:
        from soryoku.content.engines.hashlist import HashListEngine

        engines.append(HashListEngine.from_files(list(settings.hash_lists)))
    if settings.clamd:
        from soryoku.content.engines.clamd import ClamdEngine

        clamd = ClamdEngine(settings.clamd)
        try:
            clamd.probe()
        except EngineError as exc:
            raise ConfigError(f"--clamd {settings.clamd!r}: {exc}") from exc
        engines.append(clamd)
    if not engines:
        raise ConfigError("no engine configured: use YARA rules, --hash-list or --clamd")
    scanner = Scanner(engines, limits=settings.limits, type_policy=settings.type_policy)
    return BuiltScanner(scanner=scanner, failures=failures, rules_version=rules_version, rule_count=count)


def rule_paths(values: Sequence[str]) -> tuple[Path, ...]:
    """``--rules`` values as paths."""
    return tuple(Path(v).expanduser() for v in values)


__all__ = ["YARA_ENGINES", "BuiltScanner", "ScannerSettings", "build_scanner", "rule_paths"]
