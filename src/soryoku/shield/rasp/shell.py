"""Shell injection: an input is an attack when the command gains words or operators because of it.

The command is split with :mod:`shlex` (POSIX rules, operators as separate tokens) with and without
the input replaced by a neutral word; command substitution (backquotes, ``$(``, ``${``) outside
single quotes counts too, as ``shlex`` keeps it inside a word.
"""

from __future__ import annotations

import re
import shlex

_NEUTRAL = "x"
_OPERATOR_CHARS = frozenset("();<>|&")
_SAFE = re.compile(r"[\w.,:@%+=/-]+")
_SUBSTITUTION = ("`", "$(", "${")


def command_shape(command: str) -> tuple[str, ...] | None:
    """Token kinds of ``command`` (``w`` for a word, the operator text otherwise), None if unlexable."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return tuple(tok if tok and set(tok) <= _OPERATOR_CHARS else "w" for tok in lexer)
    except ValueError:
        return None


def _quote_state(command: str, position: int) -> str:
    """``'``, ``"`` or empty: the quoting in force just before ``position``."""
    state = ""
    i = 0
    while i < position:
        char = command[i]
        if state == "'":
            if char == "'":
                state = ""
        elif char == "\\":
            i += 1
        elif state == '"':
            if char == '"':
                state = ""
        elif char in "'\"":
            state = char
        i += 1
    return state


def changes_shell_structure(command: str, value: str) -> bool:
    """True when ``value`` occurs in ``command`` and adds words, operators or substitutions."""
    if not value or value not in command or _SAFE.fullmatch(value):
        return False
    if any(marker in value for marker in _SUBSTITUTION):
        start = command.find(value)
        while start != -1:
            if _quote_state(command, start) != "'":
                return True
            start = command.find(value, start + 1)
    original = command_shape(command)
    if original is None:
        # Unbalanced quotes: the shell refuses to run the command at all (an application bug, as
        # with an unquoted O'Brien), so nothing was injected.
        return False
    return original != command_shape(command.replace(value, _NEUTRAL))


__all__ = ["changes_shell_structure", "command_shape"]
