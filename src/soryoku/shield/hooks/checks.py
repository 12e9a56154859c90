"""What every sink hook calls: look up the current request and judge the value against its inputs.

Outside a request (no context) each check is one context-variable read, so hooks cost nothing to
code that does not serve requests (tests, workers, start-up).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import Any

from soryoku.shield.context import current_request
from soryoku.shield.decide import sink_violation
from soryoku.shield.rasp.path import path_violation
from soryoku.shield.rasp.shell import changes_shell_structure
from soryoku.shield.rasp.sql import changes_sql_structure
from soryoku.shield.rasp.ssrf import forbidden_reason, input_names_host
from soryoku.shield.rasp.template import Lexer, changes_template_structure


def check_sql(statement: object, sink: str, dialect: str | None = None) -> None:
    """Raise ShieldBlockedError when a request input changes the structure of ``statement``."""
    ctx = current_request()
    if ctx is None or not ctx.inputs:
        return
    if isinstance(statement, bytes):
        statement = statement.decode("utf-8", "replace")
    if not isinstance(statement, str):
        return
    key = ("sql", statement)
    if key in ctx.checked:
        return
    started = time.perf_counter_ns()
    for item in ctx.inputs:
        if item.value in statement and changes_sql_structure(statement, item.value, dialect):
            sink_violation(
                ctx,
                family="sqli",
                rule="token_structure",
                title=f"SQL injection at {sink}: {item.location} changes the statement's tokens",
                location=item.location,
                value=item.value,
                started_ns=started,
            )
            return
    ctx.checked.add(key)


def check_shell(command: object, sink: str) -> None:
    """Raise ShieldBlockedError when a request input adds words or operators to a shell ``command``."""
    ctx = current_request()
    if ctx is None or not ctx.inputs:
        return
    if isinstance(command, bytes):
        command = command.decode("utf-8", "replace")
    if not isinstance(command, str):
        return
    started = time.perf_counter_ns()
    for item in ctx.inputs:
        if item.value in command and changes_shell_structure(command, item.value):
            sink_violation(
                ctx,
                family="shell",
                rule="command_structure",
                title=f"Shell injection at {sink}: {item.location} adds words or operators to the command",
                location=item.location,
                value=item.value,
                started_ns=started,
            )
            return


def check_path(path: object, sink: str) -> None:
    """Raise ShieldBlockedError when a request input makes ``path`` escape its base directory."""
    ctx = current_request()
    if ctx is None or not ctx.inputs or isinstance(path, int):
        return
    try:
        text = os.fsdecode(os.fspath(path))  # type: ignore[call-overload]
    except TypeError:
        return
    started = time.perf_counter_ns()
    for item in ctx.inputs:
        if item.value in text:
            rule = path_violation(text, item.value)
            if rule is not None:
                sink_violation(
                    ctx,
                    family="path",
                    rule=rule,
                    title=f"Path {rule.replace('_', ' ')} at {sink}: {item.location} leaves its base",
                    location=item.location,
                    value=item.value,
                    started_ns=started,
                )
                return


def check_resolved(host: object, addresses: Iterable[str], sink: str) -> None:
    """Raise ShieldBlockedError when a client-named ``host`` resolved to a forbidden address."""
    ctx = current_request()
    if ctx is None or not ctx.inputs:
        return
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str) or not host:
        return
    started = time.perf_counter_ns()
    for item in ctx.inputs:
        if input_names_host(host, item.value):
            for address in addresses:
                reason = forbidden_reason(address)
                if reason is not None:
                    sink_violation(
                        ctx,
                        family="ssrf",
                        rule=reason,
                        title=f"SSRF at {sink}: {item.location} names {host}, which resolves to a "
                        f"{reason.replace('_', ' ')} address",
                        location=item.location,
                        value=item.value,
                        started_ns=started,
                    )
                    return


def check_template(
    source: str, lex: Lexer, sink: str, syntax_errors: tuple[type[Exception], ...] = ()
) -> None:
    """Raise ShieldBlockedError when a request input adds template syntax to ``source``."""
    ctx = current_request()
    if ctx is None or not ctx.inputs:
        return
    started = time.perf_counter_ns()
    for item in ctx.inputs:
        if item.value in source and changes_template_structure(source, item.value, lex, syntax_errors):
            sink_violation(
                ctx,
                family="template",
                rule="ssti",
                title=f"Template injection at {sink}: {item.location} adds template syntax",
                location=item.location,
                value=item.value,
                started_ns=started,
            )
            return


def addresses_of(results: Any) -> list[str]:
    """The IP strings in a ``getaddrinfo`` result list."""
    return [str(entry[4][0]) for entry in results if len(entry) >= 5 and entry[4]]


__all__ = ["addresses_of", "check_path", "check_resolved", "check_shell", "check_sql", "check_template"]
