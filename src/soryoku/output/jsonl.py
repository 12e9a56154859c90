"""``jsonl``: one OCSF finding object per line (gaps as NOT_EVALUATED objects, as in json-ocsf)."""

from __future__ import annotations

import json
from typing import IO

from soryoku.output.base import Report, writer
from soryoku.output.json_ocsf import report_objects


@writer("jsonl", description="one OCSF finding object per line (gaps included)", extension="jsonl")
def write_jsonl(report: Report, stream: IO[str]) -> None:
    """Write each OCSF object of the report on its own line."""
    for obj in report_objects(report):
        stream.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
        stream.write("\n")


__all__ = ["write_jsonl"]
