"""An account's Lambda functions and ECR images scanned through the vuln engine, against moto.

moto's code locations name AWS hosts and cannot be downloaded, so the download step returns the
bytes that were uploaded for the function the URL names — what AWS's presigned URL would return.
moto serves no registry, so an image becomes a Gap saying so — unless SORYOKU_ECR_REGISTRY_ENDPOINT
names a registry to pull from: then a real docker-registry on 127.0.0.1 serves the image's layers.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from tests.vuln.local_registry import LocalRegistry, layer_tar

from soryoku.aws.clients import ClientFactory
from soryoku.core.errors import InputError
from soryoku.posture.engine import PostureOptions
from soryoku.vuln.account import (
    choose_images,
    no_database_result,
    scan_account_workloads,
    scan_accounts,
)
from soryoku.vuln.advisories.store import AdvisoryDB, create_db
from soryoku.vuln.demo import shipped_advisories

ACCOUNT = "123456789012"


def zip_of(entries: dict[str, str]) -> bytes:
    """A zip holding ``entries`` (name → text)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


VULNERABLE = zip_of({"app.py": "x = 1\n", "requirements.txt": "requests==2.19.1\nurllib3==1.24.1\n"})
CLEAN = zip_of({"app.py": "x = 1\n", "requirements.txt": "requests==2.32.3\n"})
PACKAGES = {"orders-api": VULNERABLE, "billing-api": CLEAN}


def seed_workloads() -> None:
    """Two zip functions (one vulnerable, one clean) and an ECR repository with one image manifest."""
    role = boto3.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps({}))["Role"][
        "Arn"
    ]
    lambda_client = boto3.client("lambda")
    for name, package in PACKAGES.items():
        lambda_client.create_function(
            FunctionName=name, Runtime="python3.12", Role=role, Handler="app.h", Code={"ZipFile": package}
        )
    ecr = boto3.client("ecr")
    ecr.create_repository(repositoryName="orders-worker", imageScanningConfiguration={"scanOnPush": False})
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 2,
            "digest": "sha256:" + "a" * 64,
        },
        "layers": [],
    }
    ecr.put_image(repositoryName="orders-worker", imageManifest=json.dumps(manifest), imageTag="1.4")


def uploaded(url: str) -> bytes:
    """The package of the function a moto code location names."""
    key = url.rsplit("/", 1)[-1]
    for name, package in PACKAGES.items():
        if key.startswith(name):
            return package
    raise InputError(f"code location {url}: not a seeded function")


@pytest.fixture
def advisories(tmp_path: Path) -> Iterator[AdvisoryDB]:
    """The advisory subset shipped with soryoku."""
    db = create_db(tmp_path / "advisories.db")
    shipped_advisories(db)
    yield db
    db.close()


def test_functions_and_images_of_the_account(aws: str, advisories: AdvisoryDB) -> None:
    seed_workloads()
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    result = scan_account_workloads(factory, ["us-east-1"], advisories, download=uploaded)
    assert (result.engine, result.scope) == ("vuln", f"aws:{ACCOUNT}")
    hits = {(f.check_id, f.resources[0].uid) for f in result.findings}
    orders = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:orders-api"
    assert ("CVE-2018-18074", orders) in hits
    assert all(uid == orders for _, uid in hits)  # the clean function has no finding
    [gap] = result.gaps
    assert gap.scope == f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/orders-worker:1.4"
    assert "ecr:orders-worker:1.4" in gap.reason and "AWS_ENDPOINT_URL" in gap.reason


