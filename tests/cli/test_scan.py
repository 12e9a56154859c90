"""``soryoku scan`` against a real (moto) account: posture, vuln, detect and content in one report.

moto's Lambda code locations name AWS hosts, so the vuln engine's download step returns the bytes
uploaded for the function the URL names; moto serves no image registry, so images are gaps.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from soryoku.cli.app import main
from soryoku.core.errors import InputError
from soryoku.vuln import lambda_target
from soryoku.vuln.advisories.store import create_db
from soryoku.vuln.demo import shipped_advisories

ACCOUNT = "123456789012"
EICAR = r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


PACKAGES = {
    "orders-api": _zip(
        {
            "app.py": "x = 1\n",
            "requirements.txt": "requests==2.19.1\nurllib3==1.24.1\n",
            "PyYAML-5.3.dist-info/METADATA": "Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3\n",
        }
    ),
    "billing-api": _zip({"app.py": "x = 1\n", "requirements.txt": "requests==2.32.3\n"}),
}


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        main(args)
    except SystemExit as done:
        code = int(done.code or 0)
    else:
        code = 0
    captured = capsys.readouterr()
    return code, " ".join((captured.out + captured.err).split())


def _uploaded(url: str) -> bytes:
    key = url.rsplit("/", 1)[-1]
    for name, package in PACKAGES.items():
        if key.startswith(name):
            return package
    raise InputError(f"code location {url}: not a seeded function")


@pytest.fixture
def account(aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A moto account with a public bucket, two functions and an ECR image; returns an advisory db."""
    boto3.client("s3").create_bucket(Bucket="site-assets")
    role = boto3.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps({}))["Role"][
        "Arn"
    ]
    for name, package in PACKAGES.items():
        boto3.client("lambda").create_function(
            FunctionName=name, Runtime="python3.12", Role=role, Handler="app.h", Code={"ZipFile": package}
        )
    ecr = boto3.client("ecr")
    ecr.create_repository(repositoryName="orders-worker")
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}
    ecr.put_image(repositoryName="orders-worker", imageManifest=json.dumps(manifest), imageTag="1.4")
    monkeypatch.setattr(lambda_target, "download", _uploaded)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # detect's store
    db = create_db(tmp_path / "advisories.db")
    shipped_advisories(db)
    db.close()
    return tmp_path / "advisories.db"


def _by_engine(path: Path) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for finding in json.loads(path.read_text()):
        found.setdefault(finding["metadata"]["product"]["feature"]["name"], []).append(finding)
    return found


