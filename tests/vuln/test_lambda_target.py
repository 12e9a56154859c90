"""lambda:FUNCTION against moto: the function and its layers via the Lambda API.

moto's code locations cannot be downloaded (they name AWS hosts), so the download step is
replaced by the bytes that were uploaded — what AWS's presigned URL would return.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import boto3
import pytest

from soryoku.cli.app import main
from soryoku.core.errors import InputError
from soryoku.vuln import lambda_target
from soryoku.vuln.advisories.store import create_db
from soryoku.vuln.demo import shipped_advisories
from soryoku.vuln.lambda_target import download, parse_target, scan_lambda


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


FUNCTION_ZIP = _zip(
    {"app.py": "x = 1\n", "requests-2.19.1.dist-info/METADATA": "Name: requests\nVersion: 2.19.1\n"}
)
LAYER_ZIP = _zip(
    {"python/lib/python3.12/site-packages/PyYAML-5.3.dist-info/METADATA": "Name: PyYAML\nVersion: 5.3\n"}
)


@pytest.fixture
def deployed(aws: str) -> list[bytes]:
    """Function ``orders-api`` with one layer in moto; returns the uploads in fetch order."""
    role = boto3.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps({}))["Role"][
        "Arn"
    ]
    client = boto3.client("lambda")
    layer = client.publish_layer_version(LayerName="deps", Content={"ZipFile": LAYER_ZIP})["LayerVersionArn"]
    client.create_function(
        FunctionName="orders-api",
        Runtime="python3.12",
        Role=role,
        Handler="app.h",
        Code={"ZipFile": FUNCTION_ZIP},
        Layers=[layer],
    )
    return [FUNCTION_ZIP, LAYER_ZIP]


def test_function_and_layer_scanned(deployed: list[bytes], tmp_path: Path) -> None:
    uploads = list(deployed)
    calls: list[str] = []

    def recorded(url: str) -> bytes:
        calls.append(url)
        return uploads.pop(0)

    db = create_db(tmp_path / "v.db")
    shipped_advisories(db)
    result = scan_lambda(db, "lambda:orders-api", fetch=recorded)
    assert len(calls) == 2 and result.gaps == []
    where = {(f.check_id, f.resources[0].uid, f.resources[0].type) for f in result.findings}
    assert (
        "CVE-2018-18074",
        "arn:aws:lambda:us-east-1:123456789012:function:orders-api",
        "AwsLambdaFunction",
    ) in where
    assert (
        "CVE-2020-14343",
        "arn:aws:lambda:us-east-1:123456789012:layer:deps:1",
        "AwsLambdaLayerVersion",
    ) in where
    layer_finding = next(f for f in result.findings if f.check_id == "CVE-2020-14343")
    assert layer_finding.vulnerabilities and layer_finding.vulnerabilities[0].affected_packages
    path = layer_finding.vulnerabilities[0].affected_packages[0].path
    assert path == "lambda-layer:deps:1!/python/lib/python3.12/site-packages/PyYAML-5.3.dist-info/METADATA"


def test_cli_and_errors(
    deployed: list[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    uploads = list(deployed)
    monkeypatch.setattr(lambda_target, "download", lambda url: uploads.pop(0))
    db = create_db(tmp_path / "v.db")
    shipped_advisories(db)
    db.close()
    args = ["vuln", "lambda:orders-api", "--vuln-db", str(tmp_path / "v.db"), "-f", "json-ocsf", "--no-store"]
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 0
    findings = json.loads(capsys.readouterr().out)
    assert {f["finding_info"]["analytic"]["uid"] for f in findings} >= {"CVE-2018-18074", "CVE-2020-14343"}

    with pytest.raises(InputError, match="cannot read the function"):
        scan_lambda(create_db(tmp_path / "w.db"), "lambda:missing", fetch=lambda url: b"")
    with pytest.raises(InputError, match="presigned https URL"):
        download("s3://bucket/key")
    assert parse_target("lambda:arn:aws:lambda:eu-west-1:123456789012:function:f") == (
        "arn:aws:lambda:eu-west-1:123456789012:function:f",
        "eu-west-1",
    )


def test_merged_inventory_for_sbom_and_plan(deployed: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    from soryoku.vuln.targets import merged_inventory

    uploads = list(deployed)
    monkeypatch.setattr(lambda_target, "download", lambda url: uploads.pop(0))
    inventory = merged_inventory("lambda:orders-api")
    assert {(p.name, p.location.split("!")[0]) for p in inventory.packages} == {
        ("requests", "lambda:orders-api"),
        ("PyYAML", "lambda-layer:deps:1"),
    }
    with pytest.raises(InputError, match="no such file"):
        merged_inventory("/nonexistent/path")
