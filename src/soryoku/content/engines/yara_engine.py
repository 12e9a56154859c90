"""YARA through yara-python (libyara): the default engine; compiled rules load fast (cold starts)."""

from __future__ import annotations

from typing import Any

from soryoku.content.engines.base import EngineError, ScanTarget
from soryoku.content.rules import CompiledRules
from soryoku.content.verdict import Match


def _meta(meta: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(meta.items()))


class YaraEngine:
    """Runs compiled yara-python rules over a blob, with the externals set per object."""

    name = "yara"
    hash_names: frozenset[str] = frozenset()

    def __init__(self, compiled: CompiledRules, *, timeout: int = 60) -> None:
        import yara

        self._yara = yara
        self.compiled = compiled
        self.timeout = timeout
        self.version = f"yara-python-{yara.__version__}+rules-{compiled.ruleset.version}"

    def scan(self, target: ScanTarget) -> list[Match]:
        """Every rule that matched ``target``."""
        kwargs: dict[str, Any] = {"externals": target.externals(), "timeout": self.timeout}
        try:
            if target.blob.data is not None:
                found = self.compiled.rules.match(data=target.blob.data, **kwargs)
            else:
                found = self.compiled.rules.match(filepath=str(target.blob.path), **kwargs)
        except self._yara.Error as exc:
            raise EngineError(f"yara: {exc}") from exc
        return [
            Match(
                engine=self.name,
                rule=m.rule,
                path=target.path,
                namespace=m.namespace,
                meta=_meta(m.meta),
                tags=tuple(m.tags),
            )
            for m in found
        ]


__all__ = ["YaraEngine"]
