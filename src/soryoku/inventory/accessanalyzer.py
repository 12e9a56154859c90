"""IAM Access Analyzer: the analyzers of a region (external access and unused access)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector

EXTERNAL_ACCESS_TYPES = frozenset({"ACCOUNT", "ORGANIZATION"})


@dataclass(frozen=True, slots=True)
class Analyzer:
    """One analyzer: its type (ACCOUNT, ORGANIZATION, …_UNUSED_ACCESS) and status (ACTIVE, …)."""

    name: str
    arn: str
    type: str
    status: str

    @property
    def active_external_access(self) -> bool:
        """True for an ACTIVE analyzer of external access (account or organization zone of trust)."""
        return self.type in EXTERNAL_ACCESS_TYPES and self.status == "ACTIVE"


@dataclass(frozen=True, slots=True)
class AccessAnalyzerRegion:
    """The analyzers of one region of one account."""

    arn: str
    region: str
    account_id: str
    analyzers: tuple[Analyzer, ...]

    @property
    def name(self) -> str:
        """The scope's display name."""
        return f"access-analyzer/{self.region}"


def analyzers_from(items: Iterable[Mapping[str, Any]]) -> tuple[Analyzer, ...]:
    """ListAnalyzers entries as Analyzer models, sorted by name."""
    return tuple(
        sorted(
            (
                Analyzer(str(a["name"]), str(a["arn"]), str(a["type"]), str(a.get("status", "")))
                for a in items
            ),
            key=lambda a: a.name,
        )
    )


@collector(
    "accessanalyzer.analyzers",
    service="access-analyzer",
    scope="regional",
    actions=("access-analyzer:ListAnalyzers",),
    description="IAM Access Analyzer analyzers of the region",
)
def collect_access_analyzers(ctx: CollectContext) -> tuple[AccessAnalyzerRegion, ...]:
    """Every analyzer of the region (one paginated listing)."""
    paginator = ctx.client("accessanalyzer").get_paginator("list_analyzers")
    items = [a for page in paginator.paginate() for a in page.get("analyzers", [])]
    arn = ctx.account_arn("access-analyzer", "analyzers")
    return (AccessAnalyzerRegion(arn, ctx.region, ctx.account_id, analyzers_from(items)),)


__all__ = [
    "EXTERNAL_ACCESS_TYPES",
    "AccessAnalyzerRegion",
    "Analyzer",
    "analyzers_from",
    "collect_access_analyzers",
]
