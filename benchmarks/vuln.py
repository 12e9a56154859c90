"""Benchmarks of the vuln engine (not part of the test suite); prints its figures.

1. Import of the whole shared test data (``../shared/vulndb``: PyPA, Go, RustSec, Debian DSA/DLA
   lists, Alpine secdb, KEV) into a fresh advisory database, against a baseline that only reads
   and decodes the same files (ratio = what the database costs on top of parsing).
2. Import of 100,000 OSV records from one zip archive (real Go records re-issued under new ids),
   against the goal of < 60 s.
3. Scan of a 2,000-package lockfile (poetry.lock: every PyPA package at a version its advisories
   name, plus unrelated packages), against a baseline of cataloging it alone.
4. Scan of a real Debian root filesystem (``debootstrap --variant=minbase <this machine's release>``
   from Debian's mirror, built once and kept under ``--cache``; skipped with the reason when it
   cannot be built), of the same tree as a ``docker save`` archive and as an OCI layout (built from
   the folder, also kept), each in-process and as a ``soryoku vuln`` process; against a baseline of
   matching the already-cataloged package list alone. Then a root filesystem holding this
   machine's real dpkg database.

Run: ``.venv/bin/python benchmarks/vuln.py [--quick] [--only-rootfs]`` (``--quick``: 10,000 records
in step 2; ``--only-rootfs``: steps 1 and 4).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
import yaml

from soryoku.vuln.advisories.loaders import read_path
from soryoku.vuln.advisories.store import AdvisoryDB, create_db
from soryoku.vuln.inventory import catalog
from soryoku.vuln.scanner import match_inventory
from soryoku.vuln.targets import scan_target

SHARED = Path(__file__).resolve().parents[2] / "shared" / "vulndb"
MIRROR = "http://deb.debian.org/debian"
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


def _release() -> str:
    """This machine's Debian release codename (bookworm when it cannot be told)."""
    release = Path("/etc/os-release")
    if release.is_file():
        for line in release.read_text().splitlines():
            key, _, value = line.partition("=")
            if key == "VERSION_CODENAME" and value.strip('"'):
                return value.strip('"')
    return "bookworm"


def debootstrap_rootfs(cache: Path, release: str) -> Path | str:
    """A minbase Debian root filesystem of ``release``, built once under ``cache``; else why not."""
    rootfs = cache / f"debootstrap-{release}"
    if (rootfs / "var" / "lib" / "dpkg" / "status").is_file():
        return rootfs
    if shutil.which("debootstrap") is None:
        return "debootstrap is not installed (Debian package `debootstrap`)"
    if os.geteuid() != 0:
        return "debootstrap needs root"
    partial = cache / f"debootstrap-{release}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    command = ["debootstrap", "--variant=minbase", release, str(partial), MIRROR]
    print(f"  building the rootfs once: {' '.join(command)}")
    try:
        done = subprocess.run(command, capture_output=True, check=False, timeout=1800)
    except subprocess.TimeoutExpired:
        return f"debootstrap did not finish in 30 min (is {MIRROR} reachable?)"
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).decode(errors="replace").strip().splitlines()
        return f"debootstrap failed (exit {done.returncode}; mirror {MIRROR}): {' / '.join(lines[-2:])}"
    partial.rename(rootfs)
    return rootfs


