"""The demo layer tells the seed's story through the normal S3 → store → rules path."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from soryoku.demo.context import DemoContext
from soryoku.detect.demo import demo_bucket, run_demo
from soryoku.detect.simulate.scenarios import SCENARIOS


@pytest.mark.moto
def test_demo_detects_the_whole_story_and_nothing_else(aws: str, tmp_path: Path) -> None:
    result = run_demo(
        DemoContext(endpoint_url=aws, account_id="123456789012", region="us-east-1", workdir=tmp_path)
    )
    assert result.engine == "detect" and result.gaps == []
    fired = {f.check_id for f in result.findings}
    story = next(s for s in SCENARIOS if s.name == "leaked_keys_story")
    assert set(story.expected) | {"iam_instance_credentials_used_outside_aws"} <= fired
    actors = {f.unmapped["actor"] for f in result.findings if f.unmapped}
    assert actors <= {
        "arn:aws:iam::111122223333:user/deploy-bot",
        "arn:aws:sts::111122223333:assumed-role/web-app/i-0a1b2c3d4e5f60001",
        "i-0miner0000000000",
        "eni-0miner0000000001",
    }
    listed = boto3.client("s3").list_objects_v2(Bucket=demo_bucket("123456789012"), Prefix="AWSLogs/")
    assert listed["KeyCount"] > 0
