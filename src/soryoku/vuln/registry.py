"""Images pulled from a registry over the Docker Registry HTTP API v2 (``registry://`` and ``ecr:``).

``registry://HOST[:PORT]/NAME:TAG`` (or ``@sha256:…``) pulls the manifest (following an image
index or manifest list to the linux/amd64 image, else the first), then each layer blob, verifying
every digest, into an OCI layout folder that ``ImageTree`` reads like any other image. Loopback
hosts are spoken to over plain http, everything else over https. Authentication: anonymous,
HTTP Basic (``SORYOKU_REGISTRY_USERNAME`` / ``SORYOKU_REGISTRY_PASSWORD``), and the Bearer token
flow registries announce in ``WWW-Authenticate``. ``ecr:REPOSITORY:TAG`` gets Basic credentials
from ECR's GetAuthorizationToken and pulls from the account's registry (or from
``SORYOKU_ECR_REGISTRY_ENDPOINT`` when set).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soryoku.core.errors import InputError
from soryoku.core.result import ScanResult
from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.inventory import Inventory

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
_ACCEPT = ", ".join((OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST))
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_BLOB_BYTES = 8 * 1024 * 1024 * 1024
_CHUNK = 1024 * 1024
ECR_ENDPOINT_ENV = "SORYOKU_ECR_REGISTRY_ENDPOINT"


@dataclass(frozen=True, slots=True)
class ImageReference:
    """Where an image is: registry host, repository name, and a tag or digest."""

    host: str
    name: str
    reference: str

    @property
    def base_url(self) -> str:
        """``http://`` for loopback registries, else ``https://``."""
        scheme = "http" if self.host.rsplit(":", 1)[0] in _LOOPBACK else "https"
        return f"{scheme}://{self.host}/v2/{self.name}"

    def __str__(self) -> str:
        sep = "@" if self.reference.startswith("sha256:") else ":"
        return f"{self.host}/{self.name}{sep}{self.reference}"


def parse_reference(target: str) -> ImageReference:
    """``registry://host[:port]/name[:tag|@digest]`` → ImageReference (tag defaults to latest)."""
    text = target.removeprefix("registry://")
    host, _, rest = text.partition("/")
    if not host or not rest:
        raise InputError(f"TARGET {target!r}: expected registry://HOST[:PORT]/NAME[:TAG|@sha256:DIGEST]")
    if "@" in rest:
        name, _, reference = rest.partition("@")
    else:
        name, _, reference = rest.rpartition(":") if ":" in rest.rsplit("/", 1)[-1] else (rest, "", "latest")
    if not re.fullmatch(r"[a-z0-9]+(?:[._/-][a-z0-9]+)*", name):
        raise InputError(f"TARGET {target!r}: {name!r} is not a repository name")
    return ImageReference(host, name, reference or "latest")


