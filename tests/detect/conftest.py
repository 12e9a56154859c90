"""Shared helpers for the detect tests: the context files and a one-call "logs → findings"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from soryoku.core.finding import Finding
from soryoku.core.result import ScanResult
from soryoku.detect.database import DetectContext
from soryoku.detect.engine import detect
from soryoku.detect.geo import load_asn_db
from soryoku.detect.intel import load_intel, load_ip_ranges
from soryoku.detect.rules import RULES
from soryoku.detect.simulate import environment, write_context
from soryoku.detect.simulate.dataset import Logs
from soryoku.detect.simulate.events import Flow
from soryoku.detect.simulate.layout import save
from soryoku.detect.sources import LogStore

Detector = Callable[[Iterable[Any], Iterable[str] | None], ScanResult]


@pytest.fixture(scope="session")
def context_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """ip-ranges.json, a threat list, a Tor list, an environment file and an ASN CSV."""
    return write_context(tmp_path_factory.mktemp("context"))


@pytest.fixture(scope="session")
def full_context(context_files: dict[str, Path]) -> DetectContext:
    """Every context a rule may need."""
    return DetectContext(
        intel=load_intel([context_files["threats"], context_files["tor"]]),
        ip_ranges=load_ip_ranges(context_files["ip_ranges"]),
        geo=load_asn_db([context_files["asn_db"]]),
        environment=environment(),
    )


def logs_of(records: Iterable[Any]) -> Logs:
    """Sort mixed records (CloudTrail dicts, flows, DNS dicts) into a Logs."""
    logs = Logs()
    for record in records:
        if isinstance(record, Flow):
            logs.flows.append(record)
        elif "eventName" in record:
            logs.cloudtrail.append(record)
        else:
            logs.dns.append(record)
    return logs


@pytest.fixture
def run_detect(tmp_path: Path, full_context: DetectContext) -> Detector:
    """Write records as AWS delivers them, run the engine (optionally some rules), return the result."""
    counter = iter(range(1000))

    def run(records: Iterable[Any], rule_ids: Iterable[str] | None = None) -> ScanResult:
        n = next(counter)
        root = tmp_path / f"logs{n}"
        save(logs_of(records).render(), root)
        rules = None if rule_ids is None else [RULES.get(r) for r in rule_ids]
        result, _ = detect(str(root), LogStore(tmp_path / f"store{n}"), full_context, rules=rules)
        return result

    return run


def rule_ids(findings: Iterable[Finding]) -> set[str]:
    """The rules that fired."""
    return {f.check_id for f in findings}
