"""YARA-X (``yara-x``): optional; scans faster, loads slower — for long-running workers."""

from __future__ import annotations

import threading
from typing import Any

from soryoku.content.engines.base import EngineError, ScanTarget
from soryoku.content.rules import CompiledRules
from soryoku.content.verdict import Match


class YaraXEngine:
    """Runs compiled YARA-X rules; one scanner per thread (a scanner is not shareable)."""

    name = "yarax"
    hash_names: frozenset[str] = frozenset()

    def __init__(self, compiled: CompiledRules, *, timeout: int = 60) -> None:
        import yara_x

        self._yara_x = yara_x
        self.compiled = compiled
        self.timeout = timeout
        self._local = threading.local()
        version = getattr(yara_x, "__version__", "")
        self.version = f"yara-x-{version}+rules-{compiled.ruleset.version}".replace("--", "-")

    def _scanner(self) -> Any:
        scanner = getattr(self._local, "scanner", None)
        if scanner is None:
            scanner = self._yara_x.Scanner(self.compiled.rules)
            scanner.set_timeout(self.timeout)
            self._local.scanner = scanner
        return scanner

    def scan(self, target: ScanTarget) -> list[Match]:
        """Every rule that matched ``target``."""
        scanner = self._scanner()
        for name, value in target.externals().items():
            scanner.set_global(name, value)
        try:
            if target.blob.data is not None:
                results = scanner.scan(target.blob.data)
            else:
                results = scanner.scan_file(str(target.blob.path))
        except (self._yara_x.ScanError, self._yara_x.TimeoutError, OSError) as exc:
            raise EngineError(f"yarax: {exc}") from exc
        return [
            Match(
                engine=self.name,
                rule=rule.identifier,
                path=target.path,
                namespace=rule.namespace,
                meta=tuple(sorted(rule.metadata)),
                tags=tuple(rule.tags),
            )
            for rule in results.matching_rules
        ]


__all__ = ["YaraXEngine"]
