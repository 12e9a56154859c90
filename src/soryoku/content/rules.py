"""Rule files and folders: discovery, a content hash, compilation with failures reported, caching.

Rules compile once per rule content: the compiled form is kept in memory and saved in a cache
folder keyed by the SHA-256 of every file's namespace and bytes (plus the engine version), so a
Lambda cold start or a second CLI run only loads it. A file that fails to compile is reported
(``RuleFailure``) and left out; the rest still compile.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soryoku.core.errors import ConfigError

EXTERNALS = ("filename", "filepath", "extension", "filetype", "owner")
RULE_SUFFIXES = frozenset({".yar", ".yara"})


@dataclass(frozen=True, slots=True)
class RuleFile:
    """One rule file and the namespace its rules live in (names repeat across files in some sets)."""

    namespace: str
    path: Path


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rule files of a scan and the digest of their content (the rules version)."""

    files: tuple[RuleFile, ...]
    digest: str

    @property
    def version(self) -> str:
        """A short, stable rules version for tags and audit lines."""
        return self.digest[:12]


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """A rule file that did not compile, and the compiler's message."""

    namespace: str
    path: str
    error: str


def default_rules_dir() -> Path:
    """The rule set shipped in the package (EICAR and a few permissively licensed rules)."""
    return Path(__file__).parent / "data" / "rules"


def collect_rules(paths: Sequence[Path]) -> RuleSet:
    """The ``.yar``/``.yara`` files under ``paths`` (files or folders), one namespace per file."""
    files: list[RuleFile] = []
    seen: set[str] = set()
    for root in paths:
        if root.is_file():
            candidates = [(root.name, root)]
        elif root.is_dir():
            candidates = [
                (f"{root.name}/{p.relative_to(root).as_posix()}", p)
                for p in sorted(root.rglob("*"))
                if p.is_file() and p.suffix.lower() in RULE_SUFFIXES
            ]
        else:
            raise ConfigError(f"--rules {str(root)!r}: no such file or folder, expected YARA rules")
        for namespace, path in candidates:
            unique, n = namespace, 1
            while unique in seen:
                n += 1
                unique = f"{namespace}#{n}"
            seen.add(unique)
            files.append(RuleFile(namespace=unique, path=path))
    if not files:
        joined = ", ".join(str(p) for p in paths)
        raise ConfigError(f"--rules {joined!r}: no .yar/.yara files found")
    digest = hashlib.sha256()
    for rule_file in files:
        digest.update(rule_file.namespace.encode() + b"\x00")
        digest.update(rule_file.path.read_bytes() + b"\x00")
    return RuleSet(files=tuple(files), digest=digest.hexdigest())


