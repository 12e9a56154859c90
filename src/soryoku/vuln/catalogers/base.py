"""What a cataloger is, what it finds (``Package``), and the registry they join.

A cataloger declares which files it reads (a predicate over the artifact-relative path) and turns
one file's bytes into packages. Artifacts (folders, root filesystems, zips, images) decide which
files exist; catalogers never touch the filesystem themselves, so each one unit-tests on bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from soryoku.core.registry import Registry
from soryoku.vuln.ecosystems import ecosystem, normalise_name


@dataclass(frozen=True, slots=True)
class Distro:
    """The operating system of an artifact, from ``/etc/os-release``."""

    id: str
    version_id: str
    pretty_name: str = ""

    @property
    def release(self) -> str:
        """The release as OSV ecosystems spell it (``Debian:12``, ``Alpine:v3.18``, ``Ubuntu:22.04``)."""
        if self.id == "alpine":
            major_minor = ".".join(self.version_id.split(".")[:2])
            return f"v{major_minor}"
        if self.id == "debian":
            return self.version_id.split(".")[0]
        return self.version_id


@dataclass(frozen=True, slots=True)
class Package:
    """One installed or locked package, with its purl and where it was found.

    OS packages are matched under their source package (what distro advisories name), which
    ``source_name``/``source_version`` carry when it differs from the binary package.
    """

    name: str
    version: str
    ecosystem: str
    purl: str
    location: str
    release: str = ""
    source_name: str = ""
    source_version: str = ""
    dev: bool = False

    @property
    def match_name(self) -> str:
        """The name advisories use for this package."""
        return normalise_name(self.ecosystem, self.source_name or self.name)

    @property
    def match_version(self) -> str:
        """The version advisories are compared with."""
        return self.source_version or self.version


@dataclass(frozen=True, slots=True)
class FileContext:
    """What a cataloger knows besides a file's bytes: its path in the artifact and the distro."""

    path: str
    location: str
    distro: Distro | None = None


Parse = Callable[[bytes, FileContext], list[Package]]


@dataclass(frozen=True, slots=True)
class Cataloger:
    """A registered cataloger: id, what it reads, how it parses, and a logic version."""

    id: str
    title: str
    ecosystem: str
    wants: Callable[[str], bool]
    parse: Parse
    version: int = 1
    superseded_by: tuple[str, ...] = field(default=())


CATALOGERS: Registry[Cataloger] = Registry(
    "cataloger",
    entry_point_group="soryoku.catalogers",
    builtin_modules=(
        "soryoku.vuln.catalogers.os_packages",
        "soryoku.vuln.catalogers.rpm",
        "soryoku.vuln.catalogers.python",
        "soryoku.vuln.catalogers.node",
        "soryoku.vuln.catalogers.golang",
        "soryoku.vuln.catalogers.golang_binary",
        "soryoku.vuln.catalogers.rust",
        "soryoku.vuln.catalogers.ruby",
        "soryoku.vuln.catalogers.php",
        "soryoku.vuln.catalogers.java",
        "soryoku.vuln.catalogers.dotnet",
        "soryoku.vuln.catalogers.sbom_input",
    ),
)


def cataloger(
    cataloger_id: str,
    *,
    title: str,
    ecosystem: str,
    wants: Callable[[str], bool],
    version: int = 1,
    superseded_by: tuple[str, ...] = (),
) -> Callable[[Parse], Parse]:
    """Register a parse function ``(bytes, FileContext) -> [Package]`` as a cataloger.

    ``superseded_by`` names sibling files that, when present, make this one redundant (``go.sum``
    beside ``go.mod``).
    """

    def decorate(func: Parse) -> Parse:
        CATALOGERS.add(
            Cataloger(
                id=cataloger_id,
                title=title,
                ecosystem=ecosystem,
                wants=wants,
                parse=func,
                version=version,
                superseded_by=superseded_by,
            )
        )
        return func

    return decorate


def basename(path: str) -> str:
    """The last component of a ``/``-separated path."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def purl(
    ecosystem_key: str,
    name: str,
    version: str,
    *,
    namespace: str = "",
    qualifiers: dict[str, str] | None = None,
) -> str:
    """A package URL (purl spec): ``pkg:type/namespace/name@version?qualifiers``."""
    kind = ecosystem(ecosystem_key).purl_type
    parts = [quote(segment, safe="") for segment in namespace.split("/") if segment]
    parts.append(quote(name, safe=""))
    text = f"pkg:{kind}/{'/'.join(parts)}@{quote(version, safe='')}"
    if qualifiers:
        text += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in sorted(qualifiers.items()) if v)
    return text


def package(
    ecosystem_key: str,
    name: str,
    version: str,
    context: FileContext,
    *,
    namespace: str = "",
    dev: bool = False,
) -> Package:
    """A language package found in ``context`` (name split into purl namespace where it has one)."""
    return Package(
        name=f"{namespace}/{name}" if namespace else name,
        version=version,
        ecosystem=ecosystem_key,
        purl=purl(ecosystem_key, name, version, namespace=namespace),
        location=context.location,
        dev=dev,
    )


__all__ = [
    "CATALOGERS",
    "Cataloger",
    "Distro",
    "FileContext",
    "Package",
    "Parse",
    "basename",
    "cataloger",
    "package",
    "purl",
]
