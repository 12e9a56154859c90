"""registry:// against a real Docker registry (Debian's docker-registry) on 127.0.0.1, with images
the test assembles and pushes itself over the HTTP API v2."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from tests.vuln.local_registry import LocalRegistry, layer_tar

from soryoku.core.errors import InputError
from soryoku.vuln.advisories.store import create_db
from soryoku.vuln.demo import shipped_advisories
from soryoku.vuln.registry import OCI_INDEX, OCI_MANIFEST, parse_reference, scan_registry

OS_RELEASE = b'ID=debian\nVERSION_ID="11"\n'
STATUS = b"Package: policykit-1\nStatus: install ok installed\nVersion: 0.105-31\n"


def _push_image(registry: LocalRegistry, name: str, tag: str) -> None:
    config = registry.push_blob(name, json.dumps({"architecture": "amd64", "os": "linux"}).encode())
    layers = [
        registry.push_blob(name, layer_tar({"etc/os-release": OS_RELEASE, "var/lib/dpkg/status": STATUS})),
        registry.push_blob(name, layer_tar({"app/requirements.txt": b"requests==2.19.1\n"})),
    ]
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **layer} for layer in layers],
    }
    digest = registry.push_manifest(name, f"{tag}-amd64", manifest, OCI_MANIFEST)
    index = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [
            {"mediaType": OCI_MANIFEST, "digest": digest, "size": len(json.dumps(manifest)),
             "platform": {"architecture": "amd64", "os": "linux"}},
        ],
    }  # fmt: skip
    registry.push_manifest(name, tag, index, OCI_INDEX)


def test_pull_and_scan_multi_platform_image(local_registry: LocalRegistry, tmp_path: Path) -> None:
    registry = local_registry.host
    _push_image(local_registry, "demo/orders", "1.0")
    db = create_db(tmp_path / "v.db")
    shipped_advisories(db)
    result = scan_registry(db, f"registry://{registry}/demo/orders:1.0")
    assert result.gaps == []
    found = {(f.check_id, f.vulnerabilities[0].affected_packages[0].path) for f in result.findings}  # type: ignore[index]
    assert ("CVE-2021-4034", f"{registry}/demo/orders:1.0:/var/lib/dpkg/status") in found
    assert ("CVE-2018-18074", f"{registry}/demo/orders:1.0:/app/requirements.txt") in found
    with pytest.raises(InputError, match="HTTP 404"):
        scan_registry(db, f"registry://{registry}/demo/orders:missing")
    db.close()


def test_cli_registry_target(
    local_registry: LocalRegistry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from soryoku.cli.app import main

    registry = local_registry.host
    _push_image(local_registry, "demo/cli", "2.0")
    db = create_db(tmp_path / "v.db")
    shipped_advisories(db)
    db.close()
    args = ["vuln", f"registry://{registry}/demo/cli:2.0", "--vuln-db", str(tmp_path / "v.db")]
    with pytest.raises(SystemExit) as done:
        main([*args, "-f", "json-ocsf", "--no-store"])
    assert done.value.code == 0
    assert "CVE-2021-4034" in {
        f["finding_info"]["analytic"]["uid"] for f in json.loads(capsys.readouterr().out)
    }


def test_references() -> None:
    ref = parse_reference("registry://127.0.0.1:5000/team/app")
    assert (ref.host, ref.name, ref.reference, ref.base_url) == (
        "127.0.0.1:5000",
        "team/app",
        "latest",
        "http://127.0.0.1:5000/v2/team/app",
    )
    digest = "sha256:" + "a" * 64
    assert parse_reference(f"registry://ghcr.io/org/app@{digest}").reference == digest
    assert parse_reference("registry://ghcr.io/org/app:1.2").base_url == "https://ghcr.io/v2/org/app"
    with pytest.raises(InputError, match="expected registry://"):
        parse_reference("registry://nohost")


def test_sbom_and_plan_of_a_registry_image(
    local_registry: LocalRegistry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from soryoku.cli.app import main

    registry = local_registry.host
    _push_image(local_registry, "demo/plan", "3.0")
    db = create_db(tmp_path / "v.db")
    shipped_advisories(db)
    db.close()
    target = f"registry://{registry}/demo/plan:3.0"
    with pytest.raises(SystemExit) as done:
        main(["vuln", "sbom", target])
    assert done.value.code == 0
    purls = {c["purl"] for c in json.loads(capsys.readouterr().out)["components"] if "purl" in c}
    assert "pkg:pypi/requests@2.19.1" in purls
    with pytest.raises(SystemExit) as done:
        main(["vuln", "plan", target, "--vuln-db", str(tmp_path / "v.db"), "-f", "json"])
    assert done.value.code == 0
    plan = {u["package"]: u["target"] for u in json.loads(capsys.readouterr().out)["upgrades"]}
    assert plan == {"policykit-1": "0.105-31+deb11u1", "requests": "2.31.0"}


def test_bearer_token_flow(tmp_path: Path) -> None:
    """A registry that demands a Bearer token from its token service, as Docker Hub or GHCR do."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    layer = layer_tar({"etc/os-release": OS_RELEASE, "var/lib/dpkg/status": STATUS})
    layer_digest = "sha256:" + hashlib.sha256(layer).hexdigest()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "layers": [{"digest": layer_digest, "size": len(layer)}],
        }
    ).encode()
    seen: list[tuple[str, str]] = []

    class Registry(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            auth = self.headers.get("Authorization", "")
            seen.append((self.path, auth))
            port = self.server.server_address[1]
            if self.path.startswith("/token"):
                body, status, media = json.dumps({"token": "t0ken"}).encode(), 200, "application/json"
            elif auth != "Bearer t0ken":
                self.send_response(401)
                realm = f'Bearer realm="http://127.0.0.1:{port}/token",service="test"'
                self.send_header("WWW-Authenticate", realm)
                self.end_headers()
                return
            elif "/manifests/" in self.path:
                body, status, media = manifest, 200, OCI_MANIFEST
            elif self.path.endswith(layer_digest):
                body, status, media = layer, 200, "application/octet-stream"
            else:
                body, status, media = b"{}", 404, "application/json"
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        db = create_db(tmp_path / "v.db")
        shipped_advisories(db)
        result = scan_registry(db, f"registry://127.0.0.1:{server.server_address[1]}/demo/app:1")
        assert {f.check_id for f in result.findings} == {"CVE-2021-4034"}
        token_requests = [path for path, _ in seen if path.startswith("/token")]
        assert token_requests == ["/token?service=test&scope=repository%3Ademo%2Fapp%3Apull"]
        assert seen[-1][1] == "Bearer t0ken"
    finally:
        server.shutdown()
        thread.join(timeout=5)
