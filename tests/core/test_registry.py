"""The generic registry."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from soryoku.core import InputError, Registry


@dataclass(frozen=True)
class Item:
    id: str


def test_add_get_iterate_sorted() -> None:
    registry: Registry[Item] = Registry("thing")
    registry.add(Item("b"))
    registry.add(Item("a"))
    assert [i.id for i in registry] == ["a", "b"]
    assert registry.get("a") == Item("a")
    assert "b" in registry
    assert len(registry) == 2
    assert registry.select(lambda i: i.id > "a") == [Item("b")]


def test_duplicate_id_is_an_error() -> None:
    registry: Registry[Item] = Registry("thing")
    registry.add(Item("a"))
    with pytest.raises(ValueError, match="registered twice"):
        registry.add(Item("a"))


def test_unknown_id_names_the_kind_and_the_id() -> None:
    with pytest.raises(InputError, match="unknown thing 'zzz'"):
        Registry[Item]("thing").get("zzz")


def test_builtin_modules_are_imported_once_on_first_use() -> None:
    registry: Registry[Item] = Registry("thing", builtin_modules=("json",))
    assert len(registry) == 0
    assert registry._loaded
