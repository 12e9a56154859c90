"""Turning a rule match into a decision: the effective mode, the event, and blocking."""

from __future__ import annotations

import time

from soryoku.shield.context import RequestContext
from soryoku.shield.events import Action, ShieldBlockedError, ShieldEvent, now_ms, publish, redact


def record(
    ctx: RequestContext,
    *,
    family: str,
    rule: str,
    title: str,
    severity: str,
    location: str,
    value: str,
    started_ns: int,
    block_wanted: bool = True,
) -> ShieldEvent | None:
    """Record a match of ``family:rule`` in ``ctx``; the event, or None when the family is off.

    The action is ``block`` when the effective mode is block and the rule wants to block (a bot
    category set to ``count`` does not), else ``monitor``. A blocking event becomes ``ctx.blocked``.
    """
    mode = ctx.config.mode_for(family, ctx.config.route_rule(ctx.path))
    if mode == "off":
        return None
    action: Action = "block" if mode == "block" and block_wanted else "monitor"
    event = ShieldEvent(
        family=family,
        rule=rule,
        title=title,
        severity=severity,
        mode=mode,
        action=action,
        route=ctx.route,
        method=ctx.method,
        client_ip=ctx.client_ip,
        location=location,
        matched=redact(value, location),
        latency_us=(time.perf_counter_ns() - started_ns) // 1000,
        time_ms=now_ms(),
    )
    ctx.events.append(event)
    if action == "block" and ctx.blocked is None:
        ctx.blocked = event
    publish(event)
    return event


def sink_violation(
    ctx: RequestContext,
    *,
    family: str,
    rule: str,
    title: str,
    location: str,
    value: str,
    started_ns: int,
) -> None:
    """Record an attack found at a sink and raise :class:`ShieldBlockedError` when blocking."""
    event = record(
        ctx,
        family=family,
        rule=rule,
        title=title,
        severity="critical",
        location=location,
        value=value,
        started_ns=started_ns,
    )
    if event is not None and event.action == "block":
        raise ShieldBlockedError(event)


__all__ = ["record", "sink_violation"]
