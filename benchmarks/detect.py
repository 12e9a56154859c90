"""Benchmark of the detect engine: first pass over raw CloudTrail files, re-run over the store.

    python benchmarks/detect.py [EVENTS] [--workdir DIR] [--keep] [--sigma-dir DIR]

With --workdir, logs generated there by an earlier run are reused (the store is rebuilt).

Generates EVENTS CloudTrail events (default 5,000,000) as a trail delivers them (gzip JSON
``{"Records": [...]}`` in the ``AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`` layout), then
measures, each phase in its own process so peak memory is its own:

* first pass: read + normalise into Parquet + every built-in rule (events/s, peak RSS);
* re-run: every rule over the normalised store (events/s, peak RSS);
* baselines in the same run, as ratios: gunzip + stdlib ``json`` on the same files, and Sigma
  rules (``--sigma-dir``, e.g. SigmaHQ's ``rules/cloud/aws``; default: the project's test rules)
  over a sample of the same files, run the common open way (pySigma's SQLite backend) and by
  soryoku, with both runs' events/s and per-rule alert counts (``sigma_baseline.py``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import sigma_baseline

EVENTS_PER_FILE = 5_000
_REGIONS = ("us-east-1", "eu-west-1", "ap-northeast-1")
# A realistic mix: mostly reads, some routine writes, very few sensitive changes.
_READS = (
    ("ec2", "DescribeInstances"),
    ("s3", "ListBuckets"),
    ("iam", "ListRoles"),
    ("sts", "GetCallerIdentity"),
    ("kms", "Decrypt"),
    ("secretsmanager", "GetSecretValue"),
    ("ssm", "GetParameter"),
    ("sts", "AssumeRole"),
    ("cloudformation", "DescribeStacks"),
    ("logs", "DescribeLogGroups"),
    ("ec2", "DescribeSecurityGroups"),
    ("lambda", "ListFunctions20150331"),
)
_WRITES = (
    ("logs", "CreateLogStream"),
    ("lambda", "UpdateFunctionCode20150331v2"),
    ("cloudwatch", "PutMetricData"),
    ("ssm", "PutParameter"),
    ("ec2", "CreateTags"),
)
_SENSITIVE = (
    ("ec2", "RunInstances"), ("cloudtrail", "StopLogging"), ("iam", "CreateAccessKey"),
    ("s3", "PutBucketPolicy"),
)  # fmt: skip


def _event(rng: random.Random, n: int, when: datetime, account: str, region: str) -> dict[str, Any]:
    user = rng.randrange(500)
    draw = rng.random()
    calls = _READS if draw < 0.97 else _WRITES if draw < 0.999 else _SENSITIVE
    source, name = calls[rng.randrange(len(calls))]
    identity = {
        "type": "IAMUser",
        "principalId": f"AIDA{user:016d}",
        "arn": f"arn:aws:iam::{account}:user/u{user}",
        "accountId": account,
        "accessKeyId": f"AKIA{user:016d}",
        "userName": f"u{user}",
        "sessionContext": {
            "attributes": {"mfaAuthenticated": "false", "creationDate": "2024-05-01T00:00:00Z"}
        },
    }
    filters = {"items": [{"name": "tag:team", "valueSet": {"items": [{"value": f"team-{user % 17}"}]}}]}
    return {
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": f"{source}.amazonaws.com",
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": f"203.0.{user % 200}.{n % 250}",
        "userAgent": "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 prompt/off command/ec2",
        "requestParameters": {"instancesSet": {}, "filterSet": filters, "maxResults": 1000},
        "responseElements": None,
        "requestID": f"{n:08x}-1111-2222-3333-{n:012x}",
        "eventID": f"{n:08x}-aaaa-4bbb-8ccc-{n:012x}",
        "readOnly": name.startswith(("Describe", "List", "Get")),
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
        "tlsDetails": {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": f"{source}.{region}.amazonaws.com",
        },
        "errorCode": "AccessDenied" if rng.random() < 0.01 else None,
    }


def generate(events: int, root: Path) -> int:
    """Write ``events`` CloudTrail events under ``root``; returns the number of files."""
    rng = random.Random(7)
    encoder = msgspec.json.Encoder()
    start = datetime(2024, 5, 1)
    files = 0
    for first in range(0, events, EVENTS_PER_FILE):
        count = min(EVENTS_PER_FILE, events - first)
        account = f"{111111111111 + files % 4}"
        region = _REGIONS[files % len(_REGIONS)]
        when = start + timedelta(minutes=5 * (files // 12))
        records = [
            _event(rng, first + i, when + timedelta(milliseconds=i * 50), account, region)
            for i in range(count)
        ]
        folder = root / f"AWSLogs/{account}/CloudTrail/{region}/{when:%Y/%m/%d}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{account}_CloudTrail_{region}_{when:%Y%m%dT%H%MZ}_{files:08d}.json.gz"
        (folder / name).write_bytes(gzip.compress(encoder.encode({"Records": records}), compresslevel=6))
        files += 1
    return files


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process, all threads (steadier than wall time on a shared machine)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase_first(logs: Path, store: Path) -> dict[str, Any]:
    """Read + normalise + every rule."""
    from soryoku.detect.database import DetectContext
    from soryoku.detect.engine import detect
    from soryoku.detect.sources import IngestState, LogStore

    started = time.perf_counter()
    result, report = detect(
        str(logs), LogStore(store), DetectContext(), state=IngestState(store / "state.json")
    )
    took = time.perf_counter() - started
    return {
        "events": report.total_records,
        "seconds": took,
        "findings": len(result.findings),
        "peak_mb": _peak_mb(),
    }


def phase_ingest(logs: Path, store: Path) -> dict[str, Any]:
    """Read + normalise only."""
    from soryoku.detect.sources import LogStore, ingest, list_local

    started = time.perf_counter()
    report = ingest(list_local(logs), LogStore(store), None, str(logs))
    return {"events": report.total_records, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def phase_rerun(store: Path) -> dict[str, Any]:
    """Every rule over the normalised store."""
    import duckdb

    from soryoku.detect.database import DetectContext
    from soryoku.detect.engine import evaluate
    from soryoku.detect.sources import LogStore

    glob = LogStore(store).glob("cloudtrail")
    events = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchone()[0]
    started = time.perf_counter()
    outcomes = evaluate(LogStore(store), DetectContext())
    took = time.perf_counter() - started
    groups = sum(len(o.groups) for o in outcomes)
    return {
        "events": events,
        "seconds": took,
        "findings": groups,
        "rules": len(outcomes),
        "peak_mb": _peak_mb(),
    }


def phase_stdlib(logs: Path, limit: int) -> dict[str, Any]:
    """Baseline: gunzip + stdlib json over the first ``limit`` events' files."""
    started = time.perf_counter()
    events = 0
    for path in sorted(logs.rglob("*.json.gz")):
        events += len(json.loads(gzip.decompress(path.read_bytes()))["Records"])
        if events >= limit:
            break
    return {"events": events, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def _folders(given: list[str]) -> list[Path]:
    return [Path(g) for g in given] or list(sigma_baseline.DEFAULT_RULES)


def _child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _rate(result: dict[str, Any]) -> float:
    return float(result["events"]) / float(result["seconds"]) if result.get("seconds") else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("events", nargs="?", type=int, default=5_000_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--sigma-dir")
    parser.add_argument("--baseline-events", type=int, default=200_000)
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        phases = {
            "first": lambda: phase_first(Path(rest[0]), Path(rest[1])),
            "ingest": lambda: phase_ingest(Path(rest[0]), Path(rest[1])),
            "rerun": lambda: phase_rerun(Path(rest[0])),
            "stdlib": lambda: phase_stdlib(Path(rest[0]), int(rest[1])),
            "sigma": lambda: sigma_baseline.phase_sqlite(Path(rest[0]), int(rest[1]), _folders(rest[2:])),
            "sigma-soryoku": lambda: sigma_baseline.phase_soryoku(
                Path(rest[0]), int(rest[1]), _folders(rest[2:])
            ),
        }
        cpu = _cpu()
        result = phases[name]()
        result.setdefault("cpu", _cpu() - cpu)  # a phase may time only its measured part
        print(json.dumps(result))
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="soryoku-detect-bench-"))
    logs, store = work / "logs", work / "store"
    started = time.perf_counter()
    marker = work / f"generated-{args.events}"
    if marker.exists():
        files = sum(1 for _ in logs.rglob("*.gz"))
    else:
        shutil.rmtree(logs, ignore_errors=True)
        files = generate(args.events, logs)
        marker.touch()
    shutil.rmtree(store, ignore_errors=True)
    size = sum(p.stat().st_size for p in logs.rglob("*.gz"))
    print(f"generated {args.events:,} events in {files:,} files ({size / 1e6:.0f} MB gzip) "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    sample = min(args.baseline_events, args.events)
    stdlib = _child(["stdlib", str(logs), str(sample)])
    first = _child(["first", str(logs), str(store)])
    rerun = _child(["rerun", str(store)])
    sigma_args = [str(logs), str(min(sample, 100_000)), *([args.sigma_dir] if args.sigma_dir else [])]
    sigma = _child(["sigma", *sigma_args])
    sigma_soryoku = _child(["sigma-soryoku", *sigma_args])
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"load average at the end: {load} (2-core machine shared with other jobs)")
    print(f"{'phase':<44}{'events':>12}{'seconds':>10}{'events/s':>14}{'ev/CPU-s':>12}{'peak MB':>10}")
    rows = [
        ("baseline: gunzip + stdlib json (parse only)", stdlib),
        ("first pass: read + normalise + all rules", first),
        ("re-run: all rules over the Parquet store", rerun),
        ("Sigma rules via pySigma SQLite backend", sigma),
        ("Sigma rules via soryoku (normalise + rules)", sigma_soryoku),
    ]
    for label, result in rows:
        if "error" in result:
            print(f"{label:<44}  not run: {result['error']}")
            continue
        per_cpu = result["events"] / result["cpu"] if result.get("cpu") else 0.0
        print(f"{label:<44}{result['events']:>12,}{result['seconds']:>10.1f}{_rate(result):>14,.0f}"
              f"{per_cpu:>12,.0f}{result['peak_mb']:>10.0f}")  # fmt: skip
    if "error" not in first and "error" not in stdlib:
        print(f"first pass is {_rate(first) / _rate(stdlib):.1f}x gunzip+json alone")
    if "error" not in rerun and "error" not in first:
        print(f"re-run is {_rate(rerun) / _rate(first):.1f}x the first pass; rules: {rerun.get('rules')}")
    if "error" not in sigma and "error" not in sigma_soryoku:
        print(f"Sigma rules: soryoku is {_rate(sigma_soryoku) / _rate(sigma):.1f}x pySigma's SQLite backend "
              "on the same files")  # fmt: skip
        print("\n".join(sigma_baseline.comparison(sigma, sigma_soryoku)))
    if not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
