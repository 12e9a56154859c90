"""The demo layer: shipped advisory subset, inputs written, scanned through the normal path."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import yaml

from soryoku.demo.context import DemoContext
from soryoku.vuln.advisories.debian_tracker import advisories_from_tracker_list
from soryoku.vuln.demo import run_demo

DATA = Path(__file__).resolve().parents[2] / "src" / "soryoku" / "vuln" / "data"


def _context(aws: str, tmp_path: Path) -> DemoContext:
    return DemoContext(endpoint_url=aws, account_id="123456789012", region="us-east-1", workdir=tmp_path)


def test_demo_finds_known_vulnerable_versions(aws: str, tmp_path: Path) -> None:
    ec2 = boto3.client("ec2", region_name="us-east-1")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-1"}]}],
    )["Instances"][0]["InstanceId"]

    result = run_demo(_context(aws, tmp_path))
    assert result.engine == "vuln" and result.gaps == []
    found = {
        (f.vulnerabilities[0].affected_packages[0].name, f.check_id)
        for f in result.findings
        if f.vulnerabilities
    }
    assert {
        ("policykit-1", "CVE-2021-4034"),
        ("libssl1.1", "CVE-2022-2097"),
        ("zlib1g", "CVE-2022-37434"),
        ("curl", "CVE-2023-23916"),
        ("pyspark", "CVE-2022-33891"),
        ("requests", "CVE-2018-18074"),
        ("Jinja2", "CVE-2019-10906"),
        ("PyYAML", "CVE-2020-14343"),
    } <= found
    assert not any(name in {"bash", "boto3"} for name, _ in found)  # nothing known against them
    image = {
        (f.vulnerabilities[0].affected_packages[0].name, f.vulnerabilities[0].affected_packages[0].path)
        for f in result.findings
        if f.vulnerabilities and f.resources[0].type == "AwsEcrContainerImage"
    }
    assert {name for name, _ in image} == {"zlib1g", "libcurl4", "urllib3"}  # PyYAML upgraded, Jinja2 deleted
    assert ("urllib3", "ecr:orders-worker:1.4:/srv/worker/requirements.txt") in image
    # known exploited first
    first_two = {f.check_id for f in result.findings[:2]}
    assert first_two == {"CVE-2021-4034", "CVE-2022-33891"}
    polkit = next(f for f in result.findings if f.check_id == "CVE-2021-4034")
    assert polkit.resources[0].uid == f"arn:aws:ec2:us-east-1:123456789012:instance/{instance}"
    assert polkit.vulnerabilities and polkit.vulnerabilities[0].affected_packages
    assert polkit.vulnerabilities[0].affected_packages[0].path == "ec2:web-1/var/lib/dpkg/status"
    lambda_finding = next(f for f in result.findings if f.check_id == "CVE-2019-10906")
    assert lambda_finding.resources[0].uid == "arn:aws:lambda:us-east-1:123456789012:function:orders-api"
    # locations are stable across runs (no temporary paths), so the hub can track findings
    assert all(str(tmp_path) not in f.uid and str(tmp_path) not in str(f.resources) for f in result.findings)


def test_shipped_subset_is_faithful_to_its_sources(shared_dir: Path) -> None:
    vulndb = shared_dir / "vulndb"
    records = sorted((DATA / "osv").glob("*.json"))
    assert 20 <= len(records) <= 30  # a small subset, only what the demo needs
    tracker = {
        a.id: a
        for a in advisories_from_tracker_list(
            (vulndb / "debian-security-tracker" / "DSA" / "list").read_text(), "x"
        )
    }
    for file in records:
        shipped = json.loads(file.read_text())
        if shipped["id"].startswith("PYSEC-"):
            package = shipped["affected"][0]["package"]["name"].lower()
            original = yaml.load(
                (vulndb / "pypa" / "vulns" / package / f"{shipped['id']}.yaml").read_text(),
                Loader=yaml.BaseLoader,
            )
            assert shipped == original
        else:
            source = tracker[shipped["id"]]
            assert shipped["aliases"] == list(source.aliases)
            assert {
                (a["package"]["name"], a["ranges"][0]["events"][1]["fixed"]) for a in shipped["affected"]
            } == {(a.name, a.ranges[0]["events"][1]["fixed"]) for a in source.affected}
    kev = json.loads((DATA / "kev-subset.json").read_text())
    full = {
        v["cveID"]: v
        for v in json.loads((vulndb / "kev" / "known_exploited_vulnerabilities.json").read_text())[
            "vulnerabilities"
        ]
    }
    assert [v["cveID"] for v in kev["vulnerabilities"]] and all(
        full[v["cveID"]] == v for v in kev["vulnerabilities"]
    )
