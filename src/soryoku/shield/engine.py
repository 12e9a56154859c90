"""The request-level guard: IP lists, size, bots, rate rules and signatures, then the RASP context.

:class:`Shield` is what the WSGI/ASGI/Lambda adapters and ``soryoku shield replay`` share: it turns a
:class:`RequestView` into a :class:`RequestContext` whose ``events`` say what matched and whose
``blocked`` says whether the request must be refused.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from soryoku.shield.bots import classify_user_agent
from soryoku.shield.config import IPNetwork, RouteRule, ShieldConfig
from soryoku.shield.context import RequestContext, UserInput
from soryoku.shield.decide import record
from soryoku.shield.install import module_available
from soryoku.shield.ratelimit import MemoryRateStore, RateStore
from soryoku.shield.request import MAX_INPUTS, RequestView, client_ip, extract_inputs
from soryoku.shield.rules import RULES, Rule, url_forms

if TYPE_CHECKING:
    from soryoku.shield.crs import CrsEngine


class _RuleIndex:
    """The rules that apply to each input key (``query``, ``header:user-agent`` …), computed once per key.

    When every rule of a key has needles, one alternation of all of them screens each value first,
    so a clean value costs a single regex search in C.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._rules = tuple(rules)
        self._by_key: dict[str, tuple[re.Pattern[str] | None, tuple[Rule, ...]]] = {}

    def for_key(self, source: str, name: str) -> tuple[re.Pattern[str] | None, tuple[Rule, ...]]:
        key = f"{source}:{name}" if source == "header" else source
        found = self._by_key.get(key)
        if found is None:
            rules = tuple(r for r in self._rules if source in r.sources or key in r.sources)
            screen = None
            if rules and all(r.needles for r in rules):
                needles = sorted({n for r in rules for n in r.needles})
                screen = re.compile("|".join(re.escape(n) for n in needles))
            found = self._by_key[key] = (screen, rules)
        return found


