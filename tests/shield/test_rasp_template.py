"""Server-side template injection at Jinja2's ``from_string``: the corpus and the hook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from soryoku.shield import ShieldBlockedError, request_scope
from soryoku.shield.context import RequestContext
from soryoku.shield.rasp.template import changes_template_structure

jinja2 = pytest.importorskip("jinja2")
Corpus = Callable[[str], dict[str, Any]]
MakeContext = Callable[..., RequestContext]


def _cases(load: Corpus, kind: str) -> list[tuple[str, str]]:
    return [(c["template"].format(c["input"]), c["input"]) for c in load("template")[kind]]


ERRORS = (jinja2.TemplateSyntaxError,)


def test_every_attack_in_the_corpus_adds_template_syntax(load_corpus: Corpus) -> None:
    lex = jinja2.Environment().lex
    cases = _cases(load_corpus, "attacks")
    assert [t for t, value in cases if not changes_template_structure(t, value, lex, ERRORS)] == []


def test_no_legitimate_input_is_flagged(load_corpus: Corpus) -> None:
    lex = jinja2.Environment().lex
    cases = _cases(load_corpus, "legitimate")
    assert [t for t, value in cases if changes_template_structure(t, value, lex, ERRORS)] == []


def test_an_unclosed_comment_through_the_hook_is_a_syntax_error_not_a_block(
    hooks: object, make_context: MakeContext
) -> None:
    with request_scope(make_context("{# open")) as ctx, pytest.raises(jinja2.TemplateSyntaxError):
        jinja2.Template("Hello {# open")
    assert ctx.events == []


def test_template_from_string_is_blocked(hooks: object, make_context: MakeContext) -> None:
    with request_scope(make_context("{{7*7}}")) as ctx, pytest.raises(ShieldBlockedError):
        jinja2.Template("<p>Hello {{7*7}}!</p>")
    assert ctx.blocked is not None
    assert ctx.blocked.rule_id == "template:ssti"
    with request_scope(make_context("{{ config }}")), pytest.raises(ShieldBlockedError):
        jinja2.Environment().from_string("Hi {{ config }}")


def test_legitimate_rendering_and_safe_templates_pass(hooks: object, make_context: MakeContext) -> None:
    with request_scope(make_context("{{7*7}}", "O'Brien")) as ctx:
        assert jinja2.Template("Hello {{ name }}!").render(name="{{7*7}}") == "Hello {{7*7}}!"
        assert jinja2.Template("Hello O'Brien!").render() == "Hello O'Brien!"
    assert ctx.events == []


def test_uninstall_restores_jinja2() -> None:
    from soryoku.shield import install, uninstall

    original = jinja2.Environment.from_string
    install()
    assert jinja2.Environment.from_string is not original
    uninstall()
    assert jinja2.Environment.from_string is original
