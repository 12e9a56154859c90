"""Go modules: ``go.mod`` requirements (complete since Go 1.17), ``go.sum`` when no go.mod is beside it."""

from __future__ import annotations

from soryoku.vuln.catalogers.base import FileContext, Package, basename, cataloger, package


def _go_package(module: str, version: str, context: FileContext) -> Package:
    namespace, _, name = module.rpartition("/")
    return package("go", name, version, context, namespace=namespace)


@cataloger("go-mod", title="go.mod", ecosystem="go", wants=lambda p: basename(p) == "go.mod")
def parse_go_mod(data: bytes, context: FileContext) -> list[Package]:
    """``require`` lines (single and block form); ``replace`` targets with a version win."""
    requires: dict[str, str] = {}
    replaces: dict[str, tuple[str, str]] = {}
    block = ""
    for raw in data.decode("utf-8", errors="replace").splitlines():
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if line.endswith("(") and line.split()[0] in {"require", "replace", "exclude", "retract"}:
            block = line.split()[0]
            continue
        if line == ")":
            block = ""
            continue
        words = line.split()
        kind = block
        if not block and words[0] in {"require", "replace"}:
            kind, words = words[0], words[1:]
        if kind == "require" and len(words) >= 2:
            requires[words[0]] = words[1]
        elif kind == "replace" and "=>" in words:
            arrow = words.index("=>")
            target = words[arrow + 1 :]
            if len(target) == 2:  # a module@version target; a local path has no version
                replaces[words[0]] = (target[0], target[1])
    found = []
    for required, pinned in sorted(requires.items()):
        module, version = replaces.get(required, (required, pinned))
        found.append(_go_package(module, version, context))
    return found


@cataloger(
    "go-sum",
    title="go.sum (only without a go.mod beside it)",
    ecosystem="go",
    wants=lambda p: basename(p) == "go.sum",
    superseded_by=("go.mod",),
)
def parse_go_sum(data: bytes, context: FileContext) -> list[Package]:
    """Module versions of a go.sum (the ``/go.mod``-only hash lines are not installed code)."""
    found: dict[tuple[str, str], Package] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        words = line.split()
        if len(words) >= 2 and not words[1].endswith("/go.mod"):
            found.setdefault((words[0], words[1]), _go_package(words[0], words[1], context))
    return list(found.values())


__all__ = ["parse_go_mod", "parse_go_sum"]
