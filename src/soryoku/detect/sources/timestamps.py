"""ISO-8601 text (``2024-05-01T12:00:00Z``, with or without fractions) → UTC timestamps."""

from __future__ import annotations

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

TIMESTAMP = pa.timestamp("ms")


def parse_times(values: pa.Array) -> pa.Array:
    """Cast ISO-8601 strings to naive UTC millisecond timestamps (``pa.ArrowInvalid`` if one fails)."""
    return pc.cast(pc.cast(values, pa.timestamp("ms", tz="UTC")), TIMESTAMP)


def valid_times(values: list[str | None]) -> list[bool]:
    """Which strings parse (the slow path, used only after ``parse_times`` failed)."""
    flags: list[bool] = []
    for value in values:
        try:
            parse_times(pa.array([value], pa.string()))
            flags.append(value is not None)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            flags.append(False)
    return flags