def _layer_tar(rootfs: Path, destination: Path, *, gzipped: bool) -> str:
    """``rootfs`` as one image layer (device files left out, as image builders do); its sha256."""
    with tarfile.open(destination, "w:gz") if gzipped else tarfile.open(destination, "w") as tar:
        for entry in sorted(rootfs.iterdir()):
            tar.add(entry, arcname=entry.name, filter=lambda m: None if m.isdev() else m)
    digest = hashlib.sha256()
    with destination.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def image_archives(rootfs: Path) -> tuple[Path, Path]:
    """The rootfs as a ``docker save`` archive (uncompressed layer) and as an OCI layout folder
    (gzip layer, as registries serve it); built once beside the rootfs."""
    docker = rootfs.with_name(rootfs.name + ".docker.tar")
    oci = rootfs.with_name(rootfs.name + ".oci")
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers"}}).encode()
    if not docker.is_file():
        with tempfile.TemporaryDirectory(dir=rootfs.parent) as scratch:
            layer = Path(scratch) / "layer.tar"
            _layer_tar(rootfs, layer, gzipped=False)
            manifest = [
                {"Config": "config.json", "RepoTags": [f"{rootfs.name}:bench"], "Layers": ["0/layer.tar"]}
            ]
            partial = docker.with_suffix(".partial")
            with tarfile.open(partial, "w") as tar:
                tar.add(layer, arcname="0/layer.tar")
                for name, data in (("config.json", config), ("manifest.json", json.dumps(manifest).encode())):
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
            partial.rename(docker)
    if not (oci / "index.json").is_file():
        partial = oci.with_name(oci.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        blobs = partial / "blobs" / "sha256"
        blobs.mkdir(parents=True)
        layer = blobs / "layer"
        layer_digest = _layer_tar(rootfs, layer, gzipped=True)
        size = layer.stat().st_size
        layer.rename(blobs / layer_digest)
        config_digest = hashlib.sha256(config).hexdigest()
        (blobs / config_digest).write_bytes(config)
        manifest_doc = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": f"sha256:{config_digest}", "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": f"sha256:{layer_digest}", "size": size}],
        }  # fmt: skip
        data = json.dumps(manifest_doc).encode()
        manifest_digest = hashlib.sha256(data).hexdigest()
        (blobs / manifest_digest).write_bytes(data)
        index = {"schemaVersion": 2, "manifests": [{"mediaType": manifest_doc["mediaType"],
                 "digest": f"sha256:{manifest_digest}", "size": len(data)}]}  # fmt: skip
        (partial / "index.json").write_text(json.dumps(index))
        (partial / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
        partial.rename(oci)
    return docker, oci


def _cli_seconds(target: Path, db_path: Path) -> tuple[float, int]:
    """Wall time of ``soryoku vuln TARGET`` as a user runs it (new process) and how many records
    its json-ocsf output holds (findings, and one per thing not evaluated)."""
    command = [
        str(Path(sys.executable).with_name("soryoku")), "vuln", str(target), "--vuln-db", str(db_path),
        "-f", "json-ocsf", "--no-store",
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1, 3):
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return seconds, len(json.loads(done.stdout))


def _scan_figures(name: str, target: Path, db: AdvisoryDB, db_path: Path, baseline: float) -> None:
    seconds, result = timed(lambda: scan_target(db, str(target)))
    cli, cli_findings = _cli_seconds(target, db_path)
    print(
        f"  {name:<30} scan {seconds * 1000:5.0f} ms ({len(result.findings)} findings, "
        f"{len(result.gaps)} gaps; {seconds / baseline:.1f}x the match-alone baseline; goal < 1 s: "
        f"{'met' if seconds < 1 else 'NOT met'}); `soryoku vuln` process {cli:.2f} s "
        f"({cli_findings} json-ocsf records: findings and not-evaluated ones)"
    )


def bench_rootfs(workdir: Path, db: AdvisoryDB, db_path: Path, cache: Path) -> None:
    """Step 4."""
    # this machine's release, and bullseye: the newest one the shared Debian data (DSA/DLA lists up
    # to April 2023) has fixes for, so that matching has findings to produce
    for release in dict.fromkeys((_release(), "bullseye")):
        rootfs = debootstrap_rootfs(cache, release)
        if isinstance(rootfs, str):
            print(f"debootstrap {release} rootfs: skipped ({rootfs})")
            continue
        docker, oci = image_archives(rootfs)
        inventory = catalog(rootfs)
        # baseline: the same package list matched with no file tree to walk (matching alone)
        baseline, _ = timed(lambda: match_inventory(db, inventory))  # noqa: B023 - called at once
        size = sum(f.stat().st_size for f in (docker, *oci.rglob("*")) if f.is_file()) / 1e6
        print(
            f"debootstrap --variant=minbase {release} rootfs ({len(inventory.packages)} packages, "
            f"{inventory.distro.pretty_name if inventory.distro else '?'}; images {size:.0f} MB together), "
            f"match alone {baseline * 1000:.0f} ms:"
        )
        _scan_figures("folder", rootfs, db, db_path, baseline)
        _scan_figures("docker save tar (plain layer)", docker, db, db_path, baseline)
        _scan_figures("OCI layout (gzip layer)", oci, db, db_path, baseline)
    status = Path("/var/lib/dpkg/status")
    release_file = Path("/etc/os-release")
    if not status.is_file() or not release_file.is_file():
        print("host dpkg rootfs: skipped (this machine has no dpkg database)")
        return
    hostfs = workdir / "hostfs"
    (hostfs / "var" / "lib" / "dpkg").mkdir(parents=True)
    (hostfs / "etc").mkdir()
    shutil.copy(status, hostfs / "var" / "lib" / "dpkg" / "status")
    shutil.copy(release_file, hostfs / "etc" / "os-release")
    seconds, (matches, gaps) = timed(lambda: match_inventory(db, catalog(hostfs)))
    inventory = catalog(hostfs)
    print(
        f"rootfs with this machine's dpkg database ({len(inventory.packages)} packages, "
        f"{inventory.distro.pretty_name if inventory.distro else '?'}): {len(matches)} findings, "
        f"{len(gaps)} not-evaluated notes in {seconds * 1000:.0f} ms"
    )
    for gap in gaps[:3]:
        print(f"  not evaluated: {gap.reason}")


def main() -> None:
    """Run the benchmarks and print their figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="10,000 records instead of 100,000 in step 2")
    parser.add_argument(
        "--only-rootfs", action="store_true", help="import the shared data, then run step 4 alone"
    )
    parser.add_argument(
        "--cache", type=Path, default=Path(platformdirs.user_cache_dir("soryoku-bench")) / "vuln",
        help="where the debootstrap rootfs and its images are kept between runs (default: %(default)s)",
    )  # fmt: skip
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"shared advisory data not found at {SHARED}")
    with tempfile.TemporaryDirectory(prefix="soryoku-bench-vuln-") as scratch:
        workdir = Path(scratch)
        db = bench_shared_import(workdir)
        if not args.only_rootfs:
            bench_100k(workdir, 10_000 if args.quick else 100_000)
            bench_lockfile(workdir, db)
        bench_rootfs(workdir, db, workdir / "shared.db", args.cache)
        db.close()


if __name__ == "__main__":
    main()
