"""Bot control: categories from crawler-user-agents, per-category actions, rate rules (memory, Redis)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from soryoku.shield import Shield, ShieldConfig
from soryoku.shield.bots import classify_user_agent, default_classifier
from soryoku.shield.config import BOT_CATEGORIES
from soryoku.shield.ratelimit import MemoryRateStore, RedisRateStore
from soryoku.shield.replay import view_from_record

AGENTS = {
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)": "search_engine",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)": "seo",
    "UptimeRobot/2.0 (http://www.uptimerobot.com/)": "monitoring",
    "AdsBot-Google (+http://www.google.com/adsbot.html)": "advertising",
    "ia_archiver (+http://www.alexa.com/site/help/webmasters; crawler@alexa.com)": "archiver",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)": "social_media",
    "python-requests/2.31.0": "http_library",
    "curl/8.5.0": "http_library",
    "sqlmap/1.7.2#stable (https://sqlmap.org)": "security",
    "Scrapy/2.11.0 (+https://scrapy.org)": "scraping_framework",
    "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 3 subscribers)": "content_fetcher",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.1)": "ai_crawler",
}
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36",
]


@pytest.mark.parametrize(("agent", "category"), sorted(AGENTS.items()))
def test_agents_fall_in_aws_bot_control_categories(agent: str, category: str) -> None:
    match = classify_user_agent(agent)
    assert match is not None
    assert match.category == category


def test_every_category_is_reachable_and_browsers_are_not_bots() -> None:
    assert {m.category for a in AGENTS if (m := classify_user_agent(a))} == set(BOT_CATEGORIES)
    assert [b for b in BROWSERS if classify_user_agent(b) is not None] == []
    assert len(default_classifier()) > 1000


def test_per_category_actions() -> None:
    config = ShieldConfig.from_mapping(
        {"mode": "block", "bot_actions": {"ai_crawler": "block", "seo": "count"}}
    )
    shield = Shield(config)

    def inspect(agent: str) -> Any:
        return shield.inspect(view_from_record({"path": "/", "headers": {"user-agent": agent}}))

    gpt = inspect(next(a for a, c in AGENTS.items() if c == "ai_crawler"))
    assert gpt.blocked is not None
    assert gpt.blocked.rule_id == "bot:ai_crawler"
    seo = inspect("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)")
    assert seo.blocked is None
    assert [(e.rule_id, e.action) for e in seo.events] == [("bot:seo", "monitor")]
    assert inspect("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").events == []


def test_memory_sliding_window() -> None:
    store = MemoryRateStore()
    assert [store.hit("k", 60, now=t) for t in (0.0, 10.0, 20.0)] == [1, 2, 3]
    assert store.hit("k", 60, now=65.0) == 3  # the hit at 0 has left the window
    assert store.hit("other", 60, now=65.0) == 1


def test_rate_rule_per_ip_and_route() -> None:
    config = ShieldConfig.from_mapping(
        {"mode": "block", "rate_rules": [{"name": "login", "limit": 3, "window_s": 60, "route": "/login"}]}
    )
    shield = Shield(config)

    def hit(path: str, ip: str) -> Any:
        return shield.inspect(view_from_record({"path": path, "client_ip": ip})).blocked

    assert [hit("/login", "198.51.100.1") for _ in range(3)] == [None, None, None]
    fourth = hit("/login", "198.51.100.1")
    assert fourth is not None
    assert fourth.rule_id == "rate:login"
    assert hit("/login", "198.51.100.2") is None
    assert hit("/home", "198.51.100.1") is None


def test_rate_rule_on_a_custom_key() -> None:
    config = ShieldConfig.from_mapping(
        {
            "mode": "block",
            "rate_rules": [{"name": "api", "limit": 1, "window_s": 60, "key": "header:X-Api-Key"}],
        }
    )
    shield = Shield(config)
    key_a = {"path": "/api", "headers": {"x-api-key": "a"}}
    assert shield.inspect(view_from_record(key_a)).blocked is None
    assert shield.inspect(view_from_record(key_a)).blocked is not None
    assert shield.inspect(view_from_record({"path": "/api", "headers": {"x-api-key": "b"}})).blocked is None


@pytest.fixture
def redis_store() -> Iterator[RedisRateStore]:
    redis = pytest.importorskip("redis")
    client = redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis on 127.0.0.1:6379 not reachable: {error}")
    prefix = f"soryoku-test:{uuid.uuid4().hex}:"
    try:
        yield RedisRateStore(client, prefix=prefix)
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()


def test_redis_sliding_window_is_shared_between_stores(redis_store: RedisRateStore) -> None:
    assert [redis_store.hit("k", 60, now=1000.0 + t) for t in (0, 10, 20)] == [1, 2, 3]
    assert redis_store.hit("k", 60, now=1065.0) == 3
    config = ShieldConfig.from_mapping(
        {"mode": "block", "rate_rules": [{"name": "all", "limit": 2, "window_s": 60}]}
    )
    worker_a, worker_b = Shield(config, redis_store), Shield(config, redis_store)
    request = view_from_record({"path": "/", "client_ip": "198.51.100.77"})
    assert worker_a.inspect(request).blocked is None
    assert worker_b.inspect(request).blocked is None
    assert worker_a.inspect(request).blocked is not None