def _in(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


class Shield:
    """Evaluates requests against a :class:`ShieldConfig`; one instance per application.

    Without a config, ``$SORYOKU_SHIELD_CONFIG`` names the file to load, else the defaults apply.
    The OWASP CRS engine is loaded when the config enables it (``crs: true``) and no ``crs`` engine
    is passed.
    """

    def __init__(
        self,
        config: ShieldConfig | None = None,
        rate_store: RateStore | None = None,
        crs: CrsEngine | None = None,
    ) -> None:
        self.config = config if config is not None else ShieldConfig.from_env()
        if crs is None and self.config.crs.enabled:
            from soryoku.shield.crs import CrsEngine

            crs = CrsEngine.from_options(self.config.crs)
        self.crs = crs
        if any(a != "allow" for a in self.config.bot_actions.values()) and not module_available(
            "crawleruseragents"
        ):
            from soryoku.core.errors import ConfigError

            raise ConfigError(
                "shield: bot control needs the crawler-user-agents list (pip install 'soryoku[shield]'), "
                "or set every bot_actions category to allow"
            )
        self.rate_store: RateStore = rate_store or MemoryRateStore()
        self._index = _RuleIndex(RULES)

    def context(self, view: RequestView) -> RequestContext:
        """The request context (inputs extracted, route exclusions applied), before any rule runs."""
        route = self.config.route_rule(view.path)
        exclude = route.exclude_params if route is not None else frozenset()
        return RequestContext(
            method=view.method,
            path=view.path,
            route=route.glob if route is not None else view.path,
            client_ip=client_ip(view, self.config.trusted_proxies),
            inputs=extract_inputs(view, exclude),
            config=self.config,
        )

    def inspect(self, view: RequestView, now: float | None = None) -> RequestContext:
        """Run every request rule over ``view``; the returned context carries events and the verdict.

        ``now`` (seconds) places the request in time for rate rules — replay passes the recorded time.
        """
        started = time.perf_counter_ns()
        ctx = self.context(view)
        config = self.config
        if _in(ctx.client_ip, config.allow_ips):
            ctx.inputs = ()
            return ctx
        if _in(ctx.client_ip, config.block_ips):
            record(
                ctx,
                family="ip",
                rule="blocklist",
                title="Client IP on the block list",
                severity="high",
                location="client:ip",
                value=ctx.client_ip,
                started_ns=started,
            )
            if ctx.blocked is not None:
                return ctx
        route = config.route_rule(view.path)
        if self._size(ctx, view, route, started):
            return ctx
        if self._bot(ctx, view, started):
            return ctx
        if self._rate(ctx, view, started, now):
            return ctx
        self._signatures(ctx, view, started)
        if self.crs is not None and ctx.blocked is None:
            self._crs(ctx, view, started)
        return ctx

    def _crs(self, ctx: RequestContext, view: RequestView, started: int) -> None:
        """The optional OWASP CRS (``crs`` family): after the built-in rules, which are cheaper."""
        if ctx.config.mode_for("crs", ctx.config.route_rule(view.path)) == "off":
            return
        assert self.crs is not None
        verdict = self.crs.evaluate(view, ctx.client_ip)
        if verdict.status is None:
            return
        first = verdict.detections[0] if verdict.detections else None
        record(
            ctx,
            family="crs",
            rule=first.rule_id if first is not None else "anomaly_score",
            title=f"OWASP CRS: {first.message}" if first is not None else "OWASP CRS: inbound anomaly score",
            severity="high",
            location="crs:" + ",".join(m.rule_id for m in verdict.detections[:8]),
            value=first.data if first is not None else "",
            started_ns=started,
        )

    def _size(self, ctx: RequestContext, view: RequestView, route: RouteRule | None, started: int) -> bool:
        if len(ctx.inputs) > MAX_INPUTS:
            count = len(ctx.inputs)
            ctx.inputs = ctx.inputs[:MAX_INPUTS]
            record(
                ctx,
                family="size",
                rule="too_many_inputs",
                title=f"More than {MAX_INPUTS} parameters, headers and JSON leaves",
                severity="medium",
                location="request:inputs",
                value=str(count),
                started_ns=started,
            )
            if ctx.blocked is not None:
                return True
        limit = route.max_body_bytes if route is not None and route.max_body_bytes is not None else None
        limit = limit if limit is not None else self.config.max_body_bytes
        if limit is not None and view.body_length > limit:
            record(
                ctx,
                family="size",
                rule="body_too_large",
                title=f"Body larger than {limit} bytes",
                severity="medium",
                location="body:length",
                value=str(view.body_length),
                started_ns=started,
            )
        return ctx.blocked is not None

    def _bot(self, ctx: RequestContext, view: RequestView, started: int) -> bool:
        agent = view.header("user-agent") or ""
        match = classify_user_agent(agent)
        if match is None:
            return False
        action = self.config.bot_actions.get(match.category, "allow")
        if action != "allow":
            record(
                ctx,
                family="bot",
                rule=match.category,
                title=f"Bot ({match.category}): {match.description}",
                severity="low" if action == "count" else "medium",
                location="header:user-agent",
                value=agent,
                started_ns=started,
                block_wanted=action == "block",
            )
        return ctx.blocked is not None

    def _rate(self, ctx: RequestContext, view: RequestView, started: int, now: float | None) -> bool:
        for rule in self.config.rate_rules:
            if not fnmatch.fnmatchcase(view.path, rule.route):
                continue
            if rule.key == "ip":
                key_value: str | None = ctx.client_ip
            else:
                key_value = view.header(rule.key.partition(":")[2].lower())
            if not key_value:
                continue
            count = self.rate_store.hit(f"{rule.name}:{key_value}", rule.window_s, now)
            if count > rule.limit:
                record(
                    ctx,
                    family="rate",
                    rule=rule.name,
                    title=f"More than {rule.limit} requests in {rule.window_s}s per {rule.key}",
                    severity="medium",
                    location=f"rate:{rule.key}",
                    value=key_value,
                    started_ns=started,
                )
                if ctx.blocked is not None:
                    return True
        return False

    def _signatures(self, ctx: RequestContext, view: RequestView, started: int) -> None:
        targets = [UserInput("url", "target", form) for form in url_forms(view.raw_path or view.path)]
        fired: set[str] = set()
        for item in (*targets, *ctx.inputs):
            screen, rules = self._index.for_key(item.source, item.name)
            if screen is not None and screen.search(item.value) is None:
                continue
            for rule in rules:
                if rule.name in fired or not rule.matches(item.value):
                    continue
                fired.add(rule.name)
                record(
                    ctx,
                    family=rule.family,
                    rule=rule.name,
                    title=rule.title,
                    severity=rule.severity,
                    location=item.location,
                    value=item.value,
                    started_ns=started,
                )
                if ctx.blocked is not None:
                    return


__all__ = ["Shield"]
