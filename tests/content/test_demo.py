"""The demo layer: seeds the moto account and scans, tags and quarantines through the normal path."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from soryoku.content.actions import STATUS_TAG
from soryoku.content.demo import DEMO_OBJECTS, run_demo
from soryoku.demo.context import DemoContext

pytestmark = pytest.mark.moto


def test_run_demo(aws: str, tmp_path: Path) -> None:
    ctx = DemoContext(endpoint_url=aws, account_id="123456789012", region="us-east-1", workdir=tmp_path)
    result = run_demo(ctx)
    assert result.engine == "content"
    assert result.scope == "s3://soryoku-demo-uploads-123456789012/"
    malicious = sorted(f.resources[0].name or "" for f in result.findings)
    assert malicious == ["incoming/archive/quarterly-report.zip", "incoming/eicar.com"]
    assert all(f.cloud and f.cloud.account and f.cloud.account.uid == "123456789012" for f in result.findings)
    assert [g.scope for g in result.gaps] == [
        "s3://soryoku-demo-uploads-123456789012/incoming/encrypted/payroll.zip"
    ]
    s3 = boto3.client("s3")
    left = sorted(
        o["Key"] for o in s3.list_objects_v2(Bucket="soryoku-demo-uploads-123456789012")["Contents"]
    )
    assert left == sorted(k for k in DEMO_OBJECTS if k not in malicious)
    statuses = {
        key: {
            t["Key"]: t["Value"]
            for t in s3.get_object_tagging(Bucket="soryoku-demo-uploads-123456789012", Key=key)["TagSet"]
        }[STATUS_TAG]
        for key in left
    }
    assert statuses == {
        "incoming/data/orders.csv": "NO_THREATS_FOUND",
        "incoming/docs/welcome.txt": "NO_THREATS_FOUND",
        "incoming/encrypted/payroll.zip": "INCOMPLETE",
        "incoming/images/logo.png": "NO_THREATS_FOUND",
    }
    quarantined = s3.list_objects_v2(Bucket="soryoku-demo-quarantine-123456789012")["Contents"]
    assert sorted(o["Key"] for o in quarantined) == [
        f"soryoku-demo-uploads-123456789012/{k}" for k in malicious
    ]
