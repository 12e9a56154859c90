"""Artifacts → inventory: folders, single files, Lambda zips, docker save and OCI images."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from soryoku.core.errors import InputError
from soryoku.vuln.inventory import catalog

OS_RELEASE = b'ID=debian\nVERSION_ID="11"\nPRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\n'
STATUS = b"Package: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.2.11.dfsg-2\n"


def _layer(files: dict[str, bytes | None], *, compress: bool = False) -> bytes:
    """A layer tar; ``None`` content makes a directory."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            if content is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    data = buffer.getvalue()
    return gzip.compress(data) if compress else data


LAYERS = [
    {
        "etc/os-release": OS_RELEASE,
        "var/lib/dpkg/status": STATUS,
        "app/requirements.txt": b"requests==2.19.1\n",
        "app/old/requirements.txt": b"django==1.0\n",
        "opt/venv/lib/python3.11/site-packages/urllib3-1.24.1.dist-info/METADATA": (
            b"Name: urllib3\nVersion: 1.24.1\n"
        ),
    },
    {
        "app/requirements.txt": b"requests==2.31.0\n",  # replaces the lower layer's file
        "app/.wh.old": b"",  # deletes the folder app/old
        "opt/venv/lib/python3.11/site-packages/.wh..wh..opq": b"",  # empties site-packages below
    },
]


def _docker_save(path: Path, layers: list[dict[str, bytes | None]]) -> Path:
    with tarfile.open(path, "w") as tar:
        names = []
        for index, files in enumerate(layers):
            data = _layer(files)
            name = f"layer{index}/layer.tar"
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            names.append(name)
        manifest = json.dumps([{"Config": "config.json", "RepoTags": ["demo:1"], "Layers": names}]).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    return path


def _oci_layout(root: Path, layers: list[dict[str, bytes | None]]) -> Path:
    blobs = root / "blobs" / "sha256"
    blobs.mkdir(parents=True)

    def put(data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        (blobs / digest).write_bytes(data)
        return f"sha256:{digest}"

    manifest = {
        "schemaVersion": 2,
        "layers": [
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": put(_layer(f, compress=True)),
            }
            for f in layers
        ],
    }
    index = {"schemaVersion": 2, "manifests": [{"digest": put(json.dumps(manifest).encode())}]}
    (root / "index.json").write_text(json.dumps(index))
    (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    return root


def _summary(target: Path) -> set[tuple[str, str, str]]:
    inventory = catalog(target)
    assert not inventory.gaps
    return {(p.ecosystem, p.name, p.version) for p in inventory.packages}


EXPECTED_IMAGE = {("debian", "zlib1g", "1:1.2.11.dfsg-2"), ("pypi", "requests", "2.31.0")}


def test_docker_save_applies_layers_and_whiteouts(tmp_path: Path) -> None:
    image = _docker_save(tmp_path / "image.tar", LAYERS)
    assert _summary(image) == EXPECTED_IMAGE
    inventory = catalog(image)
    assert inventory.kind == "image"
    assert inventory.distro is not None and inventory.distro.release == "11"
    zlib = next(p for p in inventory.packages if p.name == "zlib1g")
    assert (zlib.release, zlib.location) == ("11", f"{image}:/var/lib/dpkg/status")


def test_oci_layout_folder_with_gzip_layers(tmp_path: Path) -> None:
    assert _summary(_oci_layout(tmp_path / "oci", LAYERS)) == EXPECTED_IMAGE


def test_directory_walk(tmp_path: Path) -> None:
    for name, content in LAYERS[0].items():
        file = tmp_path / "rootfs" / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content or b"")
    (tmp_path / "rootfs" / "proc").mkdir()
    (tmp_path / "rootfs" / "proc" / "requirements.txt").write_text("ignored==1.0\n")
    assert _summary(tmp_path / "rootfs") == {
        ("debian", "zlib1g", "1:1.2.11.dfsg-2"),
        ("pypi", "requests", "2.19.1"),
        ("pypi", "django", "1.0"),
        ("pypi", "urllib3", "1.24.1"),
    }


