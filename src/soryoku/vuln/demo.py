"""The vuln layer of the demo account: a host, an application and a Lambda package with
known-vulnerable versions, scanned through the normal code path against the advisory subset
shipped in ``soryoku/vuln/data`` (offline, fresh install; see its README for sources/licenses).

* EC2 instance ``web-1`` (Debian 11): a dpkg database with OpenSSL, zlib, curl and polkit builds
  older than their Debian security fixes (polkit's CVE-2021-4034, "PwnKit", is in CISA KEV).
* ``orders-service``: a pinned ``requirements.txt`` (pyspark 3.0.0 — CVE-2022-33891 is in KEV —,
  requests 2.19.1, urllib3 1.24.1).
* Lambda function ``orders-api``: a deployment package (zip) carrying Jinja2 2.10 and PyYAML 5.3.
* Container image ``orders-worker:1.4`` in the account's ECR repository: a Debian 11 base layer
  (zlib, curl) with an application, and a layer that upgrades PyYAML and deletes (whiteout) a
  legacy folder — what the final image does not contain is not reported.
  moto's ECR keeps no layers, so the image is written as a ``docker save`` archive beside the
  repository and scanned from there, exactly as a saved or pulled image would be.
"""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from importlib.resources import as_file, files
from pathlib import Path

from soryoku.core.finding import Resource
from soryoku.core.result import ScanResult
from soryoku.demo.context import DemoContext
from soryoku.vuln.advisories.loaders import read_path
from soryoku.vuln.advisories.store import AdvisoryDB, create_db
from soryoku.vuln.scanner import finding_risk_order, scan_path

OS_RELEASE = """\
PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"
NAME="Debian GNU/Linux"
VERSION_ID="11"
VERSION="11 (bullseye)"
ID=debian
"""


def _stanza(name: str, version: str, source: str | None = None) -> str:
    lines = [f"Package: {name}", "Status: install ok installed", "Architecture: amd64"]
    if source:
        lines.append(f"Source: {source}")
    return "\n".join([*lines, f"Version: {version}", f"Description: {name}"]) + "\n"


DPKG_STATUS = "\n".join(
    [
        _stanza("bash", "5.1-2+deb11u1"),
        _stanza("libssl1.1", "1.1.1n-0+deb11u3", "openssl"),
        _stanza("openssl", "1.1.1n-0+deb11u3"),
        _stanza("zlib1g", "1:1.2.11.dfsg-2+deb11u1", "zlib"),
        _stanza("curl", "7.74.0-1.3+deb11u3"),
        _stanza("libcurl4", "7.74.0-1.3+deb11u3", "curl"),
        _stanza("policykit-1", "0.105-31"),
    ]
)
REQUIREMENTS = "pyspark==3.0.0\nrequests==2.19.1\nurllib3==1.24.1\nboto3==1.34.0\n"
LAMBDA_PACKAGE = {
    "app.py": "import jinja2, yaml\n\ndef handler(event, context):\n    return {'ok': True}\n",
    "Jinja2-2.10.dist-info/METADATA": "Metadata-Version: 2.1\nName: Jinja2\nVersion: 2.10\n",
    "PyYAML-5.3.dist-info/METADATA": "Metadata-Version: 2.1\nName: PyYAML\nVersion: 5.3\n",
}


IMAGE_LAYERS: tuple[dict[str, str], ...] = (
    {
        "etc/os-release": OS_RELEASE,
        "var/lib/dpkg/status": "\n".join(
            [
                _stanza("zlib1g", "1:1.2.11.dfsg-2+deb11u1", "zlib"),
                _stanza("libcurl4", "7.74.0-1.3+deb11u3", "curl"),
            ]
        ),
        "srv/worker/requirements.txt": "PyYAML==5.3\n",
        "srv/worker/legacy/requirements.txt": "Jinja2==2.10\n",
    },
    # the next layer upgrades PyYAML and deletes the legacy folder: neither may be reported
    {"srv/worker/requirements.txt": "PyYAML==5.4.1\nurllib3==1.24.1\n", "srv/worker/.wh.legacy": ""},
)


