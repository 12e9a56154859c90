"""Inventory: run every registered cataloger over an artifact's files → packages, distro, gaps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from soryoku.core.errors import InputError
from soryoku.core.result import Gap
from soryoku.vuln.artifacts import FileTree, ImageTree, open_tree
from soryoku.vuln.catalogers.base import CATALOGERS, Cataloger, Distro, FileContext, Package
from soryoku.vuln.catalogers.os_packages import OS_RELEASE_PATHS, parse_os_release

ENGINE = "vuln"


@dataclass(frozen=True, slots=True)
class Inventory:
    """What an artifact contains: its packages, its OS, and the files that could not be read."""

    target: str
    kind: str
    distro: Distro | None
    packages: tuple[Package, ...]
    gaps: tuple[Gap, ...] = ()


def _distro(tree: FileTree, paths: set[str]) -> Distro | None:
    for candidate in OS_RELEASE_PATHS:
        if candidate in paths:
            for _, data in tree.read([candidate]):
                if isinstance(data, bytes):
                    return parse_os_release(data)
    return None


def _plan(paths: list[str], catalogers: list[Cataloger]) -> dict[str, list[Cataloger]]:
    present = set(paths)
    wanted: dict[str, list[Cataloger]] = {}
    for path in paths:
        for item in catalogers:
            if not item.wants(path):
                continue
            folder = path.rpartition("/")[0]
            siblings = (f"{folder}/{name}" if folder else name for name in item.superseded_by)
            if any(s in present for s in siblings):
                continue
            wanted.setdefault(path, []).append(item)
    return wanted


def catalog_tree(tree: FileTree, target: str, catalogers: list[Cataloger] | None = None) -> Inventory:
    """Catalog an opened tree."""
    chosen = catalogers if catalogers is not None else list(CATALOGERS)
    if isinstance(tree, ImageTree):  # one pass over each layer instead of two
        tree.keep_while_listing(lambda path: path in OS_RELEASE_PATHS or any(c.wants(path) for c in chosen))
    paths = tree.paths()
    distro = _distro(tree, set(paths))
    plan = _plan(paths, chosen)
    packages: list[Package] = []
    gaps: list[Gap] = []
    for path, data in tree.read(sorted(plan)):
        location = tree.location(path)
        if isinstance(data, str):
            gaps.append(Gap(ENGINE, location, data, tuple(c.id for c in plan[path])))
            continue
        context = FileContext(path=path, location=location, distro=distro)
        for item in plan[path]:
            try:
                packages.extend(item.parse(data, context))
            except InputError as exc:
                gaps.append(Gap(ENGINE, location, str(exc), (item.id,)))
    return Inventory(target, tree.kind, distro, tuple(packages), tuple(gaps))


def catalog(
    target: Path, catalogers: list[Cataloger] | None = None, *, label: str | None = None
) -> Inventory:
    """Catalog a folder, root filesystem, file, zip or image archive (``label`` names it in output)."""
    tree = open_tree(target, label)
    try:
        return catalog_tree(tree, label or str(target), catalogers)
    finally:
        if isinstance(tree, ImageTree):
            tree.close()


__all__ = ["Inventory", "catalog", "catalog_tree"]
