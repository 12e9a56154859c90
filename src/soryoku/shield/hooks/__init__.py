"""Sink hooks: thin wrappers around the operations attackers reach, calling :mod:`.checks`."""
