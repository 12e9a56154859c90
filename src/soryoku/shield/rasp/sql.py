"""SQL injection: an input is an attack when it does not sit inside a single SQL token.

Equivalently, replacing the input by a neutral literal would change the token stream: the input
added tokens, closed a string, or opened a comment. Tokenizing uses sqlglot's tokenizer (MIT),
imported on first use so that the guard's import stays light.
"""

from __future__ import annotations

import re
import threading
from typing import Any

_WORD = re.compile(r"\w+")
# A signed number tokenizes as two tokens but cannot change what a statement does.
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SQL_META = ("'", '"', "`", ";", "--", "/*", "#", "\\")
_local = threading.local()


def _dialect(name: str | None) -> Any:
    cache: dict[str | None, Any] | None = getattr(_local, "dialects", None)
    if cache is None:
        cache = _local.dialects = {}
    dialect = cache.get(name)
    if dialect is None:
        from sqlglot.dialects.dialect import Dialect

        dialect = cache[name] = Dialect.get_or_raise(name or "")
    return dialect


def token_spans(sql: str, dialect: str | None = None) -> list[tuple[int, int]] | None:
    """The ``[start, end)`` character spans of the tokens of ``sql``, or None when it cannot be tokenized.

    The last statement's spans are kept per thread: a sink check asks once per matching input.
    """
    last = getattr(_local, "last", None)
    if last is not None and last[0] == sql and last[1] == dialect:
        cached: list[tuple[int, int]] | None = last[2]
        return cached
    from sqlglot.errors import SqlglotError

    try:
        spans: list[tuple[int, int]] | None = [(t.start, t.end + 1) for t in _dialect(dialect).tokenize(sql)]
    except SqlglotError:
        spans = None
    _local.last = (sql, dialect, spans)
    return spans


def _occurrences(text: str, value: str) -> list[int]:
    found = []
    start = text.find(value)
    while start != -1:
        found.append(start)
        start = text.find(value, start + 1)
    return found


def changes_sql_structure(sql: str, value: str, dialect: str | None = None) -> bool:
    """True when ``value`` occurs in ``sql`` somewhere other than inside exactly one token.

    Inputs of word characters only, and plain numbers, cannot change the structure and are skipped
    without tokenizing.
    """
    if not value or _WORD.fullmatch(value) or _NUMBER.fullmatch(value):
        return False
    starts = _occurrences(sql, value)
    if not starts:
        return False
    spans = token_spans(sql, dialect)
    if spans is None:
        # The statement does not even tokenize (an unclosed quote): blame the input if it carries
        # SQL metacharacters, as the same statement with a neutral literal would tokenize.
        return any(meta in value for meta in _SQL_META)
    stripped_lead = len(value) - len(value.lstrip())
    stripped_tail = len(value) - len(value.rstrip())
    spanning = inside = 0
    for start in starts:
        lo, hi = start + stripped_lead, start + len(value) - stripped_tail
        if lo >= hi:
            continue
        if any(t_lo <= lo and hi <= t_hi for t_lo, t_hi in spans):
            inside += 1
        else:
            spanning += 1
    if not spanning:
        return False
    # The same text may also occur in the statement's own code ("id, name" searched for in
    # "SELECT id, name … WHERE q = 'id, name'"): when one occurrence sits inside a single token and
    # the input cannot break out of a literal, the spanning occurrence is the application's text.
    return not (inside and not any(meta in value for meta in _SQL_META))


__all__ = ["changes_sql_structure", "token_spans"]
