"""Content scanner benchmark: soryoku's scanner against the raw engines over one generated corpus.

Generates a mixed corpus (binaries, text, documents, archives) of ``--size-mb`` (default 500 MB),
then scans it, one core, with the same rules (timed in CPU seconds, the best of ``--repeat``
interleaved runs, so other jobs on a shared machine disturb the figures less), with:

* raw yara-python (``Rules.match(filepath=…)`` per file) — the baseline;
* raw YARA-X (``Scanner.scan_file`` per file);
* soryoku's scanner, archives not expanded (``max_depth=0``): the same work as the raw engines, so
  the difference is soryoku's own overhead (spooling, hashing, magic, verdicts);
* soryoku's scanner with archive walking (the real workload: more bytes scanned);
* the ``yara`` command-line tool and ``clamscan`` when installed (clamscan with a tiny EICAR
  signature database: it measures ClamAV's unpacking/scanning, not the same rules).

It also measures the Lambda cold path: importing the handler and loading the rules, with and
without the compiled-rules cache. Usage::

    python benchmarks/content.py [--size-mb 500] [--rules DIR ...] [--corpus DIR] [--keep]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

SHARED_RULES = Path(__file__).resolve().parents[2] / "shared" / "rules"
MB = 1024 * 1024

WORDS = [
    "invoice",
    "order",
    "customer",
    "payment",
    "account",
    "report",
    "quarterly",
    "revenue",
    "shipment",
    "delivery",
    "address",
    "function",
    "return",
    "value",
    "config",
    "server",
    "request",
    "response",
    "token",
    "session",
    "user",
    "admin",
    "password",
    "document",
    "section",
    "table",
    "figure",
    "summary",
    "analysis",
    "growth",
    "market",
    "product",
    "service",
    "update",
]


def _text(rng: random.Random, size: int) -> bytes:
    block = " ".join(rng.choice(WORDS) for _ in range(4000)).encode() + b"\n"
    return (block * (size // len(block) + 1))[:size]


def _binary(rng: random.Random, size: int) -> bytes:
    head = b"MZ\x90\x00" + bytes(60) + b"PE\x00\x00" if rng.random() < 0.5 else b"\x7fELF\x02\x01\x01"
    return head + rng.randbytes(max(0, size - len(head)))


def _document(rng: random.Random, size: int) -> bytes:
    body = _text(rng, size - 200)
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nstream\n" + body + b"\nendstream\n%%EOF\n"


def generate_corpus(folder: Path, size_mb: int, seed: int = 7) -> tuple[int, int]:
    """Write a mixed corpus of about ``size_mb`` MB; returns (files, bytes)."""
    rng = random.Random(seed)
    target = size_mb * MB
    total = files = 0
    kinds: list[tuple[str, Callable[[random.Random, int], bytes]]] = [
        ("bin", _binary),
        ("txt", _text),
        ("pdf", _document),
    ]
    while total < target:
        n = files
        choice = rng.random()
        if choice < 0.15:  # archives: a zip of several members, or a tar.gz
            members = {
                f"m{i}.{k}": f(rng, rng.randint(20_000, 600_000)) for i, (k, f) in enumerate(kinds * 2)
            }
            if rng.random() < 0.5:
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                    for name, data in members.items():
                        archive.writestr(name, data)
                path, data = folder / f"f{n:06d}.zip", buffer.getvalue()
            else:
                buffer = io.BytesIO()
                with tarfile.open(fileobj=buffer, mode="w") as archive:
                    for name, member in members.items():
                        info = tarfile.TarInfo(name)
                        info.size = len(member)
                        archive.addfile(info, io.BytesIO(member))
                path, data = folder / f"f{n:06d}.tar.gz", gzip.compress(buffer.getvalue(), compresslevel=1)
        else:
            ext, make = rng.choice(kinds)
            size = int(rng.lognormvariate(11.5, 1.3))  # median ~100 KB, a long tail of MBs
            data = make(rng, min(max(size, 256), 40 * MB))
            path = folder / f"f{n:06d}.{ext}"
        path.write_bytes(data)
        total += len(data)
        files += 1
    return files, total


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _timed(func: Callable[[], object]) -> float:
    """CPU seconds (this process and the tools it ran): steadier than wall time on a shared machine."""
    started = _cpu()
    func()
    return _cpu() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--rules", type=Path, action="append", help="rule folders (default: shared sets)")
    parser.add_argument("--corpus", type=Path, help="reuse or create the corpus here")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best is kept)")
    args = parser.parse_args()

    from soryoku.content.rules import collect_rules, compile_yara, compile_yarax, default_rules_dir
    from soryoku.content.scanner import iter_files
    from soryoku.content.setup import ScannerSettings, build_scanner
    from soryoku.content.verdict import Limits

    rule_dirs = args.rules or [
        p
        for p in (
            SHARED_RULES / "reversinglabs-yara-rules" / "yara",
            SHARED_RULES / "bartblaze-yara-rules" / "rules",
        )
        if p.is_dir()
    ]
    if not rule_dirs:
        rule_dirs = [default_rules_dir()]
    cache = Path(tempfile.mkdtemp(prefix="soryoku-bench-cache-"))
    os.environ["SORYOKU_CACHE_DIR"] = str(cache)
    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="soryoku-bench-corpus-"))
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        started = time.perf_counter()
        generate_corpus(corpus, args.size_mb)
        print(f"generated corpus in {time.perf_counter() - started:.1f} s")
    paths = list(iter_files([corpus]))
    corpus_bytes = sum(p.stat().st_size for p in paths)
    print(f"corpus: {len(paths)} files, {corpus_bytes / MB:.0f} MB in {corpus}")
    ruleset = collect_rules(rule_dirs)
    compiled = compile_yara(ruleset)
    failed = len(compiled.failures)
    print(f"rules: {len(ruleset.files)} files, {compiled.count} rules, {failed} failed to compile")

    for path in paths:  # warm the page cache so the first measurement pays no disk reads
        path.read_bytes()

    def record(name: str, seconds: float, scanned: float = corpus_bytes) -> None:
        print(f"  {name:<52} {seconds:7.2f} s CPU  {scanned / MB / seconds:7.1f} MB/s per core", flush=True)

    externals = dict.fromkeys(("filename", "filepath", "extension", "filetype", "owner"), "")

    def raw_yara_pass() -> tuple[float, float]:
        def run() -> None:
            for path in paths:  # the same per-file externals soryoku sets
                compiled.rules.match(
                    filepath=str(path), externals={**externals, "filename": path.name, "filepath": str(path)}
                )

        return _timed(run), corpus_bytes

    variants: dict[str, Callable[[], tuple[float, float]]] = {"raw yara-python (baseline)": raw_yara_pass}
    try:
        import yara_x

        xcompiled = compile_yarax(ruleset)
        scanner_x = yara_x.Scanner(xcompiled.rules)
        for name, value in externals.items():
            scanner_x.set_global(name, value)

        def raw_x_pass() -> tuple[float, float]:
            def run() -> None:
                for path in paths:  # the same per-file externals soryoku sets
                    scanner_x.set_global("filename", path.name)
                    scanner_x.set_global("filepath", str(path))
                    scanner_x.scan_file(str(path))

            return _timed(run), corpus_bytes

        variants["raw yara-x"] = raw_x_pass
        has_x = True
    except ImportError:
        has_x = False
        print("  yara-x not installed")

    def soryoku_pass(engine: str, depth: int) -> Callable[[], tuple[float, float]]:
        built = build_scanner(
            ScannerSettings(
                rules=tuple(rule_dirs),
                include_default_rules=False,
                yara_engine=engine,
                limits=Limits(max_depth=depth),
            )
        )

        def measure() -> tuple[float, float]:
            scanned = 0

            def run() -> None:
                nonlocal scanned
                for path in paths:
                    scanned += built.scanner.scan_path(path).bytes_scanned

            return _timed(run), scanned

        return measure

    variants["soryoku, yara-python, archives not expanded"] = soryoku_pass("yara", 0)
    variants["soryoku, yara-python, archives expanded"] = soryoku_pass("yara", 5)
    if has_x:
        variants["soryoku, yara-x, archives not expanded"] = soryoku_pass("yarax", 0)
    best: dict[str, tuple[float, float]] = {}
    for _ in range(max(1, args.repeat)):  # interleaved, so load changes hit every variant alike
        for name, measure in variants.items():
            seconds, scanned = measure()
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, scanned)
    for name, (seconds, scanned) in best.items():
        record(name, seconds, scanned)
    raw_yara = best["raw yara-python (baseline)"][0]
    flat = best["soryoku, yara-python, archives not expanded"][0]
    raw_x = best["raw yara-x"][0] if has_x else None
    xflat = best["soryoku, yara-x, archives not expanded"][0] if has_x else 0.0

    yara_cli = shutil.which("yara")
    if yara_cli:
        files = [str(f.path) for f in ruleset.files]
        took = _timed(
            lambda: subprocess.run(
                [
                    yara_cli,
                    "-r",
                    "-w",
                    "-p",
                    "1",
                    "-d",
                    "filename=",
                    "-d",
                    "filepath=",
                    "-d",
                    "extension=",
                    "-d",
                    "filetype=",
                    "-d",
                    "owner=",
                    *files,
                    str(corpus),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        )
        record("yara CLI (-p 1, compiles the rules first)", took)
    clamscan = shutil.which("clamscan")
    if clamscan:
        db = Path(tempfile.mkdtemp(prefix="soryoku-bench-clamdb-"))
        eicar = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
        (db / "bench.hdb").write_text(f"{hashlib.md5(eicar).hexdigest()}:{len(eicar)}:Bench.EICAR\n")
        took = _timed(
            lambda: subprocess.run(
                [clamscan, "-r", "--no-summary", "-d", str(db), str(corpus)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        )
        record("clamscan (EICAR hash db; unpacks archives)", took)
        shutil.rmtree(db, ignore_errors=True)

    print("\nsoryoku overhead over the raw engine (same files, archives not expanded):")
    print(f"  yara-python: {100 * (flat - raw_yara) / raw_yara:+.1f} %  (goal: under 15 %)")
    if raw_x is not None:
        print(f"  yara-x:      {100 * (xflat - raw_x) / raw_x:+.1f} %")

    print("\nLambda cold path (fresh interpreter: import handler + build the scanner):")
    probe = (
        "import time; t=time.perf_counter(); import soryoku.content.handler; "
        "from soryoku.content.setup import ScannerSettings, build_scanner; from pathlib import Path; "
        "import sys; b=build_scanner(ScannerSettings(rules=tuple(Path(p) for p in sys.argv[1:]))); "
        "print(f'{time.perf_counter()-t:.3f} {b.rule_count}')"
    )
    for label, rules in (("default rules", []), ("benchmark rules", [str(p) for p in rule_dirs])):
        fresh = Path(tempfile.mkdtemp(prefix="soryoku-bench-cold-"))
        env = {**os.environ, "SORYOKU_CACHE_DIR": str(fresh)}
        for state in ("no cache (compile)", "cached (load)"):
            out = subprocess.run(
                [sys.executable, "-c", probe, *rules], env=env, capture_output=True, text=True, check=True
            ).stdout.split()
            print(f"  {label}, {state}: {float(out[0]):.2f} s ({out[1]} rules)")
        shutil.rmtree(fresh, ignore_errors=True)

    shutil.rmtree(cache, ignore_errors=True)
    if args.corpus is None and not args.keep:
        shutil.rmtree(corpus, ignore_errors=True)


if __name__ == "__main__":
    main()