def test_posture_and_vuln_in_one_report(
    account: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    args = ["scan", "--vuln-db", str(account), "-f", "json-ocsf", "-o", str(out), "--region", "us-east-1"]
    code, text = _run(args, capsys)
    assert code == 3  # the image could not be pulled: not everything was evaluated
    assert "ecr:orders-worker:1.4" in text and "AWS_ENDPOINT_URL" in text
    found = _by_engine(out)
    assert set(found) == {"posture", "vuln"}
    vulnerable = {
        (f["finding_info"]["analytic"]["uid"], f["resources"][0]["uid"])
        for f in found["vuln"]
        if f["status_code"] == "FAIL"
    }
    orders = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:orders-api"
    assert {("CVE-2018-18074", orders), ("CVE-2020-14343", orders), ("CVE-2023-43804", orders)} <= vulnerable
    assert {uid for _, uid in vulnerable} == {orders}
    assert any(f["finding_info"]["analytic"]["uid"].startswith("s3_") for f in found["posture"])

    again = tmp_path / "again.json"
    code, _ = _run(
        [
            "scan",
            "--engines",
            "vuln",
            "--vuln-db",
            str(account),
            "--fail-on",
            "medium",
            "-q",
            "-o",
            str(again),
        ],
        capsys,
    )
    assert code == 1  # urllib3's CVE-2023-43804 is rated: a FAIL at or above --fail-on outranks the gap
    rated = {
        f["finding_info"]["analytic"]["uid"] for f in json.loads(again.read_text()) if f["severity_id"] >= 3
    }
    assert "CVE-2023-43804" in rated


def test_without_advisory_database_vuln_is_a_gap(
    account: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the default advisory database is absent
    monkeypatch.delenv("SORYOKU_VULN_DB", raising=False)
    out = tmp_path / "report.json"
    code, text = _run(["scan", "--engines", "vuln", "-f", "json-ocsf", "-o", str(out)], capsys)
    assert code == 3
    assert "soryoku vuln db import" in text
    assert all(f["status_code"] != "FAIL" for f in json.loads(out.read_text()))


def test_bad_input_exits_2_before_work(account: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args, message in (
        (["--engines", "posture,antivirus"], "--engines"),
        (["--engines", "detect"], "--logs"),
        (["--logs", "/no/such/folder"], "no such file"),
        (["--content", "bucket/prefix"], "s3://"),
        (["--content-actions"], "--content"),
        (["--vuln-db", "/no/such.db"], "--vuln-db"),
        (["--demo", "--engines", "posture"], "--demo"),
    ):
        code, text = _run(["scan", "--no-store", *args], capsys)
        assert (code, message in text) == (2, True), args


def test_logs_run_detect(account: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from soryoku.detect.simulate.layout import render_cloudtrail, save
    from soryoku.detect.simulate.scenarios import root_without_mfa

    logs = tmp_path / "trail"
    save(render_cloudtrail(root_without_mfa(datetime(2024, 5, 1, 12)).cloudtrail), logs)
    out = tmp_path / "report.json"
    code, _ = _run(
        ["scan", "--engines", "detect", "--logs", str(logs), "-f", "json-ocsf", "-o", str(out), "--quiet"],
        capsys,
    )
    assert code == 3  # detections needing --ip-ranges/--intel context say they were not evaluated
    found = _by_engine(out)
    assert set(found) == {"detect"}
    assert any("root" in f["finding_info"]["title"].lower() for f in found["detect"])


def test_content_scans_s3_report_only(
    account: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("yara", reason="yara-python (soryoku[content]) is not installed")
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="uploads")
    s3.put_object(Bucket="uploads", Key="in/eicar.com", Body=EICAR.encode())
    s3.put_object(Bucket="uploads", Key="in/readme.txt", Body=b"hello\n")
    out = tmp_path / "report.json"
    args = [
        "scan",
        "--engines",
        "content",
        "--content",
        "s3://uploads/in/",
        "-f",
        "json-ocsf",
        "-o",
        str(out),
    ]
    code, _ = _run([*args, "--quiet"], capsys)
    assert code == 0
    [finding] = _by_engine(out)["content"]
    assert finding["resources"][0]["uid"].endswith("uploads/in/eicar.com")
    assert s3.get_object_tagging(Bucket="uploads", Key="in/eicar.com")["TagSet"] == []  # report only

    code, _ = _run([*args, "--content-actions", "--quiet"], capsys)
    assert code == 0
    assert s3.get_object_tagging(Bucket="uploads", Key="in/eicar.com")["TagSet"] != []


def test_an_engine_without_its_extra_is_a_gap(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys

    from soryoku.cli.scan_engines import EnginePlan, run_engines
    from soryoku.posture.engine import PostureOptions

    monkeypatch.setitem(sys.modules, "duckdb", None)  # `import duckdb` now raises ImportError
    monkeypatch.delitem(sys.modules, "soryoku.detect.engine", raising=False)
    plan = EnginePlan(engines=("detect",), posture=PostureOptions(), logs=(str(tmp_path),))
    [result] = run_engines(plan, lambda options: [])
    [gap] = result.gaps
    assert (result.engine, gap.scope) == ("detect", str(tmp_path))
    assert "soryoku[detect]" in gap.reason