def cache_dir() -> Path | None:
    """Where compiled rules are kept: $SORYOKU_CACHE_DIR, else the user cache (None if unwritable)."""
    configured = os.environ.get("SORYOKU_CACHE_DIR")
    if configured:
        base = Path(configured)
    else:
        import platformdirs

        base = Path(platformdirs.user_cache_dir("soryoku"))
    folder = base / "content"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def _save_atomic(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class CompiledRules:
    """Compiled rules of one engine, with what failed and how many rules there are."""

    engine: str
    rules: Any
    ruleset: RuleSet
    failures: tuple[RuleFailure, ...]
    count: int
    from_cache: bool


_MEMO: dict[str, CompiledRules] = {}
_MEMO_LOCK = threading.Lock()


def compile_yara(ruleset: RuleSet, *, use_cache: bool = True) -> CompiledRules:
    """Compile ``ruleset`` with yara-python (or load it from the cache)."""
    import yara

    key = f"yara-{yara.__version__}-{ruleset.digest}"
    with _MEMO_LOCK:
        if use_cache and key in _MEMO:
            return _MEMO[key]
    folder = cache_dir() if use_cache else None
    if folder is not None and (folder / f"{key}.yarc").is_file():
        try:
            rules = yara.load(str(folder / f"{key}.yarc"))
            info = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
            compiled = CompiledRules(
                engine="yara",
                rules=rules,
                ruleset=ruleset,
                failures=tuple(RuleFailure(**f) for f in info["failures"]),
                count=int(info["count"]),
                from_cache=True,
            )
        except (yara.Error, OSError, ValueError, KeyError):
            compiled = None  # a damaged cache entry is rebuilt below
        if compiled is not None:
            with _MEMO_LOCK:
                _MEMO[key] = compiled
            return compiled
    externals = dict.fromkeys(EXTERNALS, "")
    sources = {f.namespace: str(f.path) for f in ruleset.files}
    failures: list[RuleFailure] = []
    try:
        rules = yara.compile(filepaths=sources, externals=externals)
    except yara.Error:
        good: dict[str, str] = {}
        for rule_file in ruleset.files:
            try:
                yara.compile(filepath=str(rule_file.path), externals=externals)
            except yara.Error as exc:
                failures.append(RuleFailure(rule_file.namespace, str(rule_file.path), str(exc)))
            else:
                good[rule_file.namespace] = str(rule_file.path)
        if not good:
            raise ConfigError(
                f"rules: none of the {len(sources)} rule files compiled (first error: {failures[0].error})"
            ) from None
        rules = yara.compile(filepaths=good, externals=externals)
    count = sum(1 for _ in rules)
    compiled = CompiledRules("yara", rules, ruleset, tuple(failures), count, from_cache=False)
    if folder is not None:
        with contextlib.suppress(OSError):  # the cache is an optimisation; scanning goes on without it
            _save_atomic(folder / f"{key}.yarc", rules.save)
            info = {"count": count, "failures": [_failure(f) for f in failures]}
            _save_atomic(folder / f"{key}.json", lambda tmp: Path(tmp).write_text(json.dumps(info)))
    if use_cache:
        with _MEMO_LOCK:
            _MEMO[key] = compiled
    return compiled


def _failure(failure: RuleFailure) -> dict[str, str]:
    return {"namespace": failure.namespace, "path": failure.path, "error": failure.error}


def compile_yarax(ruleset: RuleSet, *, use_cache: bool = True) -> CompiledRules:
    """Compile ``ruleset`` with YARA-X (or load it from the cache); each failing file is reported."""
    try:
        import yara_x
    except ImportError as exc:
        raise ConfigError(
            "engine 'yarax': the yara-x package is not installed (pip install soryoku[yarax])"
        ) from exc

    key = f"yarax-{getattr(yara_x, '__version__', 'x')}-{ruleset.digest}"
    with _MEMO_LOCK:
        if use_cache and key in _MEMO:
            return _MEMO[key]
    folder = cache_dir() if use_cache else None
    if folder is not None and (folder / f"{key}.yrx").is_file():
        try:
            with (folder / f"{key}.yrx").open("rb") as stream:
                rules = yara_x.Rules.deserialize_from(stream)
            info = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
            compiled: CompiledRules | None = CompiledRules(
                "yarax",
                rules,
                ruleset,
                tuple(RuleFailure(**f) for f in info["failures"]),
                int(info["count"]),
                True,
            )
        except (OSError, ValueError, KeyError):
            compiled = None
        if compiled is not None:
            with _MEMO_LOCK:
                _MEMO[key] = compiled
            return compiled
    failures: list[RuleFailure] = []
    good = 0
    compiler = yara_x.Compiler(relaxed_re_syntax=True)
    for name in EXTERNALS:
        compiler.define_global(name, "")
    for rule_file in ruleset.files:
        compiler.new_namespace(rule_file.namespace)
        try:
            compiler.add_source(
                rule_file.path.read_text(encoding="utf-8", errors="replace"), origin=str(rule_file.path)
            )
        except yara_x.CompileError as exc:
            failures.append(RuleFailure(rule_file.namespace, str(rule_file.path), str(exc).splitlines()[0]))
        else:
            good += 1
    if not good:
        raise ConfigError(f"rules: none of the {len(ruleset.files)} rule files compiled with yara-x")
    rules = compiler.build()
    count = sum(1 for _ in _yarax_rule_names(rules))
    compiled = CompiledRules("yarax", rules, ruleset, tuple(failures), count, from_cache=False)
    if folder is not None:
        with contextlib.suppress(OSError):

            def write(tmp: str) -> None:
                with Path(tmp).open("wb") as stream:
                    rules.serialize_into(stream)

            _save_atomic(folder / f"{key}.yrx", write)
            info = {"count": count, "failures": [_failure(f) for f in failures]}
            _save_atomic(folder / f"{key}.json", lambda tmp: Path(tmp).write_text(json.dumps(info)))
    if use_cache:
        with _MEMO_LOCK:
            _MEMO[key] = compiled
    return compiled


def _yarax_rule_names(rules: Any) -> list[str]:
    try:
        return [str(rule) for rule in rules]
    except TypeError:
        return []


__all__ = [
    "EXTERNALS",
    "CompiledRules",
    "RuleFailure",
    "RuleFile",
    "RuleSet",
    "cache_dir",
    "collect_rules",
    "compile_yara",
    "compile_yarax",
    "default_rules_dir",
]
