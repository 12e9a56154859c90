"""Content engines behind one interface: yara-python, YARA-X, hash lists, ClamAV (clamd)."""

from soryoku.content.engines.base import ContentEngine, EngineError, ScanTarget

__all__ = ["ContentEngine", "EngineError", "ScanTarget"]
