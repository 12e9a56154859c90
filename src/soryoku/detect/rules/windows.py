"""Sliding-window bursts: "at least N matching records (or N distinct values) within any span W".

Counting in fixed buckets misses a burst split by a bucket boundary (30 calls at 10:45–11:15 are
15 + 15 in two hourly buckets). Here a record belongs to a burst when some span of length ``W``
that contains it holds enough hits, computed with DuckDB window functions over
``RANGE BETWEEN INTERVAL W PRECEDING AND CURRENT ROW``.

Window functions sort their partition, which is costly over millions of hits, so fixed buckets of
length ``W`` are used first as a cheap, exact pre-filter: any span of length ``W`` lies inside two
consecutive buckets, so only keys whose two consecutive buckets together reach every threshold
(an upper bound for distinct counts) can hold a burst, and only their hits are sorted.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Measure:
    """One burst condition: ``count(*)`` or (with ``distinct``) ``count(DISTINCT …)`` ≥ ``at_least``."""

    at_least: int
    distinct: str | None = None

    def aggregate(self) -> str:
        """The aggregate over a group or a window frame."""
        return "count(*)" if self.distinct is None else f"count(DISTINCT {self.distinct})"


@dataclass(frozen=True, slots=True)
class Burst:
    """A CloudTrail burst rule's shape, so the store can keep a small per-bucket summary of its hits.

    ``condition`` selects the hits; ``summary_condition`` is what the summary is kept for at ingest:
    context-free (no run-time tables) and implied by ``condition`` (it may select more). ``by``
    names one to three VARCHAR key columns; at most one measure counts distinct values. The rule's
    SQL reads its hits from the relation ``burst_hits``.
    """

    condition: str
    by: str
    window: str
    measures: tuple[Measure, ...]
    summary_condition: str | None = None

    def __post_init__(self) -> None:
        if len({m.distinct for m in self.measures if m.distinct is not None}) > 1:
            raise ValueError("a summarised burst counts distinct values of at most one expression")
        if not 1 <= len(self.keys) <= 3:
            raise ValueError("a summarised burst has one to three key columns")

    @property
    def keys(self) -> list[str]:
        """The key columns."""
        return [key.strip() for key in self.by.split(",") if key.strip()]

    @property
    def distinct(self) -> str | None:
        """The expression whose distinct values a measure counts, if any."""
        return next((m.distinct for m in self.measures if m.distinct is not None), None)

    @property
    def signature(self) -> str:
        """What the summary kept at ingest depends on (a changed rule needs a new summary)."""
        parts = (self.summary_condition or self.condition, self.by, self.window, self.distinct or "")
        return "\x1f".join(parts)


def bucket_pairs(per: str, by: str, window: str, measures: tuple[Measure, ...]) -> str:
    """SQL selecting the ``({by}, _bucket)`` pairs whose hits can hold a burst.

    ``per``: a relation with one row per key and ``_burst_bucket`` (``time_bucket(window, time)``)
    and a column ``m<i>`` per measure (its value over that bucket, or an upper bound of it). A burst
    spans at most two consecutive buckets, so only both buckets of a pair reaching every threshold
    together can hold one.
    """
    keys = [key.strip() for key in by.split(",") if key.strip()]
    span = f"INTERVAL '{window}'"
    reach = " AND ".join(f"p.m{i} + coalesce(q.m{i}, 0) >= {m.at_least}" for i, m in enumerate(measures))
    same_key = " AND ".join(f"q.{k} IS NOT DISTINCT FROM p.{k}" for k in keys)
    key_list = ", ".join(f"p.{k}" for k in keys)
    return f"""(
WITH _pairs AS (
  SELECT {key_list}, p._burst_bucket AS _first FROM {per} p
  LEFT JOIN {per} q ON {same_key} AND q._burst_bucket = p._burst_bucket + {span}
  WHERE {reach}
)
SELECT DISTINCT {by}, _bucket FROM (
  SELECT {by}, _first AS _bucket FROM _pairs UNION ALL SELECT {by}, _first + {span} FROM _pairs
)
)"""


def sliding_members(hits: str, by: str, window: str, measures: tuple[Measure, ...]) -> str:
    """SQL selecting the rows of the relation ``hits`` (with a ``time`` column) that are in a burst.

    ``by``: the comma-separated key columns a burst belongs to (``account, actor``). The result has
    every column of ``hits``.
    """
    if not measures:
        raise ValueError("a burst needs at least one measure")
    keys = [key.strip() for key in by.split(",") if key.strip()]
    span = f"INTERVAL '{window}'"
    per_bucket = ", ".join(f"{m.aggregate()} AS m{i}" for i, m in enumerate(measures))
    in_window = ", ".join(f"{m.aggregate()} OVER recent AS _burst_m{i}" for i, m in enumerate(measures))
    enough = " AND ".join(f"_burst_m{i} >= {m.at_least}" for i, m in enumerate(measures))
    match_keys = " AND ".join(f"c.{k} IS NOT DISTINCT FROM h.{k}" for k in keys)
    drop = ", ".join(["_burst_bucket", "_burst_end", *(f"_burst_m{i}" for i in range(len(measures)))])
    return f"""(
WITH _bucketed AS (SELECT *, time_bucket({span}, time) AS _burst_bucket FROM {hits}),
_per AS (SELECT {by}, _burst_bucket, {per_bucket} FROM _bucketed GROUP BY {by}, _burst_bucket),
_candidates AS {bucket_pairs("_per", by, window, measures)},
_counted AS (
  SELECT h.*, {in_window} FROM _bucketed h
  WHERE EXISTS (SELECT 1 FROM _candidates c WHERE {match_keys} AND c._bucket = h._burst_bucket)
  WINDOW recent AS (PARTITION BY {by} ORDER BY time RANGE BETWEEN {span} PRECEDING AND CURRENT ROW)
),
_marked AS (
  SELECT *, max(CASE WHEN {enough} THEN time END) OVER (
    PARTITION BY {by} ORDER BY time RANGE BETWEEN CURRENT ROW AND {span} FOLLOWING
  ) AS _burst_end FROM _counted
)
SELECT * EXCLUDE ({drop}) FROM _marked WHERE _burst_end IS NOT NULL
)"""


__all__ = ["Burst", "Measure", "bucket_pairs", "sliding_members"]
