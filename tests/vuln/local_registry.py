"""A real Docker registry (Debian's ``docker-registry``) on 127.0.0.1 for the vuln tests, and the
pushes over the HTTP API v2 with which the tests put the images they assemble into it."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NOT_INSTALLED = "docker-registry not installed (Debian package `docker-registry`)"


def layer_tar(files: dict[str, bytes]) -> bytes:
    """A gzip layer holding ``files`` (path → content)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return gzip.compress(buffer.getvalue())


@dataclass(frozen=True, slots=True)
class LocalRegistry:
    """A running registry at ``host`` (``127.0.0.1:PORT``), anonymous, plain http."""

    host: str

    def push_blob(self, name: str, data: bytes) -> dict[str, object]:
        """Upload a blob to repository ``name``; its descriptor (digest, size)."""
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        start = urllib.request.Request(f"http://{self.host}/v2/{name}/blobs/uploads/", method="POST")
        with urllib.request.urlopen(start) as response:
            location = response.headers["Location"]
        upload = location if location.startswith("http") else f"http://{self.host}{location}"
        separator = "&" if "?" in upload else "?"
        put = urllib.request.Request(f"{upload}{separator}digest={digest}", data=data, method="PUT")
        put.add_header("Content-Type", "application/octet-stream")
        urllib.request.urlopen(put).close()
        return {"digest": digest, "size": len(data)}

    def push_manifest(self, name: str, reference: str, document: dict[str, object], media: str) -> str:
        """Put a manifest (serialised as ``json.dumps(document)``) under ``reference``; its digest."""
        data = json.dumps(document).encode()
        request = urllib.request.Request(
            f"http://{self.host}/v2/{name}/manifests/{reference}", data=data, method="PUT"
        )
        request.add_header("Content-Type", media)
        urllib.request.urlopen(request).close()
        return "sha256:" + hashlib.sha256(data).hexdigest()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_registry(root: Path) -> Iterator[LocalRegistry | None]:
    """Start ``docker-registry`` on a free loopback port with its storage under ``root``; ``None``
    when it is not installed. Stopped on exit."""
    binary = shutil.which("docker-registry")
    if binary is None:
        yield None
        return
    port = _free_port()
    config = root / "config.yml"
    config.write_text(
        f"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {root / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    process = subprocess.Popen(
        [binary, "serve", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1).close()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        else:
            raise RuntimeError("docker-registry did not start within 10 s")
        yield LocalRegistry(f"127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)
