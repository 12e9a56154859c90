"""Building the Lambda deployment zip: soryoku's scanner, its default rules and the dependencies.

boto3 is left out (the Lambda Python runtime has it). With ``deps="env"`` the dependencies are
copied from the running environment, so build on the Lambda's platform (Linux x86_64, the same
Python minor version) or use ``deps="none"`` and provide them in a layer.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from soryoku.core.errors import InputError

HANDLER = "soryoku.content.handler.handler"
# soryoku.core's package import pulls pydantic (the Finding model), hence its distributions.
BASE_DEPS = (
    "yara-python",
    "pydantic",
    "pydantic-core",
    "typing-extensions",
    "annotated-types",
    "typing-inspection",
)
SEVEN_ZIP_DEPS = (
    "py7zr",
    "texttable",
    "pycryptodomex",
    "brotli",
    "pyzstd",
    "pyppmd",
    "pybcj",
    "multivolumefile",
    "inflate64",
    "backports-zstd",
)
_SORYOKU_PARTS = ("__init__.py", "py.typed", "core", "content")


@dataclass(frozen=True, slots=True)
class PackageInfo:
    """What went into the zip."""

    path: Path
    files: int
    size: int
    handler: str


def _add_tree(archive: zipfile.ZipFile, root: Path, arc_root: str) -> int:
    count = 0
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in paths:
        if "__pycache__" in path.parts:
            continue
        rel = path.name if root.is_file() else path.relative_to(root).as_posix()
        archive.write(path, f"{arc_root}/{rel}" if arc_root else rel)
        count += 1
    return count


def _add_distribution(archive: zipfile.ZipFile, name: str, *, required: bool) -> int:
    try:
        dist = distribution(name)
    except PackageNotFoundError:
        if required:
            raise InputError(f"content package: dependency {name!r} is not installed here") from None
        return 0
    count = 0
    for file in dist.files or []:
        if "__pycache__" in file.parts or file.parts[0] == ".." or file.suffix == ".pyc":
            continue
        located = Path(str(dist.locate_file(file)))
        if located.is_file():
            archive.write(located, file.as_posix())
            count += 1
    return count


def build_lambda_zip(output: Path, *, deps: str = "env", with_7z: bool = False) -> PackageInfo:
    """Write the zip to ``output``; InputError for an unknown ``deps`` mode or a missing dependency."""
    if deps not in {"env", "none"}:
        raise InputError(f"--deps {deps!r}: expected env or none")
    if not output.parent.is_dir():
        raise InputError(f"--output {str(output)!r}: folder does not exist")
    source = Path(__file__).resolve().parents[1]
    count = 0
    tmp = output.with_name(f".{output.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in _SORYOKU_PARTS:
            path = source / part
            if path.exists():
                count += _add_tree(archive, path, f"soryoku/{part}" if path.is_dir() else "soryoku")
        if deps == "env":
            for name in BASE_DEPS:
                count += _add_distribution(archive, name, required=name in {"yara-python", "pydantic"})
            if with_7z:
                for name in SEVEN_ZIP_DEPS:
                    count += _add_distribution(archive, name, required=name == "py7zr")
    tmp.replace(output)
    return PackageInfo(path=output, files=count, size=output.stat().st_size, handler=HANDLER)


__all__ = ["HANDLER", "PackageInfo", "build_lambda_zip"]
