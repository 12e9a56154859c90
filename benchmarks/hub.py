"""Benchmark of the findings store: recording and querying runs of 10,000 findings.

Prints seconds and findings/s for each step on SQLite (a temporary file) and, when reachable, the
local PostgreSQL (a throw-away schema). The baseline, measured in the same process, is building and
serialising the same findings to OCSF JSON, the part of recording that is not database work.

    .venv/bin/python benchmarks/hub.py [--count 10000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from soryoku.core.finding import Finding, Resource, ResultStatus, compliance_finding
from soryoku.core.result import ScanResult
from soryoku.core.severity import Severity
from soryoku.hub.store import open_store

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
T = TypeVar("T")


def build(count: int, fail_every: int = 1) -> list[Finding]:
    """``count`` Compliance Findings over distinct buckets; every ``fail_every``-th one FAILs."""
    return [
        compliance_finding(
            check_id=f"bench_check_{i % 50}",
            title="benchmark finding",
            status=ResultStatus.FAIL if i % fail_every == 0 else ResultStatus.PASS,
            severity=Severity(1 + i % 5),
            resource=Resource(uid=f"arn:aws:s3:::bench-bucket-{i}", type="AwsS3Bucket", region="eu-west-1"),
            standards=["CIS AWS Foundations"],
            requirements=["CIS 2.1.1"],
            remediation="Do the right thing.",
            account_id="123456789012",
        )
        for i in range(count)
    ]


def timed(label: str, count: int, func: Callable[[], T]) -> T:
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    print(f"  {label:<44} {elapsed:7.3f} s  {count / elapsed:>10,.0f} findings/s")
    return value


def bench(db: str, count: int, baseline: float) -> None:
    first, second = build(count), build(count, fail_every=2)
    with open_store(db) as store:
        start = time.perf_counter()
        timed(
            f"record run 1 ({count:,} new FAILs)",
            count,
            lambda: store.record(ScanResult("posture", "acct", first)),
        )
        elapsed = time.perf_counter() - start
        print(f"  {'  ratio to the JSON baseline':<44} {elapsed / baseline:7.1f} x")
        summary = timed(
            f"record run 2 ({count // 2:,} resolved by PASS)",
            count,
            lambda: store.record(ScanResult("posture", "acct", second)),
        )
        assert len(summary.resolved) == count // 2
        timed("current_findings (open)", count // 2, store.current_findings)
        timed("run_findings (run 2)", count, lambda: store.run_findings(summary.run_id))
        runs = store.runs(limit=2)
        diff = timed("diff run 1 → run 2", count, lambda: store.diff(runs[1].run_id, runs[0].run_id))
        assert len(diff.resolved) == count // 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    count = parser.parse_args().count
    findings = build(count)
    start = time.perf_counter()
    for finding in findings:
        finding.model_dump_json(exclude_none=True)
    baseline = time.perf_counter() - start
    print(f"baseline: serialise {count:,} findings to OCSF JSON: {baseline:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite file:")
        bench(str(Path(tmp) / "bench.db"), count, baseline)
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
            schema = f"soryoku_bench_{uuid.uuid4().hex[:8]}"
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:  # the benchmark still reports SQLite without PostgreSQL
        print(f"PostgreSQL skipped: {exc}")
        return
    try:
        print("PostgreSQL:")
        bench(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", count, baseline)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
