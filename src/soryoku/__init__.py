"""soryoku (総力戦): secure an AWS estate at every layer, with one findings model."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("soryoku")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
