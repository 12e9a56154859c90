"""Output writers: one small module per format, all reading Finding objects from a Report."""

from soryoku.output.base import WRITERS, Report, Writer, atomic_output, write_report

__all__ = ["WRITERS", "Report", "Writer", "atomic_output", "write_report"]
