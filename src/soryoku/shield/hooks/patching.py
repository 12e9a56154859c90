"""Reversible attribute patching: every hook records what it replaced so uninstall restores it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Patch:
    """``owner.name`` was ``original`` before the guard replaced it."""

    owner: object
    name: str
    original: object


class Patcher:
    """Applies patches and undoes them in reverse order."""

    def __init__(self) -> None:
        self._patches: list[Patch] = []

    def replace(self, owner: object, name: str, new: object) -> object:
        """Set ``owner.name = new``; returns the original."""
        original = getattr(owner, name)
        self._patches.append(Patch(owner, name, original))
        setattr(owner, name, new)
        return original

    def restore(self) -> None:
        """Undo every patch, newest first."""
        while self._patches:
            patch = self._patches.pop()
            setattr(patch.owner, patch.name, patch.original)

    def __len__(self) -> int:
        return len(self._patches)


__all__ = ["Patch", "Patcher"]
