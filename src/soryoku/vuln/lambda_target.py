"""``lambda:FUNCTION`` — a deployed Lambda function's deployment package and its layers, fetched
through the Lambda API (GetFunction, GetLayerVersion) and their presigned code URLs.

Fetching is I/O and lives here; what is fetched is scanned as any zip. A function packaged as a
container image has no zip: it is refused with the advice to scan the image instead.
"""

from __future__ import annotations

import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from soryoku.core.errors import InputError
from soryoku.core.finding import Resource
from soryoku.core.result import ScanResult
from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.inventory import Inventory, catalog
from soryoku.vuln.scanner import scan_inventories

MAX_PACKAGE_BYTES = 300 * 1024 * 1024
Download = Callable[[str], bytes]


@dataclass(frozen=True, slots=True)
class LambdaPackage:
    """One zip of a function: its deployment package or one of its layers."""

    label: str
    resource: Resource
    data: bytes


def download(url: str) -> bytes:
    """The bytes behind a presigned code URL (https only, size-limited)."""
    if not url.startswith("https://"):
        raise InputError(f"code location {url[:60]!r}: expected a presigned https URL")
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = bytes(response.read(MAX_PACKAGE_BYTES + 1))
    except OSError as exc:  # URLError and HTTPError are OSErrors
        raise InputError(f"code location {url.split('?', maxsplit=1)[0]}: cannot download ({exc})") from exc
    if len(data) > MAX_PACKAGE_BYTES:
        raise InputError(f"code package larger than {MAX_PACKAGE_BYTES} bytes")
    return data


def parse_target(target: str) -> tuple[str, str | None]:
    """``lambda:NAME`` or ``lambda:arn:aws:lambda:REGION:ACCOUNT:function:NAME`` → (name or ARN, region)."""
    name = target.removeprefix("lambda:")
    if not name:
        raise InputError(f"TARGET {target!r}: expected lambda:FUNCTION_NAME or lambda:FUNCTION_ARN")
    parts = name.split(":")
    region = parts[3] if name.startswith("arn:") and len(parts) > 3 else None
    return name, region


def _layer_version(client: object, arn: str) -> dict[str, object]:
    # GetLayerVersion with the layer ARN and number works on AWS and on moto (ByArn does not there)
    layer_arn, _, number = arn.rpartition(":")
    response: dict[str, object] = client.get_layer_version(  # type: ignore[attr-defined]
        LayerName=layer_arn, VersionNumber=int(number)
    )
    return response


def fetch_function(target: str, *, fetch: Download | None = None, client: Any = None) -> list[LambdaPackage]:
    """The function's deployment package and layers; InputError naming the function on failure.

    ``fetch`` downloads a code location (default: ``download``, looked up at call time);
    ``client`` is the Lambda client to ask (default: one of boto3's default session).
    """
    import boto3

    from soryoku.aws.failures import failure_reason

    get = fetch or globals()["download"]
    name, region = parse_target(target)
    try:
        client = client or boto3.client("lambda", region_name=region)
        function = client.get_function(FunctionName=name)
        configuration = function["Configuration"]
        if configuration.get("PackageType") == "Image":
            image = function.get("Code", {}).get("ImageUri", "its image")
            raise InputError(f"{target}: packaged as a container image ({image}); scan the image instead")
        arn = str(configuration["FunctionArn"])
        region = region or arn.split(":")[3]
        packages = [
            LambdaPackage(
                f"lambda:{configuration['FunctionName']}",
                Resource(
                    uid=arn, type="AwsLambdaFunction", name=configuration["FunctionName"], region=region
                ),
                get(str(function["Code"]["Location"])),
            )
        ]
        for layer in configuration.get("Layers") or []:
            layer_arn = str(layer["Arn"])
            content = _layer_version(client, layer_arn)["Content"]
            label = "lambda-layer:" + ":".join(layer_arn.split(":")[-2:])
            packages.append(
                LambdaPackage(
                    label,
                    Resource(uid=layer_arn, type="AwsLambdaLayerVersion", region=region),
                    get(str(content["Location"])),  # type: ignore[index]
                )
            )
    except (ClientError, BotoCoreError) as exc:
        raise InputError(f"{target}: cannot read the function ({failure_reason(exc)})") from exc
    except KeyError as exc:
        raise InputError(f"{target}: the Lambda API gave no code location ({exc})") from exc
    return packages


def package_inventories(packages: list[LambdaPackage]) -> list[tuple[Inventory, Resource]]:
    """The inventory of each fetched zip, with the resource it is."""
    found = []
    with tempfile.TemporaryDirectory(prefix="soryoku-lambda-") as scratch:
        for index, item in enumerate(packages):
            archive = Path(scratch) / f"{index}.zip"
            archive.write_bytes(item.data)
            found.append((catalog(archive, label=item.label), item.resource))
    return found


def function_inventories(
    target: str, *, fetch: Download | None = None, client: Any = None
) -> list[tuple[Inventory, Resource]]:
    """The inventory of the function's package and of each layer, with the resource each is."""
    return package_inventories(fetch_function(target, fetch=fetch, client=client))


def scan_lambda(
    db: AdvisoryDB, target: str, *, ignore_unfixed: bool = False, fetch: Download | None = None
) -> ScanResult:
    """Fetch and scan a function's package and layers: one ScanResult, findings on their ARNs."""
    return scan_inventories(
        db, target, function_inventories(target, fetch=fetch), ignore_unfixed=ignore_unfixed
    )


__all__ = [
    "LambdaPackage",
    "download",
    "fetch_function",
    "function_inventories",
    "package_inventories",
    "parse_target",
    "scan_lambda",
]
