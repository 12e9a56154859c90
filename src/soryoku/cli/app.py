"""The root ``soryoku`` command and the one place errors become a line and an exit code."""

from __future__ import annotations

import sys
import traceback

import typer

from soryoku import __version__
from soryoku.core.errors import ExitCode, SoryokuError

app = typer.Typer(
    name="soryoku",
    help="Secure an AWS estate at every layer: posture, threats, vulnerabilities, malware, apps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"soryoku {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """soryoku (総力戦): security at every layer, by everyone together."""


# The command groups, one module each under soryoku.cli; each exposes `register(app)`.
COMMAND_MODULES: tuple[str, ...] = (
    "checks",
    "content",
    "detect",
    "export",
    "findings",
    "posture",
    "scan",
    "shield",
    "vuln",
)


_registered: list[str] = []


def _register() -> None:
    """Add the command groups to the root app, once per process."""
    import importlib

    for name in COMMAND_MODULES:
        if name not in _registered:
            importlib.import_module(f"soryoku.cli.{name}").register(app)
            _registered.append(name)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, map errors to one line and an exit code."""
    args = sys.argv[1:] if argv is None else argv
    verbose = "--verbose" in args or "-v" in args
    _register()
    try:
        code = app(args=args, standalone_mode=False)
    except SoryokuError as error:
        if verbose:
            traceback.print_exc()
        typer.echo(f"error: {error}", err=True)
        sys.exit(int(error.exit_code))
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(int(ExitCode.USAGE))
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except typer.TyperException as error:  # usage errors: unknown command, bad option value
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {error}", err=True)
        sys.exit(int(ExitCode.USAGE))
    except Exception as error:
        if verbose:
            traceback.print_exc()
        else:
            typer.echo(f"error: unexpected {type(error).__name__}: {error} (rerun with --verbose)", err=True)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
