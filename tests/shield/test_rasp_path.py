"""Path traversal at the sinks: the corpus, open, pathlib, os functions."""

from __future__ import annotations

import builtins
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from soryoku.shield import ShieldBlockedError, request_scope
from soryoku.shield.context import RequestContext
from soryoku.shield.rasp.path import path_violation

Corpus = Callable[[str], dict[str, Any]]
MakeContext = Callable[..., RequestContext]


def _cases(load: Corpus, kind: str) -> list[tuple[str, str]]:
    return [(c["template"].replace("{}", c["input"]), c["input"]) for c in load("path")[kind]]


def test_every_attack_in_the_corpus_escapes(load_corpus: Corpus) -> None:
    assert [p for p, value in _cases(load_corpus, "attacks") if path_violation(p, value) is None] == []


def test_no_legitimate_input_is_flagged(load_corpus: Corpus) -> None:
    assert [p for p, value in _cases(load_corpus, "legitimate") if path_violation(p, value) is not None] == []


@pytest.fixture
def base(tmp_path: Path) -> Path:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "report.v2.txt").write_text("ok")
    (tmp_path / "secret.key").write_text("s3cret")
    return tmp_path / "files"


def test_open_and_pathlib_traversal_is_blocked(hooks: object, base: Path, make_context: MakeContext) -> None:
    evil = "../secret.key"
    with request_scope(make_context(evil)) as ctx:
        with pytest.raises(ShieldBlockedError):
            open(os.path.join(base, evil))  # noqa: PTH118, PTH123, SIM115
        with pytest.raises(ShieldBlockedError):
            (base / evil).read_text()
        with pytest.raises(ShieldBlockedError):
            os.stat(f"{base}/{evil}")  # noqa: PTH116 — the os function is the sink
        with pytest.raises(ShieldBlockedError):
            os.rename(f"{base}/report.v2.txt", f"{base}/{evil}")  # noqa: PTH104
    assert ctx.blocked is not None
    assert ctx.blocked.rule_id == "path:traversal"
    assert (base.parent / "secret.key").read_text() == "s3cret"


def test_keyword_arguments_are_checked_and_passed_through(
    hooks: object, base: Path, make_context: MakeContext
) -> None:
    evil = f"{base}/../secret.key"
    with request_scope(make_context("../secret.key")):
        with pytest.raises(ShieldBlockedError):
            open(file=evil)  # noqa: PTH123, SIM115
        with pytest.raises(ShieldBlockedError):
            os.stat(path=evil)  # noqa: PTH116
        with pytest.raises(ShieldBlockedError):
            os.replace(src=f"{base}/report.v2.txt", dst=evil)  # noqa: PTH105
        with open(file=base / "report.v2.txt", encoding="utf-8") as handle:  # noqa: PTH123
            assert handle.read() == "ok"
        assert isinstance(os.listdir(), list)  # noqa: PTH208 — the default argument still works


def test_absolute_path_from_input_is_blocked(hooks: object, base: Path, make_context: MakeContext) -> None:
    target = str(base.parent / "secret.key")
    with request_scope(make_context(target)), pytest.raises(ShieldBlockedError):
        Path(target).read_text()


def test_legitimate_files_open(hooks: object, base: Path, make_context: MakeContext) -> None:
    with request_scope(make_context("report.v2.txt", "./report.v2.txt", "sub/../report.v2.txt")) as ctx:
        assert (base / "report.v2.txt").read_text() == "ok"
        assert Path(os.path.join(base, "./report.v2.txt")).read_text() == "ok"  # noqa: PTH118
        assert not os.path.exists(os.path.join(base, "sub/../report.v2.txt"))  # noqa: PTH110, PTH118
        assert os.listdir(base) == ["report.v2.txt"]  # noqa: PTH208 — the os function is the sink
        descriptor = os.open(base / "report.v2.txt", os.O_RDONLY)
        with open(descriptor, "rb") as handle:  # noqa: PTH123 — a file descriptor passes unchecked
            assert handle.read() == b"ok"
    assert ctx.events == []


def test_uninstall_restores_open() -> None:
    from soryoku.shield import install, uninstall

    originals = (builtins.open, io.open, os.open, os.stat)
    install()
    assert builtins.open is not originals[0]
    uninstall()
    assert (builtins.open, io.open, os.open, os.stat) == originals
