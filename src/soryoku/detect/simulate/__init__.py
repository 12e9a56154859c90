"""A labelled dataset generator: benign activity, attack scenarios, false-positive traps."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from soryoku.detect.environment import Environment
from soryoku.detect.simulate.dataset import (
    AWS_PREFIXES,
    PARTNER_ACCOUNT,
    THREAT_IP,
    TOR_EXIT,
    Logs,
    Scenario,
    Trap,
    benign,
)
from soryoku.detect.simulate.events import ACCOUNT
from soryoku.detect.simulate.geo import ASN_CSV
from soryoku.detect.simulate.layout import ip_ranges_document, save
from soryoku.detect.simulate.scenarios import SCENARIOS
from soryoku.detect.simulate.traps import TRAPS


@dataclass(slots=True)
class Dataset:
    """Rendered log files plus which evidence keys belong to which label."""

    files: dict[str, bytes]
    labels: dict[str, set[str]] = field(default_factory=dict)
    scenarios: tuple[Scenario, ...] = SCENARIOS
    traps: tuple[Trap, ...] = TRAPS

    def save(self, root: Path) -> None:
        """Write the log files under ``root``."""
        save(self.files, root)


def build_dataset(
    start: datetime,
    days: int = 9,
    scenarios: tuple[Scenario, ...] = SCENARIOS,
    traps: tuple[Trap, ...] = TRAPS,
    *,
    custom_flows: bool = False,
    hours_per_file: int = 1,
) -> Dataset:
    """Benign days from ``start``; on the last day, each scenario and trap at its own hour."""
    parts: dict[str, Logs] = {"benign": benign(start, days)}
    last = start + timedelta(days=days - 1)
    for index, scenario in enumerate(scenarios):
        parts[f"scenario:{scenario.name}"] = scenario.build(last.replace(hour=index % 24, minute=15))
    for index, trap in enumerate(traps):
        parts[f"trap:{trap.name}"] = trap.build(last.replace(hour=(index + 12) % 24, minute=20))
    everything = Logs()
    for logs in parts.values():
        everything.extend(logs)
    where: dict[int, str] = {}
    files = everything.render(custom_flows=custom_flows, where=where, hours=hours_per_file)
    return Dataset(
        files, {label: logs.evidence_keys(where) for label, logs in parts.items()}, scenarios, traps
    )


def write_context(root: Path) -> dict[str, Path]:
    """The context files the dataset expects: ip-ranges.json, threat/Tor lists, environment, ASN CSV."""
    root.mkdir(parents=True, exist_ok=True)
    paths = {
        "ip_ranges": root / "ip-ranges.json",
        "threats": root / "threats.txt",
        "tor": root / "tor-exit-addresses",
        "environment": root / "environment.yaml",
        "asn_db": root / "asn.csv",
    }
    paths["asn_db"].write_text(ASN_CSV, encoding="utf-8")
    paths["ip_ranges"].write_text(json.dumps(ip_ranges_document(AWS_PREFIXES)), encoding="utf-8")
    paths["threats"].write_text(f"# ThreatIntelSet\n{THREAT_IP}\n198.51.100.240/29\n", encoding="utf-8")
    paths["tor"].write_text(
        f"ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\nPublished 2024-05-01 10:00:00\n"
        f"LastStatus 2024-05-01 11:00:00\nExitAddress {TOR_EXIT} 2024-05-01 11:05:00\n",
        encoding="utf-8",
    )
    paths["environment"].write_text(
        f"accounts: ['{ACCOUNT}']\ntrusted_accounts: ['{PARTNER_ACCOUNT}']\n"
        "regions: [us-east-1, eu-west-1]\n",
        encoding="utf-8",
    )
    return paths


def environment() -> Environment:
    """The environment the dataset's estate has."""
    return Environment(
        accounts=(ACCOUNT,), trusted_accounts=(PARTNER_ACCOUNT,), regions=("us-east-1", "eu-west-1")
    )


__all__ = [
    "SCENARIOS",
    "TRAPS",
    "Dataset",
    "Scenario",
    "Trap",
    "build_dataset",
    "environment",
    "write_context",
]
