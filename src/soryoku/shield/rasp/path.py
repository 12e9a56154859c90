"""Path traversal: an input is an attack when the path it builds escapes the directory before it.

The base is the directory part of the path up to where the input starts; the whole path, once
normalised, must stay at or below it. An input that is the whole path and absolute is an attack
too (the client picked the file), as is an input with a NUL byte.
"""

from __future__ import annotations

import posixpath


def _norm(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/"))


def path_violation(path: str, value: str) -> str | None:
    """``traversal``, ``absolute_path`` or ``null_byte`` when ``value`` misuses ``path``; else None."""
    if not value or value not in path:
        return None
    if "\x00" in value:
        return "null_byte"
    unified = value.replace("\\", "/")
    start = path.find(value)
    if ".." in unified.split("/"):
        while start != -1:
            prefix = path[:start].replace("\\", "/")
            base = prefix.rpartition("/")[0] if "/" in prefix else ""
            target = _norm(path)
            if base or prefix.startswith("/"):
                root = _norm(base or "/")
                inside = target == root or target.startswith(root.rstrip("/") + "/")
            else:
                inside = not (target == ".." or target.startswith("../"))
            if not inside:
                return "traversal"
            start = path.find(value, start + 1)
        return None
    if (
        path.startswith(value)
        and len(unified) > 1
        and (unified.startswith(("/", "~")) or unified[1:3] == ":/")
    ):
        return "absolute_path"
    return None


__all__ = ["path_violation"]
