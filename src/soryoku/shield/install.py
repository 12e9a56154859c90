"""Installing and removing the sink hooks, process-wide, once.

Call :func:`install` as the first line of an application (or ``import soryoku.shield.auto``), before
it imports its database drivers; drivers imported later are hooked as they load. Everything done
here is undone by :func:`uninstall`.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

from soryoku.shield.hooks.patching import Patcher
from soryoku.shield.hooks.postimport import PostImportFinder

SINKS: tuple[str, ...] = ("sql", "shell", "files", "network", "template")


@dataclass(slots=True)
class _State:
    patcher: Patcher
    finder: PostImportFinder
    removers: list[Callable[[], None]]
    sinks: tuple[str, ...]


def module_available(name: str) -> bool:
    """True when ``name`` can be imported (found without importing it)."""
    return importlib.util.find_spec(name) is not None


_lock = threading.Lock()
_state: _State | None = None


def installed() -> tuple[str, ...]:
    """The sink families currently hooked (empty when not installed)."""
    return _state.sinks if _state is not None else ()


def install(sinks: tuple[str, ...] = SINKS) -> tuple[str, ...]:
    """Hook the sinks (``sql``, ``shell``, ``files``, ``network``, ``template``); idempotent.

    Returns the sink families hooked.
    """
    global _state  # noqa: PLW0603 — hooks are process-wide by nature
    unknown = set(sinks) - set(SINKS)
    if unknown:
        from soryoku.core.errors import ConfigError

        raise ConfigError(f"shield install: unknown sinks {sorted(unknown)}, expected some of {SINKS}")
    if "sql" in sinks and not module_available("sqlglot"):
        from soryoku.core.errors import ConfigError

        raise ConfigError("shield install: the SQL sink needs sqlglot (pip install 'soryoku[shield]')")
    with _lock:
        if _state is not None:
            return _state.sinks
        patcher = Patcher()
        finder = PostImportFinder()
        removers: list[Callable[[], None]] = []
        sys.meta_path.insert(0, finder)
        if "sql" in sinks:
            from soryoku.shield.hooks.dbapi import hook_psycopg, hook_pymysql, hook_sqlalchemy
            from soryoku.shield.hooks.postgres import hook_asyncpg, hook_psycopg2
            from soryoku.shield.hooks.sqlite import install_sqlite, uninstall_sqlite

            install_sqlite(patcher)
            removers.append(uninstall_sqlite)
            finder.watch("psycopg", hook_psycopg(patcher))
            finder.watch("psycopg2", hook_psycopg2(patcher, removers))
            finder.watch("asyncpg.connection", hook_asyncpg(patcher))
            finder.watch("pymysql.cursors", hook_pymysql(patcher))
            finder.watch("sqlalchemy.engine", hook_sqlalchemy(patcher, removers))
        if "shell" in sinks:
            from soryoku.shield.hooks.process import install_process

            install_process(patcher)
        if "files" in sinks:
            from soryoku.shield.hooks.files import install_files

            install_files(patcher)
        if "network" in sinks:
            import socket

            from soryoku.shield.hooks.network import install_network
            from soryoku.shield.hooks.urls import hook_httpx, hook_requests, hook_urllib

            resolve = socket.getaddrinfo  # the resolver as it was, for URL-level checks
            install_network(patcher)
            finder.watch("urllib.request", hook_urllib(patcher, resolve))
            finder.watch("requests.sessions", hook_requests(patcher, resolve))
            finder.watch("httpx", hook_httpx(patcher, resolve))
        if "template" in sinks:
            from soryoku.shield.hooks.template import hook_jinja2

            finder.watch("jinja2", hook_jinja2(patcher))
        _state = _State(patcher=patcher, finder=finder, removers=removers, sinks=tuple(sinks))
        return _state.sinks


def uninstall() -> None:
    """Remove every hook and import watch; a no-op when not installed."""
    global _state  # noqa: PLW0603 — hooks are process-wide by nature
    with _lock:
        if _state is None:
            return
        _state.finder.clear()
        if _state.finder in sys.meta_path:
            sys.meta_path.remove(_state.finder)
        for remove in reversed(_state.removers):
            remove()
        _state.patcher.restore()
        _state = None


__all__ = ["SINKS", "install", "installed", "uninstall"]
