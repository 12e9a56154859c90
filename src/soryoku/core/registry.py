"""One small generic registry: checks, rules, catalogers, engines and writers all use it.

Items register under a unique id (a decorator or ``add``); third-party plugins join through an
entry-point group, loaded once on first use. Listing and filtering come from here, never from a
second hand-kept list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Generic, Protocol, TypeVar

from soryoku.core.errors import ConfigError, InputError


class HasId(Protocol):
    """Anything with a stable string id."""

    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)


class Registry(Generic[T]):
    """Items of one kind by id, plus the modules and entry points that define them."""

    def __init__(
        self, kind: str, *, entry_point_group: str | None = None, builtin_modules: tuple[str, ...] = ()
    ) -> None:
        self.kind = kind
        self.entry_point_group = entry_point_group
        self.builtin_modules = builtin_modules
        self._items: dict[str, T] = {}
        self._loaded = False
        self._loading = False
        self._lock = threading.RLock()

    def add(self, item: T) -> T:
        """Register ``item``; a second item with the same id is a programming error."""
        if item.id in self._items and self._items[item.id] is not item:
            raise ValueError(f"{self.kind} {item.id!r} is registered twice")
        self._items[item.id] = item
        return item

    def remove(self, item_id: str) -> None:
        """Forget an item (used by tests and by plugin reloads)."""
        self._items.pop(item_id, None)

    def load(self) -> None:
        """Import the built-in modules and the entry-point plugins, once (thread-safe).

        Other threads wait until loading has finished, so none sees a half-filled registry; a
        module that consults the registry while it is being imported sees what is there so far.
        """
        if self._loaded:
            return
        with self._lock:
            if self._loaded or self._loading:
                return
            self._loading = True
            try:
                self._import_all()
                self._loaded = True
            finally:
                self._loading = False

    def _import_all(self) -> None:
        import importlib

        for module in self.builtin_modules:
            importlib.import_module(module)
        if self.entry_point_group:
            for ep in entry_points(group=self.entry_point_group):
                try:
                    loaded = ep.load()
                except Exception as exc:  # a broken plugin is the user's input: say which
                    raise ConfigError(
                        f"plugin {ep.name!r} ({ep.value}) in entry-point group "
                        f"{self.entry_point_group!r} failed to load: {exc}"
                    ) from exc
                if callable(loaded) and not hasattr(loaded, "id"):
                    loaded()  # a plugin may expose a function that registers its items

    def get(self, item_id: str) -> T:
        """The item with this id; InputError naming the id otherwise."""
        self.load()
        try:
            return self._items[item_id]
        except KeyError:
            raise InputError(f"unknown {self.kind} {item_id!r}: see the list of {self.kind}s") from None

    def __contains__(self, item_id: object) -> bool:
        self.load()
        return item_id in self._items

    def __iter__(self) -> Iterator[T]:
        self.load()
        return iter(sorted(self._items.values(), key=lambda i: i.id))

    def __len__(self) -> int:
        self.load()
        return len(self._items)

    def select(self, predicate: Callable[[T], bool]) -> list[T]:
        """The items for which ``predicate`` holds, sorted by id."""
        return [item for item in self if predicate(item)]


__all__ = ["HasId", "Registry"]
