"""The detect layer of ``soryoku scan --demo``: the seed's attack story in the demo account's logs.

Leaked CI keys used from outside AWS → reconnaissance → the trail stopped → GPU instances in a
region the account never uses → mining-pool lookups and traffic; plus stolen instance
credentials, next to a week of benign activity and false-positive traps that raise nothing. The
logs go to an S3 bucket of the (moto) demo account in the layouts AWS delivers, and are detected
through the normal code path: ``s3://`` source → Parquet store → rules → findings.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3

from soryoku.core.result import ScanResult
from soryoku.demo.context import DemoContext
from soryoku.detect.database import DetectContext
from soryoku.detect.engine import detect
from soryoku.detect.environment import load_environment
from soryoku.detect.geo import load_asn_db
from soryoku.detect.intel import load_intel, load_ip_ranges
from soryoku.detect.simulate import build_dataset, write_context
from soryoku.detect.simulate.scenarios import SCENARIOS
from soryoku.detect.sources import IngestState, LogStore

DEMO_SCENARIOS = ("leaked_keys_story", "instance_credential_theft")
DEMO_DAYS = 9


def demo_bucket(account_id: str) -> str:
    """The bucket the demo's logs are delivered to."""
    return f"soryoku-demo-logs-{account_id}"


def run_demo(ctx: DemoContext) -> ScanResult:
    """Deliver the story's logs to the demo account's S3 and detect it like any log bucket."""
    today = datetime.now(UTC).replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    scenarios = tuple(s for s in SCENARIOS if s.name in DEMO_SCENARIOS)
    dataset = build_dataset(today - timedelta(days=DEMO_DAYS), DEMO_DAYS, scenarios, hours_per_file=24)
    bucket = demo_bucket(ctx.account_id)
    s3 = boto3.client("s3", region_name=ctx.region)
    if ctx.region == "us-east-1":
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": ctx.region})
    for key, data in dataset.files.items():
        s3.put_object(Bucket=bucket, Key=key, Body=data)
    files = write_context(ctx.workdir / "context")
    context = DetectContext(
        intel=load_intel([files["threats"], files["tor"]]),
        ip_ranges=load_ip_ranges(files["ip_ranges"]),
        geo=load_asn_db([files["asn_db"]]),
        environment=load_environment(files["environment"]),
    )
    store = LogStore(ctx.workdir / "store")
    result, _ = detect(
        f"s3://{bucket}/AWSLogs", store, context, state=IngestState(ctx.workdir / "state.json")
    )
    return result


__all__ = ["DEMO_SCENARIOS", "demo_bucket", "run_demo"]
