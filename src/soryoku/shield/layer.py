"""Build the AWS Lambda layer zip of the in-app guard: ``python/`` with soryoku's shield and its deps.

A Lambda layer is a zip whose ``python/`` folder is put on ``sys.path`` (extracted under
``/opt/python``). The layer holds only what the guard imports: ``soryoku/__init__.py``, the
``soryoku.shield`` package, ``soryoku/core/errors.py`` (the error types the guard raises at start-up;
without ``core/__init__.py``, which would pull in pydantic, so ``soryoku.core`` is a namespace
package there), and the pure-Python ``[shield]`` dependencies ``sqlglot`` and ``crawler-user-agents``
with their licence files. Entries are sorted and time-stamped 1980-01-01, so the same sources give
the same bytes — a layer version is only published when something changed.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = "python"
# (distribution, top-level package) of each runtime dependency of the guard.
DEPENDENCIES = (("sqlglot", "sqlglot"), ("crawler-user-agents", "crawleruseragents"))
_DIST_INFO_KEEP = ("METADATA", "WHEEL", "top_level.txt")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class LayerContents:
    """What a built layer holds: its path, byte size and the distributions (name, version) in it."""

    path: Path
    size: int
    files: int
    distributions: tuple[tuple[str, str], ...]


# Files a distribution ships that the guard never loads: its own tests and JavaScript packaging.
_NOT_RUNTIME = ("package.json", "package-lock.json", "composer.json", "validate.py")


def _wanted(relative: Path) -> bool:
    return (
        "__pycache__" not in relative.parts
        and "tests" not in relative.parts
        and relative.suffix not in (".pyc", ".pyo")
        and not relative.name.startswith("test_")
        and relative.name not in _NOT_RUNTIME
    )


def _soryoku_files() -> list[tuple[str, Path]]:
    package = Path(__file__).resolve().parents[1]
    files = [
        (f"{ROOT}/soryoku/__init__.py", package / "__init__.py"),
        (f"{ROOT}/soryoku/py.typed", package / "py.typed"),
        (f"{ROOT}/soryoku/core/errors.py", package / "core" / "errors.py"),
    ]
    shield = package / "shield"
    for path in sorted(shield.rglob("*")):
        relative = path.relative_to(package)
        if path.is_file() and _wanted(relative):
            files.append((f"{ROOT}/soryoku/{relative.as_posix()}", path))
    return [(name, path) for name, path in files if path.is_file()]


def _dependency_files(distribution: str, top_level: str) -> tuple[str, list[tuple[str, Path]]]:
    from soryoku.core.errors import ConfigError

    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError as error:
        raise ConfigError(
            f"shield layer: {distribution!r} is not installed; install the extra first "
            "(pip install 'soryoku[shield]')"
        ) from error
    files: list[tuple[str, Path]] = []
    for entry in dist.files or ():
        relative = Path(entry.as_posix())
        in_package = relative.parts[0] == top_level
        in_dist_info = relative.parts[0].endswith(".dist-info") and (
            relative.name in _DIST_INFO_KEEP
            or "licenses" in relative.parts
            or relative.name.startswith("LICENSE")
        )
        if (in_package and _wanted(relative)) or in_dist_info:
            files.append((f"{ROOT}/{relative.as_posix()}", Path(str(dist.locate_file(entry)))))
    if not any(name.startswith(f"{ROOT}/{top_level}/") for name, _ in files):
        raise ConfigError(f"shield layer: the installed {distribution!r} lists no files of {top_level!r}")
    return dist.version, files


def _soryoku_metadata(version: str) -> str:
    """A minimal dist-info METADATA, so ``soryoku.__version__`` resolves inside the layer."""
    return f"Metadata-Version: 2.1\nName: soryoku\nVersion: {version}\nLicense: Apache-2.0\n"


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def build_layer(output: Path) -> LayerContents:
    """Write the layer zip to ``output`` (replacing it) and say what went in."""
    from soryoku import __version__
    from soryoku.core.errors import OutputPathError

    if output.exists() and output.is_dir():
        raise OutputPathError(f"shield layer -o {str(output)!r}: is a directory, expected a .zip file path")
    if not output.parent.is_dir():
        raise OutputPathError(
            f"shield layer -o {str(output)!r}: folder {str(output.parent)!r} does not exist"
        )
    entries = _soryoku_files()
    distributions = [("soryoku", __version__)]
    for distribution, top_level in DEPENDENCIES:
        version, files = _dependency_files(distribution, top_level)
        distributions.append((distribution, version))
        entries.extend(files)
    partial = output.with_name(f".{output.name}.partial")
    with zipfile.ZipFile(partial, "w", compresslevel=9) as archive:
        for name, path in sorted(entries):
            _add(archive, name, path.read_bytes())
        _add(
            archive,
            f"{ROOT}/soryoku-{__version__}.dist-info/METADATA",
            _soryoku_metadata(__version__).encode(),
        )
    partial.replace(output)
    return LayerContents(
        path=output, size=output.stat().st_size, files=len(entries) + 1, distributions=tuple(distributions)
    )


__all__ = ["DEPENDENCIES", "LayerContents", "build_layer"]
