"""Log sources: CloudTrail, VPC Flow Logs and Route 53 Resolver query logs → a Parquet store."""

from soryoku.detect.sources.ingest import IngestReport, ingest
from soryoku.detect.sources.locations import LogObject, list_local, list_source
from soryoku.detect.sources.problems import Problem
from soryoku.detect.sources.store import SOURCES, IngestState, LogStore

__all__ = [
    "SOURCES",
    "IngestReport",
    "IngestState",
    "LogObject",
    "LogStore",
    "Problem",
    "ingest",
    "list_local",
    "list_source",
]
