"""npm package-lock v1–v3 and yarn.lock."""

from __future__ import annotations

import json

from soryoku.vuln.catalogers.base import FileContext
from soryoku.vuln.catalogers.node import parse_package_lock, parse_yarn_lock

CTX = FileContext("package-lock.json", "/app/package-lock.json")


def test_lockfile_v3_packages() -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "version": "1.0.0"},
            "node_modules/lodash": {"version": "4.17.20"},
            "node_modules/@babel/core": {"version": "7.0.0", "dev": True},
            "node_modules/a/node_modules/minimist": {"version": "0.0.8"},
            "node_modules/linked": {"resolved": "../x", "link": True},
        },
    }
    packages = parse_package_lock(json.dumps(lock).encode(), CTX)
    assert [(p.name, p.version, p.dev) for p in packages] == [
        ("lodash", "4.17.20", False),
        ("@babel/core", "7.0.0", True),
        ("minimist", "0.0.8", False),
    ]
    assert packages[1].purl == "pkg:npm/%40babel/core@7.0.0"


def test_lockfile_v1_nested_dependencies() -> None:
    lock = {
        "lockfileVersion": 1,
        "dependencies": {
            "express": {"version": "4.16.0", "dependencies": {"qs": {"version": "6.5.1"}}},
            "local": {"version": "file:../local"},
        },
    }
    assert [(p.name, p.version) for p in parse_package_lock(json.dumps(lock).encode(), CTX)] == [
        ("express", "4.16.0"),
        ("qs", "6.5.1"),
    ]


def test_yarn_v1_and_berry() -> None:
    v1 = b"""# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.13"
  resolved "https://registry.yarnpkg.com/x"
  dependencies:
    "@babel/highlight" "^7.12.13"

lodash@^4.17.15:
  version "4.17.15"
"""
    assert [(p.name, p.version) for p in parse_yarn_lock(v1, CTX)] == [
        ("@babel/code-frame", "7.12.13"),
        ("lodash", "4.17.15"),
    ]
    berry = b"""__metadata:
  version: 6

"app@workspace:.":
  version: 0.0.0-use.local

"minimist@npm:^1.2.0":
  version: 1.2.5
  resolution: "minimist@npm:1.2.5"
"""
    assert [(p.name, p.version) for p in parse_yarn_lock(berry, CTX)] == [("minimist", "1.2.5")]


def test_installed_manifest_and_pnpm() -> None:
    from soryoku.vuln.catalogers.node import parse_installed_package, parse_pnpm_lock

    (pkg,) = parse_installed_package(json.dumps({"name": "@scope/pkg", "version": "1.2.3"}).encode(), CTX)
    assert (pkg.name, pkg.purl) == ("@scope/pkg", "pkg:npm/%40scope/pkg@1.2.3")
    assert parse_installed_package(b'{"private": true}', CTX) == []
    v5 = b"packages:\n  /lodash/4.17.20:\n    dev: false\n  /@babel/core/7.0.0_peer:\n    dev: true\n"
    v6 = b"packages:\n  /lodash@4.17.20:\n    dev: false\n  /@babel/core@7.0.0(x@1.0.0):\n    dev: true\n"
    v9 = b"packages:\n  lodash@4.17.20:\n    resolution: {}\n  '@babel/core@7.0.0':\n    resolution: {}\n"
    for text in (v5, v6, v9):
        assert [(p.name, p.version) for p in parse_pnpm_lock(text, CTX)] == [
            ("lodash", "4.17.20"),
            ("@babel/core", "7.0.0"),
        ], text