def test_an_unfetchable_function_is_a_gap(aws: str, advisories: AdvisoryDB) -> None:
    seed_workloads()

    def denied(url: str) -> bytes:
        raise InputError("code location: cannot download (HTTP Error 403: Forbidden)")

    factory = ClientFactory(boto3.Session(), ACCOUNT)
    result = scan_account_workloads(factory, ["us-east-1"], advisories, download=denied)
    assert result.findings == []
    by_scope = {g.scope: g.reason for g in result.gaps}
    assert "403" in by_scope[f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:orders-api"]
    assert "403" in by_scope[f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:billing-api"]
    assert len(by_scope) == 3  # two functions and the image


def test_scan_accounts_uses_the_posture_options(aws: str, advisories: AdvisoryDB) -> None:
    seed_workloads()
    boto3.client("lambda", region_name="eu-west-1")  # nothing there: an empty region is no gap
    results = scan_accounts(PostureOptions(regions=("us-east-1", "eu-west-1")), advisories, download=uploaded)
    [result] = results
    assert result.scope == f"aws:{ACCOUNT}"
    assert any(f.check_id == "CVE-2018-18074" for f in result.findings)
    assert [g.scope for g in result.gaps] == [f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/orders-worker:1.4"]


def test_choose_images() -> None:
    old = {"imageDigest": "sha256:1", "imageTags": ["1.0"], "imagePushedAt": "2024-01-01"}
    new = {"imageDigest": "sha256:2", "imageTags": ["1.1"], "imagePushedAt": "2024-02-01"}
    untagged = {"imageDigest": "sha256:3", "imagePushedAt": "2024-03-01"}
    assert choose_images([old, new, untagged]) == [new]
    assert choose_images([untagged]) == [untagged]
    assert choose_images([new, old], all_images=True) == [old, new]
    assert choose_images([]) == []


def test_no_database_result() -> None:
    result = no_database_result(ACCOUNT, Path("/nowhere/advisories.db"))
    [gap] = result.gaps
    assert gap.scope == f"aws:{ACCOUNT}" and "soryoku vuln db import" in gap.reason


def test_a_function_packaged_as_an_image_is_a_gap(aws: str, advisories: AdvisoryDB) -> None:
    role = boto3.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps({}))["Role"][
        "Arn"
    ]
    image = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/worker:1"
    boto3.client("lambda").create_function(
        FunctionName="worker", Role=role, PackageType="Image", Code={"ImageUri": image}
    )
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    result = scan_account_workloads(factory, ["us-east-1"], advisories, download=uploaded)
    [gap] = result.gaps
    assert gap.scope == f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:worker"
    assert "container image" in gap.reason


def test_an_ecr_image_is_pulled_and_scanned(
    aws: str, advisories: AdvisoryDB, local_registry: LocalRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest image of an ECR repository (moto) pulled from a real registry standing in for the
    account's (SORYOKU_ECR_REGISTRY_ENDPOINT) with the token's credentials, and its findings."""
    name = "payments-worker"
    layers = [
        local_registry.push_blob(
            name,
            layer_tar(
                {
                    "etc/os-release": b'ID=debian\nVERSION_ID="11"\n',
                    "var/lib/dpkg/status": b"Package: policykit-1\nStatus: install ok installed\n"
                    b"Version: 0.105-31\n",
                }
            ),
        ),
        local_registry.push_blob(
            name,
            layer_tar({"app/lib/requests-2.19.1.dist-info/METADATA": b"Name: requests\nVersion: 2.19.1\n"}),
        ),
    ]
    config = local_registry.push_blob(name, json.dumps({"architecture": "amd64", "os": "linux"}).encode())
    media = "application/vnd.oci.image.manifest.v1+json"
    manifest = {
        "schemaVersion": 2,
        "mediaType": media,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **layer} for layer in layers],
    }
    digest = local_registry.push_manifest(name, "2.0", manifest, media)
    ecr = boto3.client("ecr")
    ecr.create_repository(repositoryName=name)
    # the manifest exactly as pushed to the registry, so its digest is the one DescribeImages names
    ecr.put_image(repositoryName=name, imageManifest=json.dumps(manifest), imageTag="2.0", imageDigest=digest)
    monkeypatch.setenv("SORYOKU_ECR_REGISTRY_ENDPOINT", local_registry.host)
    result = scan_account_workloads(ClientFactory(boto3.Session(), ACCOUNT), ["us-east-1"], advisories)
    assert result.gaps == []
    image = f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/{name}:2.0"
    found = {
        (f.check_id, f.resources[0].uid, f.vulnerabilities[0].affected_packages[0].path)  # type: ignore[index]
        for f in result.findings
    }
    assert ("CVE-2021-4034", image, f"ecr:{name}:2.0:/var/lib/dpkg/status") in found
    assert ("CVE-2018-18074", image, f"ecr:{name}:2.0:/app/lib/requests-2.19.1.dist-info/METADATA") in found
    assert {uid for _, uid, _ in found} == {image}
    assert result.findings[0].resources[0].data == {"digest": digest, "tags": ["2.0"]}
