"""docs/cli.md names every command of the app and every common option."""

from __future__ import annotations

from pathlib import Path

import typer.main

from soryoku.cli import app as root

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _command_paths() -> list[str]:
    root._register()
    paths: list[str] = []

    def walk(command: object, prefix: list[str]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, [*prefix, name])
        else:
            paths.append(" ".join(prefix))

    walk(typer.main.get_command(root.app), [])
    return paths


def test_every_command_is_documented() -> None:
    text = DOC.read_text()
    headings = "\n".join(line for line in text.splitlines() if line.startswith("### "))
    for path in _command_paths():
        *group, leaf = path.split()
        assert f"soryoku {path}" in headings or (
            group and f"soryoku {group[0]}" in headings and leaf in headings
        ), path


def test_common_options_and_exit_codes_are_documented() -> None:
    text = DOC.read_text()
    for option in (
        "--format",
        "--output",
        "--severity",
        "--fail-on",
        "--db",
        "--mutelist",
        "--no-store",
        "--quiet",
        "--verbose",
    ):
        assert f"`{option}" in text, option
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in text
