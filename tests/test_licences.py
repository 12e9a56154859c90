"""The install carries no GPL/AGPL code: every distribution soryoku[all] pulls in is checked."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, distribution

from packaging.requirements import Requirement

STRONG_COPYLEFT = re.compile(r"\b(A?GPL|GNU (Affero )?General Public)", re.IGNORECASE)


def _licence_text(name: str) -> str:
    meta = distribution(name).metadata
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License")]
    return " ".join([meta.get("License-Expression") or "", (meta.get("License") or "")[:200], *classifiers])


def _closure(root: str, extras: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = [(root, extras)]
    while todo:
        name, wanted = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen and not wanted:
            continue
        seen.add(key)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in wanted | {""}):
                todo.append((req.name, set(req.extras)))
    return seen


def test_no_gpl_or_agpl_in_the_full_install() -> None:
    offenders = {}
    for name in _closure("soryoku", {"all"}) - {"soryoku"}:
        try:
            text = _licence_text(name)
        except PackageNotFoundError:
            continue
        if STRONG_COPYLEFT.search(text.replace("LGPL", "").replace("Lesser General Public", "")):
            offenders[name] = text
    assert offenders == {}


def test_the_closure_is_real() -> None:
    names = _closure("soryoku", {"all"})
    assert {"boto3", "pydantic", "sqlalchemy", "moto", "duckdb"} <= names
