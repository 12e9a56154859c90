"""Go binaries: the build info Go (1.18+) embeds — the toolchain version (matched as the Go
standard library, ``stdlib``) and every module compiled in, with its version (and replacements).

Only files where Go programs are deployed are read, not the distro's own ``usr/bin``: Lambda's
custom-runtime ``bootstrap``, ``usr/local/**``, ``opt/**``, ``app/**``, ``var/task/**``, Go's
``go/bin``. A binary built with Go before 1.18 keeps its build info behind pointers; it is
reported as not evaluated rather than guessed.
"""

from __future__ import annotations

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import FileContext, Package, basename, cataloger, package

MAGIC = b"\xff Go buildinf:"
_HEADER = 32
_PREFIXES = ("usr/local/", "opt/", "app/", "var/task/", "go/bin/", "root/go/bin/")


def _wants(path: str) -> bool:
    name = basename(path)
    if name == "bootstrap":
        return True
    if "." in name or not path.startswith(_PREFIXES):
        return False
    return "/bin/" in f"/{path}" or path.startswith(("app/", "var/task/"))


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    value = shift = 0
    while offset < len(data):
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, offset
        shift += 7
    raise ValueError("truncated varint")


def _string(data: bytes, offset: int) -> tuple[bytes, int]:
    length, offset = _varint(data, offset)
    if offset + length > len(data):
        raise ValueError("truncated string")
    return data[offset : offset + length], offset + length


def read_build_info(data: bytes) -> tuple[str, str] | None:
    """(Go version, module info text) of a Go binary; ``None`` if it carries no Go build info."""
    start = data.find(MAGIC)
    if start < 0 or len(data) < start + _HEADER:
        return None
    flags = data[start + len(MAGIC) + 1]
    if not flags & 0x2:
        raise ValueError("built with Go before 1.18 (build info behind pointers is not read)")
    version, offset = _string(data, start + _HEADER)
    modinfo, _ = _string(data, offset)
    # as Go's debug/buildinfo: the module list sits between two 16-byte sentinels, else there is none
    modules = modinfo[16:-16] if len(modinfo) >= 33 and modinfo[-17] == ord("\n") else b""
    return version.decode("utf-8", errors="replace"), modules.decode("utf-8", errors="replace")


@cataloger(
    "go-binary",
    title="Go binaries (embedded build info: Go version as stdlib, modules and replacements)",
    ecosystem="go",
    wants=_wants,
)
def parse_go_binary(data: bytes, context: FileContext) -> list[Package]:
    """The standard library version and the modules of a Go binary (nothing for other files)."""
    try:
        info = read_build_info(data)
    except ValueError as exc:
        raise InputError(f"{context.location}: Go binary: {exc}") from exc
    if info is None:
        return []
    version, modinfo = info
    found: list[Package] = []
    if version.startswith("go"):
        found.append(package("go", "stdlib", version.split()[0].removeprefix("go"), context))
    last: Package | None = None
    for line in modinfo.splitlines():
        fields = line.split("\t")
        if fields[0] in {"mod", "dep"} and len(fields) >= 3 and fields[2] != "(devel)":
            namespace, _, name = fields[1].rpartition("/")
            last = package("go", name, fields[2], context, namespace=namespace)
            found.append(last)
        elif fields[0] == "=>" and len(fields) >= 3 and last is not None and fields[2]:
            found.remove(last)  # the replacement is what was compiled in
            namespace, _, name = fields[1].rpartition("/")
            found.append(package("go", name, fields[2], context, namespace=namespace))
    return found


__all__ = ["MAGIC", "parse_go_binary", "read_build_info"]
