"""File access: ``open`` (builtins and io, so ``pathlib`` too) and the ``os`` path functions.

``pathlib.Path.open/read_text/write_text`` call ``io.open``; ``os.open``, ``os.stat`` users such as
``os.path.exists`` and ``shutil`` go through the ``os`` functions patched here. Only file *paths*
are checked; integer file descriptors pass through.
"""

from __future__ import annotations

import builtins
import io
import os
from collections.abc import Callable
from typing import Any

from soryoku.shield.hooks.checks import check_path
from soryoku.shield.hooks.patching import Patcher

# One-path functions, and the two-path ones (source and destination both checked).
_ONE_PATH = (
    "open",
    "remove",
    "unlink",
    "rmdir",
    "mkdir",
    "makedirs",
    "listdir",
    "scandir",
    "stat",
    "lstat",
    "chmod",
    "chown",
    "truncate",
    "readlink",
    "utime",
)
_TWO_PATHS = ("rename", "replace", "link", "symlink")


def _wrap_one(original: Callable[..., Any], sink: str) -> Callable[..., Any]:
    def hooked(*args: Any, **kwargs: Any) -> Any:
        if args:
            check_path(args[0], sink)
        else:
            for key in ("file", "path", "name"):
                if key in kwargs:
                    check_path(kwargs[key], sink)
                    break
        return original(*args, **kwargs)

    hooked.__wrapped__ = original  # type: ignore[attr-defined]
    hooked.__doc__ = original.__doc__
    hooked.__name__ = getattr(original, "__name__", sink)
    return hooked


def _wrap_two(original: Callable[..., Any], sink: str) -> Callable[..., Any]:
    def hooked(*args: Any, **kwargs: Any) -> Any:
        for position, key in ((0, "src"), (1, "dst")):
            if len(args) > position:
                check_path(args[position], sink)
            elif key in kwargs:
                check_path(kwargs[key], sink)
        return original(*args, **kwargs)

    hooked.__wrapped__ = original  # type: ignore[attr-defined]
    hooked.__doc__ = original.__doc__
    hooked.__name__ = getattr(original, "__name__", sink)
    return hooked


def install_files(patcher: Patcher) -> None:
    """Hook ``builtins.open``, ``io.open`` and the ``os`` path functions."""
    opener = _wrap_one(builtins.open, "open")
    patcher.replace(builtins, "open", opener)
    patcher.replace(io, "open", opener)
    for name in _ONE_PATH:
        if hasattr(os, name):
            patcher.replace(os, name, _wrap_one(getattr(os, name), f"os.{name}"))
    for name in _TWO_PATHS:
        if hasattr(os, name):
            patcher.replace(os, name, _wrap_two(getattr(os, name), f"os.{name}"))


__all__ = ["install_files"]
