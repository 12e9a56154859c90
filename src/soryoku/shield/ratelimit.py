"""Rate-based rules: a sliding window of request times per key, in memory or in Redis.

The in-memory store serves one process; the Redis store (``soryoku[shield-redis]``) shares counts
between workers and hosts, with one sorted set per key trimmed to the window on every hit.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from typing import Any, Protocol


class RateStore(Protocol):
    """Records a hit for ``key`` and answers how many hits fall in the last ``window_s`` seconds."""

    def hit(self, key: str, window_s: int, now: float | None = None) -> int:
        """Record one hit now and return the count within the window, this hit included."""
        ...


class MemoryRateStore:
    """A per-process sliding-window log, bounded by the number of keys it keeps."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def hit(self, key: str, window_s: int, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        cutoff = now - window_s
        with self._lock:
            times = self._hits.get(key)
            if times is None:
                if len(self._hits) >= self._max_keys:
                    self._evict(cutoff)
                times = self._hits[key] = deque()
            while times and times[0] <= cutoff:
                times.popleft()
            times.append(now)
            return len(times)

    def _evict(self, cutoff: float) -> None:
        stale = [k for k, v in self._hits.items() if not v or v[-1] <= cutoff]
        for key in stale or list(self._hits)[: max(1, len(self._hits) // 10)]:
            del self._hits[key]


class RedisRateStore:
    """A sliding window shared through Redis: ZREMRANGEBYSCORE + ZADD + ZCARD + EXPIRE in one round trip."""

    def __init__(self, client: Any, prefix: str = "soryoku:shield:rate:") -> None:
        self._client = client
        self._prefix = prefix

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisRateStore:
        """Connect with ``redis.Redis.from_url`` (the ``shield-redis`` extra)."""
        import redis

        return cls(redis.Redis.from_url(url, **kwargs))

    def hit(self, key: str, window_s: int, now: float | None = None) -> int:
        now = time.time() if now is None else now
        name = self._prefix + key
        pipe = self._client.pipeline(transaction=True)
        pipe.zremrangebyscore(name, "-inf", now - window_s)
        pipe.zadd(name, {f"{now:.6f}:{uuid.uuid4().hex[:8]}": now})
        pipe.zcard(name)
        pipe.expire(name, window_s + 1)
        return int(pipe.execute()[2])


__all__ = ["MemoryRateStore", "RateStore", "RedisRateStore"]
