"""Shell execution: ``subprocess`` (shell=True, or an explicit ``sh -c``), ``os.system``, ``os.popen``.

``Popen._execute_child`` is where every ``subprocess`` call and ``os.popen`` end up, so one patch
covers ``run``, ``call``, ``check_output`` and ``Popen`` itself; ``os.system`` is a C function and is
replaced directly.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import Any

from soryoku.shield.hooks.checks import check_shell
from soryoku.shield.hooks.patching import Patcher

_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"})


def shell_command(args: Any, shell: bool) -> str | bytes | None:
    """The shell command line a process launch will interpret, or None when no shell is involved."""
    if shell:
        if isinstance(args, str | bytes):
            return args
        if isinstance(args, Sequence) and args:
            first = args[0]
            return first if isinstance(first, str | bytes) else None
        return None
    if isinstance(args, Sequence) and not isinstance(args, str | bytes) and len(args) >= 3:
        program = (
            PurePath(os.fsdecode(args[0])).name if isinstance(args[0], str | bytes | os.PathLike) else ""
        )
        if program in _SHELLS:
            for i, arg in enumerate(args[1:-1], start=1):
                if arg in ("-c", b"-c"):
                    command = args[i + 1]
                    return command if isinstance(command, str | bytes) else None
    return None


def _wrap_execute_child(original: Callable[..., Any]) -> Callable[..., Any]:
    def _execute_child(self: Any, args: Any, executable: Any, *rest: Any, **kwargs: Any) -> Any:
        shell = bool(rest[7]) if len(rest) > 7 else bool(kwargs.get("shell", False))
        command = shell_command(args, shell)
        if command is not None:
            check_shell(command, "subprocess")
        return original(self, args, executable, *rest, **kwargs)

    _execute_child.__wrapped__ = original  # type: ignore[attr-defined]
    return _execute_child


def _wrap_system(original: Callable[[Any], int]) -> Callable[[Any], int]:
    def system(command: Any) -> int:
        check_shell(command, "os.system")
        return original(command)

    system.__wrapped__ = original  # type: ignore[attr-defined]
    system.__doc__ = original.__doc__
    return system


def install_process(patcher: Patcher) -> None:
    """Hook ``subprocess.Popen._execute_child`` and ``os.system``."""
    popen: Any = subprocess.Popen
    patcher.replace(popen, "_execute_child", _wrap_execute_child(popen._execute_child))
    patcher.replace(os, "system", _wrap_system(os.system))


__all__ = ["install_process", "shell_command"]
