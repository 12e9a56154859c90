"""CloudWatch Logs JSON filter patterns: parse ``{ $.field = value && ... }`` and match it against events.

The CIS 4.x monitoring checks accept a metric filter when its pattern matches every event the
recommendation asks to alarm on (a sample CloudTrail record per event), as a real log group would:
a broader or differently written pattern is accepted, a pattern that misses one event is not. Space-
delimited and plain-text patterns are not JSON and match no CloudTrail record here.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Event = Mapping[str, Any]
Matcher = Callable[[Event], bool]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<and>&&)|(?P<or>\|\|)|(?P<lp>\()|(?P<rp>\))|
        (?P<op>!=|<=|>=|=|<|>)|
        (?P<str>"(?:[^"\\]|\\.)*")|
        (?P<regex>%[^%]*%)|
        (?P<word>[^\s()&|=!<>"]+)
    )""",
    re.VERBOSE,
)
_MISSING = object()


class PatternError(ValueError):
    """The pattern is not a JSON filter pattern this parser understands."""


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str


def _tokens(body: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(body):
        if body[pos:].strip() == "":
            break
        match = _TOKEN.match(body, pos)
        if not match or match.end() == pos:
            raise PatternError(f"unexpected text at {body[pos : pos + 20]!r}")
        kind = match.lastgroup or ""
        out.append(_Token(kind, match.group(kind)))
        pos = match.end()
    return out


def _lookup(event: Any, selector: str) -> Any:
    if not selector.startswith("$"):
        raise PatternError(f"selector {selector!r} does not start with $")
    value: Any = event
    for part in re.findall(r"\.([^.\[]+)|\[(\d+)\]", selector[1:]):
        key, index = part
        if key:
            if not isinstance(value, Mapping) or key not in value:
                return _MISSING
            value = value[key]
        else:
            if not isinstance(value, list) or int(index) >= len(value):
                return _MISSING
            value = value[int(index)]
    return value


def _value_text(token: _Token) -> str:
    if token.kind == "str":
        return bytes(token.text[1:-1], "utf-8").decode("unicode_escape")
    return token.text


def _compare(selector: str, op: str, token: _Token) -> Matcher:
    raw = _value_text(token)
    if token.kind == "regex":
        regex = re.compile(raw[1:-1])

        def regex_match(event: Event) -> bool:
            value = _lookup(event, selector)
            found = isinstance(value, str) and regex.search(value) is not None
            return found if op == "=" else value is not _MISSING and not found

        return regex_match
    number: float | None
    try:
        number = float(raw) if token.kind == "word" else None
    except ValueError:
        number = None

    def compare(event: Event) -> bool:
        value = _lookup(event, selector)
        if value is _MISSING or value is None:
            return False
        if number is not None and isinstance(value, int | float) and not isinstance(value, bool):
            return {
                "=": value == number,
                "!=": value != number,
                "<": value < number,
                ">": value > number,
                "<=": value <= number,
                ">=": value >= number,
            }[op]
        if op not in {"=", "!="}:
            return False
        text = str(value).lower() if isinstance(value, bool) else str(value)
        equal = fnmatch.fnmatchcase(text, raw) if "*" in raw else text == raw
        return equal if op == "=" else not equal

    return compare


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise PatternError("pattern ends too early")
        self.pos += 1
        return token

    def parse(self) -> Matcher:
        matcher = self.expression()
        if self.peek() is not None:
            raise PatternError(f"unexpected {self.peek()!r}")
        return matcher

    def expression(self) -> Matcher:
        terms = [self.conjunction()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            terms.append(self.conjunction())
        if len(terms) == 1:
            return terms[0]
        return lambda event: any(term(event) for term in terms)

    def conjunction(self) -> Matcher:
        factors = [self.factor()]
        while (token := self.peek()) is not None and token.kind == "and":
            self.take()
            factors.append(self.factor())
        if len(factors) == 1:
            return factors[0]
        return lambda event: all(factor(event) for factor in factors)

    def factor(self) -> Matcher:
        token = self.take()
        if token.kind == "lp":
            inner = self.expression()
            if self.take().kind != "rp":
                raise PatternError("missing )")
            return inner
        if token.kind != "word" or not token.text.startswith("$"):
            raise PatternError(f"expected a $.selector, got {token.text!r}")
        selector = token.text
        nxt = self.take()
        if nxt.kind == "op":
            return _compare(selector, nxt.text, self.take())
        keyword = nxt.text.upper()
        if keyword == "NOT":
            if self.take().text.upper() != "EXISTS":
                raise PatternError("expected EXISTS after NOT")
            return lambda event: _lookup(event, selector) is _MISSING
        if keyword == "EXISTS":
            return lambda event: _lookup(event, selector) is not _MISSING
        if keyword == "IS":
            what = self.take().text.upper()
            if what == "NULL":
                return lambda event: _lookup(event, selector) is None
            if what in {"TRUE", "FALSE"}:
                expected = what == "TRUE"
                return lambda event: _lookup(event, selector) is expected
        raise PatternError(f"unexpected {nxt.text!r} after {selector}")


def compile_pattern(pattern: str) -> Matcher:
    """A matcher for a JSON filter pattern ``{ ... }``; PatternError for anything else."""
    text = pattern.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise PatternError("not a JSON filter pattern")
    return _Parser(_tokens(text[1:-1])).parse()


def missed_events(pattern: str, events: list[Event]) -> list[Event] | None:
    """The events the pattern does not match ([] = covers them all); None when it cannot be parsed."""
    try:
        matcher = compile_pattern(pattern)
    except PatternError:
        return None
    return [event for event in events if not matcher(event)]


__all__ = ["PatternError", "compile_pattern", "missed_events"]
