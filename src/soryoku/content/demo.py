"""The content layer of the demo account: an upload bucket with harmless test threats, scanned for real.

It creates an upload bucket and a quarantine bucket in the simulated account, uploads the EICAR
test file, an archive hiding it two levels deep, an encrypted zip and clean files, then scans the
bucket through the normal bulk path: tags every object and quarantines the malicious ones.
"""

from __future__ import annotations

import struct
import zlib

from soryoku.content.actions import ActionSettings
from soryoku.content.findings import ENGINE, add_result, rule_gaps
from soryoku.content.s3 import s3_clients, scan_prefix
from soryoku.content.samples import EICAR, encrypted_zip, nested_eicar_zip
from soryoku.content.setup import ScannerSettings, build_scanner
from soryoku.core.finding import now_ms
from soryoku.core.result import Gap, ScanResult
from soryoku.demo.context import DemoContext


def _png() -> bytes:
    """A valid 1×1 PNG (a clean image)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


DEMO_OBJECTS: dict[str, bytes] = {
    "incoming/eicar.com": EICAR,
    "incoming/archive/quarterly-report.zip": nested_eicar_zip(),
    "incoming/encrypted/payroll.zip": encrypted_zip({"payroll.xlsx": b"name,salary\nalice,1\n"}),
    "incoming/docs/welcome.txt": b"Welcome to the upload portal.\n",
    "incoming/images/logo.png": _png(),
    "incoming/data/orders.csv": b"id,item,qty\n1,widget,3\n2,gadget,5\n",
}


def run_demo(ctx: DemoContext) -> ScanResult:
    """Seed the upload bucket, scan it, tag and quarantine through the normal code path."""
    started = now_ms()
    uploads = f"soryoku-demo-uploads-{ctx.account_id}"
    quarantine = f"soryoku-demo-quarantine-{ctx.account_id}"
    s3, sns = s3_clients()
    location = (
        {} if ctx.region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": ctx.region}}
    )
    for bucket in (uploads, quarantine):
        s3.create_bucket(Bucket=bucket, **location)
    for key, body in DEMO_OBJECTS.items():
        s3.put_object(Bucket=uploads, Key=key, Body=body, Metadata={"uploaded-by": "demo-user"})
    (ctx.workdir / "objects.txt").write_text("\n".join(DEMO_OBJECTS) + "\n", encoding="utf-8")
    built = build_scanner(ScannerSettings())
    scope = f"s3://{uploads}/"
    result = ScanResult(engine=ENGINE, scope=scope, started_ms=started)
    bulk = scan_prefix(
        built.scanner,
        s3,
        sns,
        scope,
        actions=ActionSettings(tag=True, quarantine_bucket=quarantine),
        concurrency=2,
    )
    for object_result, _ in sorted(bulk.scanned, key=lambda pair: pair[0].key):
        add_result(result, object_result, account_id=ctx.account_id, region=ctx.region)
    if bulk.listing_error:
        result.gaps.append(Gap(engine=ENGINE, scope=scope, reason=bulk.listing_error))
    result.gaps.extend(rule_gaps(built.failures))
    result.finished_ms = now_ms()
    return result


__all__ = ["DEMO_OBJECTS", "run_demo"]
