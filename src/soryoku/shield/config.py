"""Shield configuration: global mode, per-family and per-route overrides, IP lists, bots, rate rules.

Plain frozen dataclasses (no pydantic: the guard stays light); :meth:`ShieldConfig.from_mapping`
validates a dict (from JSON/YAML) and names the offending key on error.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

Mode = Literal["monitor", "block", "off"]
BotAction = Literal["allow", "count", "block"]
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

CONFIG_ENV = "SORYOKU_SHIELD_CONFIG"
CRS_ENV = "SORYOKU_SHIELD_CRS"
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
MODES: tuple[str, ...] = ("monitor", "block", "off")
FAMILIES: tuple[str, ...] = (
    "ip",
    "size",
    "known_bad_inputs",
    "xss",
    "bot",
    "rate",
    "sqli",
    "shell",
    "path",
    "ssrf",
    "template",
    "crs",
)
BOT_CATEGORIES: tuple[str, ...] = (
    "search_engine",
    "seo",
    "monitoring",
    "advertising",
    "archiver",
    "social_media",
    "http_library",
    "security",
    "scraping_framework",
    "content_fetcher",
    "ai_crawler",
)
DEFAULT_BOT_ACTIONS: Mapping[str, BotAction] = {
    "search_engine": "allow",
    "seo": "allow",
    "monitoring": "allow",
    "advertising": "allow",
    "archiver": "allow",
    "social_media": "allow",
    "content_fetcher": "allow",
    "http_library": "count",
    "ai_crawler": "count",
    "security": "block",
    "scraping_framework": "block",
}


def _config_error(message: str) -> Exception:
    from soryoku.core.errors import ConfigError  # lazy: core pulls pydantic, the guard must not

    return ConfigError(message)


def _mode(value: object, where: str) -> Mode:
    if value is False:  # YAML 1.1 reads an unquoted `off` as false
        return "off"
    if value not in MODES:
        raise _config_error(f"shield config {where}: {value!r} is not a mode, expected one of {MODES}")
    return cast(Mode, value)


def _networks(values: object, where: str) -> tuple[IPNetwork, ...]:
    if not isinstance(values, list | tuple):
        raise _config_error(f"shield config {where}: expected a list of IPs or CIDRs")
    try:
        return tuple(ipaddress.ip_network(str(v), strict=False) for v in values)
    except ValueError as error:
        raise _config_error(f"shield config {where}: {error}") from error


def _families(values: object, where: str) -> Mapping[str, Mode]:
    if not isinstance(values, Mapping):
        raise _config_error(f"shield config {where}: expected a mapping of family → mode")
    unknown = set(values) - set(FAMILIES)
    if unknown:
        raise _config_error(f"shield config {where}: unknown families {sorted(unknown)}, known: {FAMILIES}")
    return {str(k): _mode(v, f"{where}.{k}") for k, v in values.items()}


def _size(value: object, where: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _config_error(f"shield config {where}: {value!r} is not a byte count")
    return value


@dataclass(frozen=True, slots=True)
class RouteRule:
    """Overrides for the routes matching ``glob`` (``fnmatch`` syntax, e.g. ``/api/*``)."""

    glob: str
    mode: Mode | None = None
    families: Mapping[str, Mode] = field(default_factory=dict)
    exclude_params: frozenset[str] = frozenset()
    max_body_bytes: int | None = None

    def matches(self, path: str) -> bool:
        """True when ``path`` falls under this rule."""
        return fnmatch.fnmatchcase(path, self.glob)


@dataclass(frozen=True, slots=True)
class RateRule:
    """At most ``limit`` requests per ``window_s`` seconds per key on the routes matching ``route``.

    ``key`` is ``ip`` or ``header:<name>`` (e.g. ``header:x-api-key``).
    """

    name: str
    limit: int
    window_s: int = 300
    key: str = "ip"
    route: str = "*"


@dataclass(frozen=True, slots=True)
class CrsOptions:
    """The optional OWASP CRS engine (libmodsecurity3): off unless ``enabled``.

    ``setup`` and ``rules`` default to the Debian ``modsecurity-crs`` paths; ``extra_rules`` holds
    ModSecurity directives (exclusions) loaded after the CRS.
    """

    enabled: bool = False
    setup: Path | None = None
    rules: Path | None = None
    extra_rules: str = ""


def _crs(value: object) -> CrsOptions:
    if value is None or value is False:
        return CrsOptions()
    if value is True:
        return CrsOptions(enabled=True)
    if not isinstance(value, Mapping):
        raise _config_error(f"shield config crs: {value!r} is not true, false or a mapping")
    known = {"enabled", "setup", "rules", "extra_rules"}
    unknown = set(value) - known
    if unknown:
        raise _config_error(f"shield config crs: unknown keys {sorted(unknown)}, known: {sorted(known)}")
    enabled = value.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _config_error(f"shield config crs.enabled: {enabled!r} is not true or false")
    paths: dict[str, Path | None] = {}
    for key in ("setup", "rules"):
        raw = value.get(key)
        if raw is not None and not isinstance(raw, str):
            raise _config_error(f"shield config crs.{key}: {raw!r} is not a path")
        paths[key] = Path(raw) if raw else None
    extra = value.get("extra_rules", "")
    if not isinstance(extra, str):
        raise _config_error("shield config crs.extra_rules: expected ModSecurity directives as text")
    return CrsOptions(enabled=enabled, setup=paths["setup"], rules=paths["rules"], extra_rules=extra)


def crs_from_env(options: CrsOptions) -> CrsOptions:
    """``options`` with ``enabled`` overridden by ``$SORYOKU_SHIELD_CRS`` (1/0, true/false, on/off)."""
    raw = os.environ.get(CRS_ENV, "").strip().lower()
    if not raw:
        return options
    if raw not in _TRUE + _FALSE:
        raise _config_error(f"{CRS_ENV}={raw!r}: expected one of {_TRUE + _FALSE}")
    return replace(options, enabled=raw in _TRUE)


@dataclass(frozen=True, slots=True)
class ShieldConfig:
    """Everything the guard decides with. Defaults: monitor mode, every family on."""

    mode: Mode = "monitor"
    families: Mapping[str, Mode] = field(default_factory=dict)
    routes: tuple[RouteRule, ...] = ()
    allow_ips: tuple[IPNetwork, ...] = ()
    block_ips: tuple[IPNetwork, ...] = ()
    trusted_proxies: tuple[IPNetwork, ...] = ()
    bot_actions: Mapping[str, BotAction] = field(default_factory=lambda: dict(DEFAULT_BOT_ACTIONS))
    rate_rules: tuple[RateRule, ...] = ()
    max_body_bytes: int | None = None
    inspect_body_bytes: int = 64 * 1024
    crs: CrsOptions = CrsOptions()

    def route_rule(self, path: str) -> RouteRule | None:
        """The first route rule matching ``path`` (rules are tried in order)."""
        for rule in self.routes:
            if rule.matches(path):
                return rule
        return None

    def mode_for(self, family: str, route: RouteRule | None) -> Mode:
        """The effective mode of ``family`` on a route: route family > route > family > global."""
        if route is not None:
            if family in route.families:
                return route.families[family]
            if route.mode is not None:
                return route.mode
        return self.families.get(family, self.mode)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ShieldConfig:
        """Build and validate a config from a mapping (the shape of docs/shield.md's examples)."""
        known = {
            "mode",
            "families",
            "routes",
            "allow_ips",
            "block_ips",
            "trusted_proxies",
            "bot_actions",
            "rate_rules",
            "max_body_bytes",
            "inspect_body_bytes",
            "crs",
        }
        unknown = set(data) - known
        if unknown:
            raise _config_error(f"shield config: unknown keys {sorted(unknown)}, known: {sorted(known)}")
        routes = []
        for i, raw in enumerate(data.get("routes", [])):
            where = f"routes[{i}]"
            if not isinstance(raw, Mapping) or not isinstance(raw.get("glob"), str):
                raise _config_error(f"shield config {where}: expected a mapping with a 'glob' string")
            routes.append(
                RouteRule(
                    glob=raw["glob"],
                    mode=_mode(raw["mode"], f"{where}.mode") if "mode" in raw else None,
                    families=_families(raw.get("families", {}), f"{where}.families"),
                    exclude_params=frozenset(str(p) for p in raw.get("exclude_params", [])),
                    max_body_bytes=_size(raw.get("max_body_bytes"), f"{where}.max_body_bytes"),
                )
            )
        bot_actions = dict(DEFAULT_BOT_ACTIONS)
        for category, action in dict(data.get("bot_actions", {})).items():
            if category not in BOT_CATEGORIES or action not in ("allow", "count", "block"):
                raise _config_error(
                    f"shield config bot_actions.{category}: expected a category of {BOT_CATEGORIES} "
                    "mapped to allow|count|block"
                )
            bot_actions[category] = action
        rate_rules = []
        for i, raw in enumerate(data.get("rate_rules", [])):
            where = f"rate_rules[{i}]"
            try:
                rule = RateRule(
                    name=str(raw["name"]),
                    limit=int(raw["limit"]),
                    window_s=int(raw.get("window_s", 300)),
                    key=str(raw.get("key", "ip")),
                    route=str(raw.get("route", "*")),
                )
            except (KeyError, TypeError, ValueError) as error:
                raise _config_error(f"shield config {where}: needs name and limit ({error})") from error
            if not 60 <= rule.window_s <= 600:
                raise _config_error(f"shield config {where}.window_s: {rule.window_s} is not in 60..600")
            if rule.limit < 1 or not (rule.key == "ip" or rule.key.startswith("header:")):
                raise _config_error(f"shield config {where}: limit ≥ 1 and key 'ip' or 'header:<name>'")
            rate_rules.append(rule)
        inspect = _size(data.get("inspect_body_bytes", 64 * 1024), "inspect_body_bytes")
        return cls(
            mode=_mode(data.get("mode", "monitor"), "mode"),
            families=_families(data.get("families", {}), "families"),
            routes=tuple(routes),
            allow_ips=_networks(data.get("allow_ips", []), "allow_ips"),
            block_ips=_networks(data.get("block_ips", []), "block_ips"),
            trusted_proxies=_networks(data.get("trusted_proxies", []), "trusted_proxies"),
            bot_actions=bot_actions,
            rate_rules=tuple(rate_rules),
            max_body_bytes=_size(data.get("max_body_bytes"), "max_body_bytes"),
            inspect_body_bytes=inspect if inspect is not None else 64 * 1024,
            crs=_crs(data.get("crs")),
        )

    @classmethod
    def from_env(cls) -> ShieldConfig:
        """The config file named by ``$SORYOKU_SHIELD_CONFIG``, else the defaults (monitor mode).

        ``$SORYOKU_SHIELD_CRS`` (1/0) then switches the OWASP CRS engine on or off.
        """
        path = os.environ.get(CONFIG_ENV, "").strip()
        config = cls.from_file(Path(path)) if path else cls()
        crs = crs_from_env(config.crs)
        return config if crs == config.crs else replace(config, crs=crs)

    @classmethod
    def from_file(cls, path: Path) -> ShieldConfig:
        """Load a JSON or YAML (``.yaml``/``.yml``) config file."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise _config_error(f"shield config {str(path)!r}: cannot be read ({error.strerror})") from error
        if path.suffix.lower() in {".yaml", ".yml"}:
            import yaml  # lazy: only a YAML config pays for PyYAML

            try:
                data = yaml.safe_load(text) or {}
            except yaml.YAMLError as error:
                raise _config_error(f"shield config {str(path)!r}: not valid YAML ({error})") from error
        else:
            try:
                data = json.loads(text)
            except ValueError as error:
                raise _config_error(f"shield config {str(path)!r}: not valid JSON ({error})") from error
        if not isinstance(data, Mapping):
            raise _config_error(f"shield config {str(path)!r}: expected a mapping at the top level")
        return cls.from_mapping(data)


__all__ = [
    "BOT_CATEGORIES",
    "CONFIG_ENV",
    "CRS_ENV",
    "DEFAULT_BOT_ACTIONS",
    "FAMILIES",
    "MODES",
    "BotAction",
    "CrsOptions",
    "Mode",
    "RateRule",
    "RouteRule",
    "ShieldConfig",
    "crs_from_env",
]
