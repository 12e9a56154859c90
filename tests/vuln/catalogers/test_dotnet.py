""".NET: packages.lock.json and *.deps.json."""

from __future__ import annotations

import json

from soryoku.vuln.catalogers.base import FileContext
from soryoku.vuln.catalogers.dotnet import parse_deps_json, parse_packages_lock

CTX = FileContext("x", "/x")


def test_packages_lock() -> None:
    lock = {
        "version": 1,
        "dependencies": {
            "net6.0": {
                "Newtonsoft.Json": {"type": "Direct", "requested": "[12.0.1, )", "resolved": "12.0.1"},
                "System.Text.Encodings.Web": {"type": "Transitive", "resolved": "4.7.1"},
                "MyLib": {"type": "Project"},
            },
            "net8.0": {"Newtonsoft.Json": {"type": "Direct", "resolved": "12.0.1"}},
        },
    }
    packages = parse_packages_lock(json.dumps(lock).encode(), CTX)
    assert [(p.name, p.version, p.purl) for p in packages] == [
        ("Newtonsoft.Json", "12.0.1", "pkg:nuget/Newtonsoft.Json@12.0.1"),
        ("System.Text.Encodings.Web", "4.7.1", "pkg:nuget/System.Text.Encodings.Web@4.7.1"),
    ]
    assert packages[0].match_name == "newtonsoft.json"  # NuGet ids are case-insensitive


def test_deps_json_with_bom() -> None:
    deps = {"libraries": {"App/1.0.0": {"type": "project"}, "Serilog/2.10.0": {"type": "package"}}}
    data = "\ufeff".encode() + json.dumps(deps).encode()
    assert [(p.name, p.version) for p in parse_deps_json(data, CTX)] == [("Serilog", "2.10.0")]
