"""Sigma comparison for benchmarks/detect.py: the same Sigma rules over the same CloudTrail files, run

* the common open way: pySigma's SQLite backend (``pysigma-backend-sqlite``, case-insensitive as
  Sigma specifies: ``collate_nocase``), each record flattened into a ``logs`` table (dotted columns
  as the backend names them, plus each nested object as JSON text), every rule's query executed;
* through soryoku: the files normalised into the Parquet store and the rules compiled by soryoku's
  own pySigma backend, run by the engine.

Both phases start from the gzip files and end with per-rule match counts, so the figures are end
to end (read + load/normalise + rules) and the counts can be compared rule by rule.

    python benchmarks/sigma_baseline.py LOGS [--sigma-dir DIR] [--events N]

Without --sigma-dir, the project's own test rules are used; SigmaHQ's AWS rules are a checkout's
``rules/cloud/aws`` folder.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RULES = (ROOT / "tests/detect/sigma", ROOT / "tests/detect/sigma_constructs")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process, all threads (steadier than wall time on a shared machine)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rule_files(folders: list[Path]) -> list[Path]:
    """Every Sigma YAML file under the folders, in name order."""
    return sorted(p for folder in folders for p in [*folder.rglob("*.yml"), *folder.rglob("*.yaml")])


def sample_files(logs: Path, limit: int) -> list[Path]:
    """The CloudTrail files (in key order) holding the first ``limit`` events, give or take one file."""
    files: list[Path] = []
    events = 0
    for path in sorted(logs.rglob("*.json.gz")):
        files.append(path)
        events += len(json.loads(gzip.decompress(path.read_bytes()))["Records"])
        if events >= limit:
            break
    return files


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` → ``{"a": '{"b": 1}', "a.b": 1}`` (lists and objects also as JSON text)."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat[name] = json.dumps(value)
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = json.dumps(value)
        elif isinstance(value, bool):
            flat[name] = "true" if value else "false"
        else:
            flat[name] = value
    return flat


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _regexp(pattern: str, value: Any) -> bool:
    return value is not None and re.search(pattern, str(value)) is not None


def phase_sqlite(logs: Path, limit: int, folders: list[Path]) -> dict[str, Any]:
    """pySigma's SQLite backend: load the sample into SQLite, run every rule's query, count matches."""
    from sigma.backends.sqlite import sqliteBackend
    from sigma.collection import SigmaCollection
    from sigma.rule import SigmaRule

    backend = sqliteBackend(collate_nocase=True)
    queries: dict[str, tuple[str, list[str]]] = {}
    failed: dict[str, str] = {}
    required: set[str] = set()
    for path in rule_files(folders):
        for rule in SigmaCollection.from_yaml(path.read_text(encoding="utf-8"), collect_errors=True).rules:
            source = getattr(rule, "logsource", None)
            if not isinstance(rule, SigmaRule) or source is None:
                continue
            if (source.product, source.service) != ("aws", "cloudtrail"):
                continue
            try:
                queries[str(rule.id)] = (rule.title, backend.convert_rule(rule))
                required.update(backend.required_fields(rule))
            except Exception as error:  # pySigma raises many types for what a backend lacks
                failed[str(rule.id)] = f"{rule.title}: {str(error).splitlines()[0][:160]}"
    files = sample_files(logs, limit)
    started, cpu = time.perf_counter(), _cpu()
    con = sqlite3.connect(":memory:")
    con.create_function("regexp", 2, _regexp, deterministic=True)
    columns: list[str] = sorted(required)
    con.execute(f"CREATE TABLE logs ({', '.join(map(_quote, columns))})")
    known = set(columns)
    events = 0
    for path in files:
        rows = [_flatten(r) for r in json.loads(gzip.decompress(path.read_bytes()))["Records"]]
        for key in sorted({k for row in rows for k in row} - known):
            con.execute(f"ALTER TABLE logs ADD COLUMN {_quote(key)}")
            columns.append(key)
            known.add(key)
        marks = ", ".join("?" for _ in columns)
        names = ", ".join(map(_quote, columns))
        con.executemany(
            f"INSERT INTO logs ({names}) VALUES ({marks})", [[row.get(c) for c in columns] for row in rows]
        )
        events += len(rows)
    loaded = time.perf_counter() - started
    counts: dict[str, int] = {}
    for rule_id, (title, texts) in queries.items():
        try:
            counts[rule_id] = sum(len(con.execute(text).fetchall()) for text in texts)
        except sqlite3.Error as error:
            failed[rule_id] = f"{title}: {error}"
    return {
        "events": events,
        "seconds": time.perf_counter() - started,
        "cpu": _cpu() - cpu,
        "load_seconds": loaded,
        "counts": counts,
        "failed": failed,
        "peak_mb": _peak_mb(),
    }


def phase_soryoku(logs: Path, limit: int, folders: list[Path]) -> dict[str, Any]:
    """soryoku: normalise the same files into a Parquet store, run the rules its backend compiled."""
    from soryoku.detect.database import DetectContext
    from soryoku.detect.engine import evaluate
    from soryoku.detect.sigma import load_sigma_dir
    from soryoku.detect.sources import LogStore, ingest
    from soryoku.detect.sources.locations import LogObject

    rules = []
    failed: dict[str, str] = {}
    for folder in folders:
        found, problems = load_sigma_dir(folder)
        rules += found
        failed.update({f"{p.location}#{i}": p.reason for i, p in enumerate(problems) if p.applicable})
    files = sample_files(logs, limit)
    with tempfile.TemporaryDirectory(prefix="soryoku-sigma-") as work:
        started, cpu = time.perf_counter(), _cpu()
        objects = [
            LogObject(p.relative_to(logs).as_posix(), p.stat().st_size, "1", p.read_bytes) for p in files
        ]
        store = LogStore(Path(work))
        report = ingest(objects, store, None, str(logs), rules=rules)
        loaded = time.perf_counter() - started
        outcomes = evaluate(store, DetectContext(), rules)
        took, cpu = time.perf_counter() - started, _cpu() - cpu
    counts = {o.rule.id.removeprefix("sigma_"): sum(g.count for g in o.groups) for o in outcomes if not o.gap}
    failed.update({o.rule.id: o.gap.reason for o in outcomes if o.gap})
    return {
        "events": report.total_records,
        "seconds": took,
        "cpu": cpu,
        "load_seconds": loaded,
        "counts": counts,
        "failed": failed,
        "peak_mb": _peak_mb(),
    }


def comparison(sqlite: dict[str, Any], soryoku: dict[str, Any]) -> list[str]:
    """Lines comparing the two runs: rules each ran, alert counts, where they differ."""
    a, b = sqlite["counts"], soryoku["counts"]
    both = sorted(set(a) & set(b))
    agree = [r for r in both if a[r] == b[r]]
    lines = [
        f"Sigma rules run: pySigma SQLite {len(a)} (not run: {len(sqlite['failed'])}), "
        f"soryoku {len(b)} (not compiled: {len(soryoku['failed'])})",
        f"alerts: pySigma SQLite {sum(a.values()):,}, soryoku {sum(b.values()):,}; "
        f"rules run by both: {len(both)}, same alert count: {len(agree)}/{len(both)}",
    ]
    lines += [f"  differs: {r}: SQLite {a[r]:,} vs soryoku {b[r]:,}" for r in both if a[r] != b[r]]
    lines += [f"  only SQLite ran {r} ({a[r]:,} alerts)" for r in sorted(set(a) - set(b))]
    lines += [f"  only soryoku ran {r} ({b[r]:,} alerts)" for r in sorted(set(b) - set(a))]
    lines += [f"  SQLite did not run: {reason}" for reason in sorted(sqlite["failed"].values())]
    lines += [f"  soryoku did not compile: {reason}" for reason in sorted(soryoku["failed"].values())]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("logs", type=Path)
    parser.add_argument("--sigma-dir", type=Path, action="append")
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    folders = args.sigma_dir or list(DEFAULT_RULES)
    sqlite = phase_sqlite(args.logs, args.events, folders)
    soryoku = phase_soryoku(args.logs, args.events, folders)
    for label, result in (("pySigma SQLite", sqlite), ("soryoku", soryoku)):
        rate, per_cpu = result["events"] / result["seconds"], result["events"] / result["cpu"]
        print(f"{label:<16}{result['events']:>10,} events {result['seconds']:>7.1f} s {rate:>10,.0f} ev/s "
              f"{per_cpu:>10,.0f} ev/CPU-s (load/normalise {result['load_seconds']:.1f} s)")  # fmt: skip
    print("\n".join(comparison(sqlite, soryoku)))


if __name__ == "__main__":
    main()
