"""Server-side template injection: an input is an attack when it adds template syntax.

The template source is lexed by the template engine itself (Jinja2's ``Environment.lex``, so
custom delimiters are honoured) with and without the input replaced by a neutral word; a different
sequence of token kinds means the input brought ``{{ … }}``, ``{% … %}`` or comment syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Lexer = Callable[[str], Iterable[tuple[int, str, str]]]
_WORD = re.compile(r"\w+")
_IGNORED = frozenset({"whitespace"})


def _kinds(source: str, lex: Lexer) -> tuple[str, ...]:
    kinds: list[str] = []
    for _, kind, _ in lex(source):
        if kind in _IGNORED or (kind == "data" and kinds and kinds[-1] == "data"):
            continue
        kinds.append(kind)
    return tuple(kinds)


def changes_template_structure(
    source: str, value: str, lex: Lexer, syntax_errors: tuple[type[Exception], ...] = ()
) -> bool:
    """True when ``value`` occurs in the template ``source`` and changes its token kinds.

    A source the engine cannot lex (``syntax_errors``, e.g. an unclosed ``{#``) will not compile
    either, so nothing is injected: not an attack.
    """
    if not value or value not in source or _WORD.fullmatch(value):
        return False
    try:
        original = _kinds(source, lex)
    except syntax_errors:
        return False
    return original != _kinds(source.replace(value, "x"), lex)


__all__ = ["changes_template_structure"]
