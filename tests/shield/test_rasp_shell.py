"""Shell injection at the sinks: the corpus, subprocess (shell=True, sh -c), os.system, os.popen."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from soryoku.shield import ShieldBlockedError, request_scope
from soryoku.shield.context import RequestContext
from soryoku.shield.hooks.process import shell_command
from soryoku.shield.rasp.shell import changes_shell_structure

Corpus = Callable[[str], dict[str, Any]]
MakeContext = Callable[..., RequestContext]


def _cases(load: Corpus, kind: str) -> list[tuple[str, str]]:
    return [(c["template"].replace("{}", c["input"]), c["input"]) for c in load("shell")[kind]]


def test_every_attack_in_the_corpus_changes_the_command(load_corpus: Corpus) -> None:
    assert [
        cmd for cmd, value in _cases(load_corpus, "attacks") if not changes_shell_structure(cmd, value)
    ] == []


def test_no_legitimate_input_is_flagged(load_corpus: Corpus) -> None:
    assert [
        cmd for cmd, value in _cases(load_corpus, "legitimate") if changes_shell_structure(cmd, value)
    ] == []


def test_shell_command_extraction() -> None:
    assert shell_command("ls -l", True) == "ls -l"
    assert shell_command(["ls -l"], True) == "ls -l"
    assert shell_command(["/bin/sh", "-c", "echo hi"], False) == "echo hi"
    assert shell_command(["bash", "-e", "-c", "echo hi"], False) == "echo hi"
    assert shell_command(["ls", "-l", "; id"], False) is None


def test_subprocess_shell_true_is_blocked(hooks: object, make_context: MakeContext) -> None:
    with request_scope(make_context("127.0.0.1; id")) as ctx, pytest.raises(ShieldBlockedError):
        subprocess.run("echo 127.0.0.1; id", shell=True, check=False, capture_output=True)
    assert ctx.blocked is not None
    assert ctx.blocked.rule_id == "shell:command_structure"
    assert ctx.blocked.location == "query:p0"


def test_explicit_sh_dash_c_is_blocked(hooks: object, make_context: MakeContext) -> None:
    with request_scope(make_context("x && id")), pytest.raises(ShieldBlockedError):
        subprocess.check_output(["/bin/sh", "-c", "echo x && id"])


def test_os_system_and_popen_are_blocked(hooks: object, make_context: MakeContext) -> None:
    with request_scope(make_context("$(id)")), pytest.raises(ShieldBlockedError):
        os.system("echo $(id)")
    with request_scope(make_context("`id`")), pytest.raises(ShieldBlockedError):
        os.popen("echo `id`")


def test_legitimate_commands_run(hooks: object, make_context: MakeContext) -> None:
    with request_scope(make_context("O'Brien & Sons", "report.v2.txt")) as ctx:
        out = subprocess.run(
            'echo "O\'Brien & Sons" report.v2.txt', shell=True, capture_output=True, check=True
        )
        assert out.stdout == b"O'Brien & Sons report.v2.txt\n"
        assert subprocess.run(["echo", "a; id"], capture_output=True, check=True).stdout == b"a; id\n"
    assert ctx.events == []


def test_monitor_mode_lets_the_command_run(hooks: object, make_context: MakeContext) -> None:
    with request_scope(make_context("x; echo injected", mode="monitor")) as ctx:
        out = subprocess.run("echo x; echo injected", shell=True, capture_output=True, check=True)
    assert out.stdout == b"x\ninjected\n"
    assert [e.action for e in ctx.events] == ["monitor"]


def test_uninstall_restores_process_functions() -> None:
    from soryoku.shield import install, uninstall

    popen: Any = subprocess.Popen
    originals = (popen._execute_child, os.system)
    install()
    assert (popen._execute_child, os.system) != originals
    uninstall()
    assert (popen._execute_child, os.system) == originals