def test_lambda_zip_and_single_files(tmp_path: Path) -> None:
    package = tmp_path / "function.zip"
    with zipfile.ZipFile(package, "w") as zf:
        zf.writestr("lambda_function.py", "def handler(e, c): pass\n")
        zf.writestr("requests-2.19.1.dist-info/METADATA", "Name: requests\nVersion: 2.19.1\n")
        zf.writestr(
            "python/lib/python3.12/site-packages/PyYAML-5.3.dist-info/METADATA",
            "Name: PyYAML\nVersion: 5.3\n",
        )
        zf.writestr("node_modules/qs/package.json", json.dumps({"name": "qs", "version": "6.5.1"}))
        zf.writestr(  # the hidden lockfile repeats the installed packages: not read twice
            "node_modules/.package-lock.json",
            json.dumps({"packages": {"node_modules/qs": {"version": "6.5.1"}}}),
        )
    inventory = catalog(package)
    assert inventory.kind == "zip"
    assert {(p.name, p.version) for p in inventory.packages} == {
        ("requests", "2.19.1"),
        ("PyYAML", "5.3"),
        ("qs", "6.5.1"),
    }
    assert any(p.location == f"{package}!/requests-2.19.1.dist-info/METADATA" for p in inventory.packages)

    status = tmp_path / "status"
    status.write_bytes(STATUS)
    assert _summary(status) == {("debian", "zlib1g", "1:1.2.11.dfsg-2")}


def test_unreadable_lockfile_is_a_gap(tmp_path: Path) -> None:
    (tmp_path / "Cargo.lock").write_text("[[package")
    inventory = catalog(tmp_path)
    assert inventory.packages == ()
    (gap,) = inventory.gaps
    assert "invalid TOML" in gap.reason and gap.checks == ("cargo-lock",)


def test_go_sum_superseded_by_go_mod(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module x\n\nrequire github.com/a/b v1.0.0\n")
    (tmp_path / "go.sum").write_text("github.com/a/b v1.0.0 h1:x=\ngithub.com/unused/c v0.1.0 h1:y=\n")
    assert _summary(tmp_path) == {("go", "github.com/a/b", "v1.0.0")}


def test_bad_targets(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        catalog(tmp_path / "absent")
    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w") as tar:
        info = tarfile.TarInfo("hello.txt")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(InputError, match="neither a docker save archive nor an OCI layout"):
        catalog(bogus)


def test_oci_layout_tar_with_image_index(tmp_path: Path) -> None:
    layout = _oci_layout(tmp_path / "oci", LAYERS)
    # wrap the manifest in a multi-platform image index, as registries publish them
    index = json.loads((layout / "index.json").read_text())
    nested = json.dumps({"schemaVersion": 2, "manifests": index["manifests"]}).encode()
    digest = hashlib.sha256(nested).hexdigest()
    (layout / "blobs" / "sha256" / digest).write_bytes(nested)
    (layout / "index.json").write_text(
        json.dumps({"schemaVersion": 2, "manifests": [{"digest": f"sha256:{digest}"}]})
    )
    archive = tmp_path / "oci.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(layout, arcname=".")
    assert _summary(archive) == EXPECTED_IMAGE


def test_image_files_kept_while_listing_equal_a_second_pass(tmp_path: Path) -> None:
    from soryoku.vuln.artifacts import ImageTree

    image = _oci_layout(tmp_path / "oci", LAYERS)
    wanted = ["app/requirements.txt", "etc/os-release", "var/lib/dpkg/status"]
    plain = ImageTree(image)
    two_passes = list(plain.read(wanted))
    single = ImageTree(image)
    single.keep_while_listing(lambda path: path.endswith(("requirements.txt", "os-release")))
    assert sorted(single.paths()) == sorted(plain.paths())
    # the upper layer's requirements.txt wins; the dpkg status (not kept) comes from a second read
    assert list(single.read(wanted)) == two_passes
    assert dict(two_passes)["app/requirements.txt"] == b"requests==2.31.0\n"
    assert set(single._kept) == {(1, "app/requirements.txt"), (0, "etc/os-release")}
    plain.close()
    single.close()


def test_gzip_layers_without_isal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the optional ISA-L package, gzip layers go through tarfile's own zlib path."""
    from soryoku.vuln import artifacts

    monkeypatch.setattr(artifacts, "_isal_gunzip", lambda stream: None)
    assert _summary(_oci_layout(tmp_path / "oci", LAYERS)) == EXPECTED_IMAGE