def _tar(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def write_image(path: Path) -> Path:
    """The ``orders-worker:1.4`` image as a ``docker save`` archive."""
    files: dict[str, bytes] = {}
    names = []
    for index, layer in enumerate(IMAGE_LAYERS):
        name = f"layer{index}/layer.tar"
        files[name] = _tar({k: v.encode() for k, v in layer.items()})
        names.append(name)
    files["config.json"] = json.dumps({"architecture": "amd64", "os": "linux"}).encode()
    manifest = [{"Config": "config.json", "RepoTags": ["orders-worker:1.4"], "Layers": names}]
    files["manifest.json"] = json.dumps(manifest).encode()
    path.write_bytes(_tar(files))
    return path


def _ecr_repository(ctx: DemoContext) -> str:
    import boto3

    ecr = boto3.client("ecr", region_name=ctx.region, endpoint_url=ctx.endpoint_url)
    return str(ecr.create_repository(repositoryName="orders-worker")["repository"]["repositoryArn"])


def shipped_advisories(db: AdvisoryDB) -> None:
    """Import the advisory subset shipped in the package into ``db``."""
    with as_file(files("soryoku.vuln") / "data") as folder:
        db.import_items(read_path(folder), "soryoku demo subset (soryoku/vuln/data)")


def _lambda_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in LAMBDA_PACKAGE.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _web_instance_arn(ctx: DemoContext) -> str | None:
    """The demo account's ``web-1`` instance, when the scenario created it."""
    import boto3

    ec2 = boto3.client("ec2", region_name=ctx.region, endpoint_url=ctx.endpoint_url)
    reservations = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["web-1"]}])["Reservations"]
    for reservation in reservations:
        for instance in reservation["Instances"]:
            return f"arn:aws:ec2:{ctx.region}:{ctx.account_id}:instance/{instance['InstanceId']}"
    return None


def _deploy_lambda(ctx: DemoContext, package: bytes) -> str:
    """Create the ``orders-api`` function from the package; its ARN."""
    import json

    import boto3

    iam = boto3.client("iam", region_name=ctx.region, endpoint_url=ctx.endpoint_url)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Principal": {"Service": "lambda.amazonaws.com"}}]}  # fmt: skip
    role = iam.create_role(RoleName="orders-api-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"][
        "Arn"
    ]
    function = boto3.client("lambda", region_name=ctx.region, endpoint_url=ctx.endpoint_url).create_function(
        FunctionName="orders-api",
        Runtime="python3.12",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": package},
    )
    return str(function["FunctionArn"])


def write_inputs(workdir: Path) -> tuple[Path, Path, Path]:
    """Write the host root filesystem, the application folder and the Lambda zip; their paths."""
    host = workdir / "web-1"
    (host / "etc").mkdir(parents=True)
    (host / "etc" / "os-release").write_text(OS_RELEASE)
    (host / "var" / "lib" / "dpkg").mkdir(parents=True)
    (host / "var" / "lib" / "dpkg" / "status").write_text(DPKG_STATUS)
    app = workdir / "orders-service"
    app.mkdir()
    (app / "requirements.txt").write_text(REQUIREMENTS)
    package = workdir / "orders-api.zip"
    package.write_bytes(_lambda_zip())
    return host, app, package


def run_demo(ctx: DemoContext) -> ScanResult:
    """Write the demo inputs into ``ctx.workdir``, scan them, and return one ScanResult."""
    db = create_db(ctx.workdir / "advisories.db")
    try:
        shipped_advisories(db)
        host, app, package = write_inputs(ctx.workdir)
        instance = _web_instance_arn(ctx)
        function = _deploy_lambda(ctx, package.read_bytes())
        image = write_image(ctx.workdir / "orders-worker-1.4.tar")
        repository = _ecr_repository(ctx)
        host_resource = (
            Resource(uid=instance, type="AwsEc2Instance", name="web-1", region=ctx.region)
            if instance
            else None
        )
        result = ScanResult(engine="vuln", scope=f"aws:{ctx.account_id}")
        for part in (
            scan_path(db, host, label="ec2:web-1", resource=host_resource),
            scan_path(db, app, label="repo:orders-service"),
            scan_path(
                db,
                package,
                label="lambda:orders-api",
                resource=Resource(
                    uid=function, type="AwsLambdaFunction", name="orders-api", region=ctx.region
                ),
            ),
            scan_path(
                db,
                image,
                label="ecr:orders-worker:1.4",
                resource=Resource(
                    uid=f"{repository}:1.4",
                    type="AwsEcrContainerImage",
                    name="orders-worker:1.4",
                    region=ctx.region,
                ),
            ),
        ):
            result.extend(part)
            result.started_ms = result.started_ms or part.started_ms
            result.finished_ms = part.finished_ms
        result.findings.sort(key=finding_risk_order)
        return result
    finally:
        db.close()


__all__ = ["run_demo", "shipped_advisories", "write_image", "write_inputs"]