class RegistryClient:
    """A minimal pull-only client of one repository."""

    def __init__(
        self, ref: ImageReference, *, username: str | None = None, password: str | None = None
    ) -> None:
        self.ref = ref
        self.username = username if username is not None else os.environ.get("SORYOKU_REGISTRY_USERNAME")
        self.password = password if password is not None else os.environ.get("SORYOKU_REGISTRY_PASSWORD")
        self._authorization: str | None = None
        if self.username and self.password:
            self._authorization = (
                "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            )

    def _token(self, challenge: str) -> str:
        params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        if "realm" not in params:
            raise InputError(f"registry {self.ref.host}: unusable authentication challenge {challenge!r}")
        query = {k: v for k, v in params.items() if k in {"service", "scope"}}
        query.setdefault("scope", f"repository:{self.ref.name}:pull")
        request = urllib.request.Request(f"{params['realm']}?{urllib.parse.urlencode(query)}")
        if self.username and self.password:
            basic = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            request.add_header("Authorization", f"Basic {basic}")
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.loads(response.read())
        return "Bearer " + str(body.get("token") or body.get("access_token"))

    def _open(self, path: str, accept: str | None = None) -> Any:
        url = f"{self.ref.base_url}/{path}"
        for attempt in range(2):
            request = urllib.request.Request(url)
            if accept:
                request.add_header("Accept", accept)
            if self._authorization:
                request.add_header("Authorization", self._authorization)
            try:
                return urllib.request.urlopen(request, timeout=120)
            except urllib.error.HTTPError as exc:
                challenge = exc.headers.get("WWW-Authenticate", "")
                if exc.code == 401 and attempt == 0 and challenge.lower().startswith("bearer"):
                    self._authorization = self._token(challenge)
                    continue
                raise InputError(f"{self.ref}: registry answered HTTP {exc.code} for {path}") from exc
            except (urllib.error.URLError, OSError) as exc:
                raise InputError(f"{self.ref}: registry unreachable ({exc})") from exc
        raise InputError(f"{self.ref}: registry refused the credentials for {path}")

    def manifest(self, reference: str) -> tuple[bytes, str]:
        """The raw manifest and its media type."""
        with self._open(f"manifests/{reference}", _ACCEPT) as response:
            data = response.read(16 * 1024 * 1024)
            media = response.headers.get("Content-Type", "").split(";")[0].strip()
        return data, media or str(json.loads(data).get("mediaType", ""))

    def blob_to(self, digest: str, destination: Path) -> None:
        """Download a blob into ``destination``, verifying its sha256 digest."""
        algorithm, _, expected = digest.partition(":")
        if algorithm != "sha256" or not re.fullmatch(r"[0-9a-f]{64}", expected):
            raise InputError(f"{self.ref}: unsupported blob digest {digest!r}")
        hasher, size = hashlib.sha256(), 0
        with self._open(f"blobs/{digest}") as response, destination.open("wb") as out:
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > MAX_BLOB_BYTES:
                    raise InputError(f"{self.ref}: blob {digest} larger than {MAX_BLOB_BYTES} bytes")
                hasher.update(chunk)
                out.write(chunk)
        if hasher.hexdigest() != expected:
            raise InputError(f"{self.ref}: blob {digest} does not match its digest")


def _choose(index: dict[str, Any]) -> str:
    manifests = [m for m in index.get("manifests") or [] if isinstance(m, dict) and "digest" in m]
    if not manifests:
        raise InputError("image index lists no manifests")
    for entry in manifests:
        platform = entry.get("platform") or {}
        if platform.get("os") == "linux" and platform.get("architecture") == "amd64":
            return str(entry["digest"])
    return str(manifests[0]["digest"])


def pull_to_layout(client: RegistryClient, destination: Path) -> Path:
    """Pull the image into an OCI layout folder at ``destination``; the folder."""
    blobs = destination / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    data, media = client.manifest(client.ref.reference)
    document = json.loads(data)
    if media in {OCI_INDEX, DOCKER_LIST} or "manifests" in document:
        data, media = client.manifest(_choose(document))
        document = json.loads(data)
    if "layers" not in document:
        raise InputError(f"{client.ref}: manifest of type {media or '?'} lists no layers")
    digest = hashlib.sha256(data).hexdigest()
    (blobs / digest).write_bytes(data)
    for layer in document["layers"]:
        target = blobs / str(layer["digest"]).partition(":")[2]
        if not target.exists():
            client.blob_to(str(layer["digest"]), target)
    index = {"schemaVersion": 2, "manifests": [{"mediaType": OCI_MANIFEST, "digest": f"sha256:{digest}"}]}
    (destination / "index.json").write_text(json.dumps(index))
    (destination / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    return destination


def ecr_registry(client: Any, label: str = "") -> tuple[str, str, str]:
    """(registry host, username, password) of the account's ECR registry, from GetAuthorizationToken.

    ``SORYOKU_ECR_REGISTRY_ENDPOINT`` (``HOST[:PORT]``) replaces the host the token names: images
    are then pulled from that registry (a pull-through mirror, or a local registry standing in for
    ECR in tests), still with the token's credentials.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    from soryoku.aws.failures import failure_reason

    try:
        data = client.get_authorization_token()["authorizationData"][0]
    except (ClientError, BotoCoreError) as exc:
        prefix = f"{label}: " if label else ""
        raise InputError(f"{prefix}cannot get an ECR token ({failure_reason(exc)})") from exc
    username, _, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
    host = os.environ.get(ECR_ENDPOINT_ENV) or urllib.parse.urlparse(str(data["proxyEndpoint"])).netloc
    return host, username, password


def ecr_reference(
    target: str, *, region: str | None = None, client: Any = None
) -> tuple[ImageReference, str, str]:
    """``ecr:REPOSITORY[:TAG]`` → the account registry's reference and Basic credentials.

    ``client``: an ECR client to ask (default: one of boto3's default session in ``region``).
    """
    import boto3

    repository, _, tag = target.removeprefix("ecr:").partition(":")
    if not repository:
        raise InputError(f"TARGET {target!r}: expected ecr:REPOSITORY[:TAG]")
    host, username, password = ecr_registry(client or boto3.client("ecr", region_name=region), target)
    return ImageReference(host, repository, tag or "latest"), username, password


def image_inventory(target: str) -> Inventory:
    """Pull ``registry://…`` or ``ecr:…`` into a temporary OCI layout and catalog it."""
    import tempfile

    from soryoku.vuln.inventory import catalog

    if target.startswith("ecr:"):
        ref, username, password = ecr_reference(target)
        client = RegistryClient(ref, username=username, password=password)
    else:
        client = RegistryClient(parse_reference(target))
    with tempfile.TemporaryDirectory(prefix="soryoku-image-") as scratch:
        return catalog(pull_to_layout(client, Path(scratch) / "image"), label=str(client.ref))


def scan_registry(db: AdvisoryDB, target: str, *, ignore_unfixed: bool = False) -> ScanResult:
    """Pull and scan an image of a registry."""
    from soryoku.vuln.scanner import scan_inventory

    return scan_inventory(db, image_inventory(target), ignore_unfixed=ignore_unfixed)


__all__ = [
    "ECR_ENDPOINT_ENV",
    "ImageReference",
    "RegistryClient",
    "ecr_reference",
    "ecr_registry",
    "image_inventory",
    "parse_reference",
    "pull_to_layout",
    "scan_registry",
]
