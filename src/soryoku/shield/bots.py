"""Bot control: user agents classified into AWS Bot Control's categories.

The patterns come from monperrus/crawler-user-agents (MIT, the ``crawler-user-agents`` package),
loaded on first use. Its tags map onto AWS Bot Control's category names as below; an agent with
several tags takes the first category in :data:`_PRECEDENCE`.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from typing import Any

TAG_CATEGORIES: dict[str, str] = {
    "search-engine": "search_engine",
    "seo": "seo",
    "monitoring": "monitoring",
    "advertising": "advertising",
    "archiver": "archiver",
    "social-preview": "social_media",
    "http-library": "http_library",
    "scanner": "security",
    "browser-automation": "scraping_framework",
    "feed-reader": "content_fetcher",
    "academic": "content_fetcher",
    "ai-crawler": "ai_crawler",
}
# The list tags crawling frameworks as http-library; AWS Bot Control calls them scraping frameworks.
PATTERN_CATEGORIES: dict[str, str] = {
    "Scrapy": "scraping_framework",
    "colly": "scraping_framework",
    "crawler4j": "scraping_framework",
    "HTTrack": "scraping_framework",
}
_PRECEDENCE = (
    "security",
    "ai_crawler",
    "scraping_framework",
    "http_library",
    "search_engine",
    "advertising",
    "social_media",
    "archiver",
    "monitoring",
    "seo",
    "content_fetcher",
)
_CHUNK = 40


@dataclass(frozen=True, slots=True)
class BotMatch:
    """A user agent recognised as a bot: its category and the list entry that matched."""

    category: str
    pattern: str
    description: str


@dataclass(frozen=True, slots=True)
class _Entry:
    pattern: re.Pattern[str]
    source: str
    category: str
    description: str


class BotClassifier:
    """Classifies user agents; compiled once, then one alternation search per chunk of patterns."""

    def __init__(self, data: list[dict[str, Any]]) -> None:
        self._entries: list[_Entry] = []
        for item in data:
            categories = [TAG_CATEGORIES[t] for t in item.get("tags", []) if t in TAG_CATEGORIES]
            category = min(categories, key=_PRECEDENCE.index) if categories else "content_fetcher"
            category = PATTERN_CATEGORIES.get(item["pattern"], category)
            self._entries.append(
                _Entry(
                    re.compile(item["pattern"]), item["pattern"], category, str(item.get("description", ""))
                )
            )
        self._chunks = [
            (re.compile("|".join(f"(?:{e.source})" for e in self._entries[i : i + _CHUNK])), i)
            for i in range(0, len(self._entries), _CHUNK)
        ]
        self.classify = functools.lru_cache(maxsize=4096)(self._classify)

    def __len__(self) -> int:
        return len(self._entries)

    def _classify(self, user_agent: str) -> BotMatch | None:
        found: list[_Entry] = []
        for combined, offset in self._chunks:
            if combined.search(user_agent):
                found.extend(
                    e for e in self._entries[offset : offset + _CHUNK] if e.pattern.search(user_agent)
                )
        if not found:
            return None
        best = min(found, key=lambda e: _PRECEDENCE.index(e.category))
        return BotMatch(best.category, best.source, best.description)


_lock = threading.Lock()
_classifier: BotClassifier | None = None


def default_classifier() -> BotClassifier:
    """The classifier over the installed crawler-user-agents list (loaded once, thread-safe)."""
    global _classifier  # noqa: PLW0603 — one lazily built, process-wide classifier
    if _classifier is None:
        with _lock:
            if _classifier is None:
                from crawleruseragents import CRAWLER_USER_AGENTS_DATA  # type: ignore[import-untyped]

                _classifier = BotClassifier(list(CRAWLER_USER_AGENTS_DATA))
    return _classifier


def classify_user_agent(user_agent: str) -> BotMatch | None:
    """The bot category of ``user_agent``, or None for an agent not on the list (a browser)."""
    if not user_agent:
        return None
    return default_classifier().classify(user_agent)


__all__ = [
    "PATTERN_CATEGORIES",
    "TAG_CATEGORIES",
    "BotClassifier",
    "BotMatch",
    "classify_user_agent",
    "default_classifier",
]
