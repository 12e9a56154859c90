"""Run a callback when a module is imported — now if it already is, else right after its import.

This is how the guard hooks drivers (psycopg, pymysql, SQLAlchemy, requests …) without importing
them itself: ``install()`` runs first, the application imports its drivers afterwards.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

Callback = Callable[[ModuleType], None]


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader, callbacks: list[Callback]) -> None:
        self._inner = inner
        self._callbacks = callbacks

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        for callback in self._callbacks:
            callback(module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class PostImportFinder(importlib.abc.MetaPathFinder):
    """A meta-path finder that wraps the loader of watched modules to call back after exec."""

    def __init__(self) -> None:
        self._watched: dict[str, list[Callback]] = {}
        self._local = threading.local()

    def watch(self, name: str, callback: Callback) -> None:
        """Call ``callback(module)`` when ``name`` is imported (immediately if it already is)."""
        module = sys.modules.get(name)
        if module is not None:
            callback(module)
        else:
            self._watched.setdefault(name, []).append(callback)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        callbacks = self._watched.get(fullname)
        if not callbacks or getattr(self._local, "busy", False):
            return None
        self._local.busy = True
        try:
            for finder in sys.meta_path:
                if finder is self:
                    continue
                find = getattr(finder, "find_spec", None)
                spec = find(fullname, path, target) if find is not None else None
                if spec is not None:
                    break
            else:
                return None
        finally:
            self._local.busy = False
        if spec.loader is None:
            return None
        del self._watched[fullname]
        spec.loader = _Loader(spec.loader, callbacks)
        found: importlib.machinery.ModuleSpec = spec
        return found

    def clear(self) -> None:
        """Forget every watch."""
        self._watched.clear()


__all__ = ["PostImportFinder"]
