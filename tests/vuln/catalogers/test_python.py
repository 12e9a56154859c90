"""Python catalogers: installed metadata, requirements, poetry/uv/pdm/Pipfile locks."""

from __future__ import annotations

import json

import pytest

from soryoku.core.errors import InputError
from soryoku.vuln.catalogers.base import FileContext
from soryoku.vuln.catalogers.python import (
    parse_pipfile_lock,
    parse_poetry_lock,
    parse_python_metadata,
    parse_requirements,
    parse_uv_lock,
)

CTX = FileContext("app/x", "/app/x")


def _pairs(packages: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(p.name, p.version) for p in packages]


def test_installed_metadata() -> None:
    data = b"Metadata-Version: 2.1\nName: Jinja2\nVersion: 2.10\nSummary: x\n\nlong body: not a header\n"
    (pkg,) = parse_python_metadata(data, CTX)
    assert (pkg.name, pkg.version, pkg.purl, pkg.match_name) == (
        "Jinja2",
        "2.10",
        "pkg:pypi/Jinja2@2.10",
        "jinja2",
    )


def test_requirements_only_pins() -> None:
    text = b"""\
# comment
requests==2.19.1 \\
    --hash=sha256:abc
Django[argon2]==3.2.0 ; python_version >= "3.8"
flask>=2.0
-r other.txt
--index-url https://example.org
urllib3===1.24.1  # pinned
-e git+https://example.org/x.git#egg=x
"""
    assert _pairs(parse_requirements(text, CTX)) == [
        ("requests", "2.19.1"),
        ("Django", "3.2.0"),
        ("urllib3", "1.24.1"),
    ]


def test_poetry_and_uv_locks() -> None:
    poetry = (
        b'[[package]]\nname = "pyyaml"\nversion = "5.3"\ncategory = "dev"\n\n'
        b'[[package]]\nname = "idna"\nversion = "2.8"\n'
    )
    packages = parse_poetry_lock(poetry, CTX)
    assert _pairs(packages) == [("pyyaml", "5.3"), ("idna", "2.8")]
    assert packages[0].dev and not packages[1].dev
    uv = b"""version = 1
[[package]]
name = "myapp"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "certifi"
version = "2022.12.7"
source = { registry = "https://pypi.org/simple" }
"""
    assert _pairs(parse_uv_lock(uv, CTX)) == [("certifi", "2022.12.7")]
    with pytest.raises(InputError, match="invalid TOML"):
        parse_uv_lock(b"[[package", CTX)


def test_pipfile_lock() -> None:
    lock = {
        "_meta": {},
        "default": {"requests": {"version": "==2.20.0"}, "local": {"path": "."}},
        "develop": {"pytest": {"version": "==3.0.0"}},
    }
    packages = parse_pipfile_lock(json.dumps(lock).encode(), CTX)
    assert [(p.name, p.version, p.dev) for p in packages] == [
        ("requests", "2.20.0", False),
        ("pytest", "3.0.0", True),
    ]
