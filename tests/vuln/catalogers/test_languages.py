"""Go (go.mod, go.sum), Rust (Cargo.lock), Ruby (Gemfile.lock), PHP (composer.lock)."""

from __future__ import annotations

import json

from soryoku.vuln.catalogers.base import FileContext
from soryoku.vuln.catalogers.golang import parse_go_mod, parse_go_sum
from soryoku.vuln.catalogers.php import parse_composer_lock
from soryoku.vuln.catalogers.ruby import parse_gemfile_lock
from soryoku.vuln.catalogers.rust import parse_cargo_lock

CTX = FileContext("x", "/x")


def test_go_mod() -> None:
    text = b"""module example.com/app

go 1.21

require github.com/gin-gonic/gin v1.7.0

require (
    golang.org/x/net v0.0.0-20210226172049-e18ecbb05110 // indirect
    github.com/old/mod v1.0.0
)

replace github.com/old/mod => github.com/new/mod v1.2.0
replace example.com/local => ../local
"""
    packages = parse_go_mod(text, CTX)
    assert [(p.name, p.version) for p in packages] == [
        ("github.com/gin-gonic/gin", "v1.7.0"),
        ("github.com/new/mod", "v1.2.0"),
        ("golang.org/x/net", "v0.0.0-20210226172049-e18ecbb05110"),
    ]
    assert packages[0].purl == "pkg:golang/github.com/gin-gonic/gin@v1.7.0"


def test_go_sum_skips_go_mod_hashes() -> None:
    text = (
        b"github.com/a/b v1.0.0 h1:x=\n"
        b"github.com/a/b v1.0.0/go.mod h1:y=\n"
        b"github.com/c/d v0.1.0/go.mod h1:z=\n"
    )
    assert [(p.name, p.version) for p in parse_go_sum(text, CTX)] == [("github.com/a/b", "v1.0.0")]


def test_cargo_lock_skips_workspace_members() -> None:
    text = b"""version = 3
[[package]]
name = "app"
version = "0.1.0"

[[package]]
name = "smallvec"
version = "1.6.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
"""
    assert [(p.name, p.version, p.purl) for p in parse_cargo_lock(text, CTX)] == [
        ("smallvec", "1.6.0", "pkg:cargo/smallvec@1.6.0")
    ]


def test_gemfile_lock() -> None:
    text = b"""GIT
  remote: https://example.org/x.git
  specs:
    fromgit (0.1.0)

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.13.9-x86_64-linux)
      racc (~> 1.4)
    rack (2.2.3)

PLATFORMS
  x86_64-linux
"""
    assert [(p.name, p.version) for p in parse_gemfile_lock(text, CTX)] == [
        ("nokogiri", "1.13.9"),
        ("rack", "2.2.3"),
    ]


def test_composer_lock() -> None:
    lock = {
        "packages": [{"name": "guzzlehttp/guzzle", "version": "v7.4.4"}],
        "packages-dev": [{"name": "a/b", "version": "1.0"}],
    }
    packages = parse_composer_lock(json.dumps(lock).encode(), CTX)
    assert [(p.name, p.version, p.dev) for p in packages] == [
        ("guzzlehttp/guzzle", "7.4.4", False),
        ("a/b", "1.0", True),
    ]
    assert packages[0].purl == "pkg:composer/guzzlehttp/guzzle@7.4.4"
