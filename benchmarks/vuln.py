"""Benchmarks of the vuln engine (not part of the test suite); prints its figures.

1. Import of the whole shared test data (``../shared/vulndb``: PyPA, Go, RustSec, Debian DSA/DLA
   lists, Alpine secdb, KEV) into a fresh advisory database, against a baseline that only reads
   and decodes the same files (ratio = what the database costs on top of parsing).
2. Import of 100,000 OSV records from one zip archive (real Go records re-issued under new ids),
   against the goal of < 60 s.
3. Scan of a 2,000-package lockfile (poetry.lock: every PyPA package at a version its advisories
   name, plus unrelated packages), against a baseline of cataloging it alone.
4. Scan of a Debian root filesystem made with ``debootstrap`` (skipped with the reason when it
   cannot run), and of a root filesystem holding this machine's real dpkg database.

Run: ``.venv/bin/python benchmarks/vuln.py [--quick]`` (``--quick``: 10,000 records in step 2).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from soryoku.vuln.advisories.loaders import read_path
from soryoku.vuln.advisories.store import AdvisoryDB, create_db
from soryoku.vuln.inventory import catalog
from soryoku.vuln.scanner import match_inventory

SHARED = Path(__file__).resolve().parents[2] / "shared" / "vulndb"
SOURCES = ("pypa", "golang", "rustsec", "debian-security-tracker", "alpine-secdb", "kev")


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by ``func()`` and its result."""
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def decode_only(folder: Path) -> int:
    """Baseline: read and decode every advisory file, nothing else."""
    count = 0
    for file in folder.rglob("*"):
        if file.suffix == ".json":
            json.loads(file.read_bytes())
        elif file.suffix in {".yaml", ".yml"}:
            yaml.load(file.read_bytes(), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
        elif file.suffix == ".md" or file.name == "list":
            file.read_text(encoding="utf-8", errors="replace")
        else:
            continue
        count += 1
    return count


def bench_shared_import(workdir: Path) -> AdvisoryDB:
    """Step 1."""
    baseline, files = timed(lambda: sum(decode_only(SHARED / s) for s in SOURCES))
    db = create_db(workdir / "shared.db")
    total = 0.0
    for source in SOURCES:
        seconds, stats = timed(lambda s=source: db.import_items(read_path(SHARED / s), s))  # type: ignore[misc]
        total += seconds
        print(f"  import {source:<25} {stats.advisories:>6} advisories {stats.kev:>5} KEV  {seconds:6.2f} s")
    status = db.status()
    print(
        f"shared data: {status.advisories} advisories + {status.kev} KEV from {files} files: "
        f"import {total:.2f} s; decode-only baseline {baseline:.2f} s; ratio {total / baseline:.2f}x"
    )
    return db


def bench_100k(workdir: Path, count: int) -> None:
    """Step 2."""
    originals = [json.loads(f.read_bytes()) for f in sorted((SHARED / "golang" / "osv").glob("*.json"))]
    archive = workdir / "all.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for index in range(count):
            record = dict(originals[index % len(originals)])
            record["id"] = f"{record['id']}-R{index // len(originals)}"
            zf.writestr(f"{record['id']}.json", json.dumps(record))
    db = create_db(workdir / "big.db")
    seconds, stats = timed(lambda: db.import_items(read_path(archive), str(archive)))
    size = archive.stat().st_size / 1e6
    print(
        f"{count} OSV records ({stats.advisories} stored, {stats.withdrawn} withdrawn) from one "
        f"{size:.1f} MB zip: {seconds:.2f} s ({count / seconds:,.0f} records/s; goal 100,000 < 60 s: "
        f"{'met' if seconds * 100_000 / count < 60 else 'NOT met'})"
    )
    db.close()


def bench_lockfile(workdir: Path, db: AdvisoryDB) -> None:
    """Step 3."""
    lines = []
    names = sorted({p.parent.name for p in (SHARED / "pypa" / "vulns").glob("*/*.yaml")})
    for name in names:
        first = next((SHARED / "pypa" / "vulns" / name).glob("*.yaml"))
        record = yaml.load(first.read_bytes(), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
        versions = record["affected"][0].get("versions") or ["0.1"]
        lines.append((name, versions[len(versions) // 2]))
    lines += [(f"unrelated-package-{i:04d}", "1.0.0") for i in range(2000 - len(lines))]
    project = workdir / "project"
    project.mkdir()
    text = "".join(f'[[package]]\nname = "{n}"\nversion = "{v}"\n\n' for n, v in lines)
    (project / "poetry.lock").write_text(text)
    catalog_s, inventory = timed(lambda: catalog(project))
    scan_s, (matches, _gaps) = timed(lambda: match_inventory(db, catalog(project)))
    print(
        f"2,000-package poetry.lock ({len(names)} with PyPA advisories): {len(matches)} findings; "
        f"catalog {catalog_s * 1000:.0f} ms, catalog+match {scan_s * 1000:.0f} ms "
        f"(ratio {scan_s / catalog_s:.1f}x; goal < 1 s: {'met' if scan_s < 1 else 'NOT met'})"
    )
    assert len(inventory.packages) == 2000


def bench_rootfs(workdir: Path, db: AdvisoryDB) -> None:
    """Step 4."""
    if shutil.which("debootstrap") is None:
        print("debootstrap rootfs: skipped (debootstrap is not installed; it also needs a Debian mirror)")
    else:
        target = workdir / "debootstrap"
        done = subprocess.run(
            ["debootstrap", "--variant=minbase", "bookworm", str(target)], capture_output=True, check=False
        )
        if done.returncode != 0:
            reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
            print(f"debootstrap rootfs: skipped (debootstrap failed: {reason})")
        else:
            seconds, (matches, _) = timed(lambda: match_inventory(db, catalog(target)))
            print(f"debootstrap bookworm rootfs: {len(matches)} findings in {seconds * 1000:.0f} ms")
    status = Path("/var/lib/dpkg/status")
    release = Path("/etc/os-release")
    if not status.is_file() or not release.is_file():
        print("host dpkg rootfs: skipped (this machine has no dpkg database)")
        return
    rootfs = workdir / "hostfs"
    (rootfs / "var" / "lib" / "dpkg").mkdir(parents=True)
    (rootfs / "etc").mkdir()
    shutil.copy(status, rootfs / "var" / "lib" / "dpkg" / "status")
    shutil.copy(release, rootfs / "etc" / "os-release")
    seconds, (matches, gaps) = timed(lambda: match_inventory(db, catalog(rootfs)))
    inventory = catalog(rootfs)
    print(
        f"rootfs with this machine's dpkg database ({len(inventory.packages)} packages, "
        f"{inventory.distro.pretty_name if inventory.distro else '?'}): {len(matches)} findings, "
        f"{len(gaps)} not-evaluated notes in {seconds * 1000:.0f} ms"
    )
    for gap in gaps[:3]:
        print(f"  not evaluated: {gap.reason}")


def main() -> None:
    """Run the benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 records instead of 100,000 in step 2")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"shared advisory data not found at {SHARED}")
    with tempfile.TemporaryDirectory(prefix="soryoku-bench-vuln-") as scratch:
        workdir = Path(scratch)
        db = bench_shared_import(workdir)
        bench_100k(workdir, 10_000 if args.quick else 100_000)
        bench_lockfile(workdir, db)
        bench_rootfs(workdir, db)
        db.close()


if __name__ == "__main__":
    main()
