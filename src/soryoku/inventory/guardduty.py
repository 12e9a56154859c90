"""GuardDuty: whether a detector is enabled in each region, and which protection plans it runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class GuardDutyDetector:
    """One detector, its status, and the status of each protection plan (``Features``) by name;
    a feature's additional configuration appears as ``FEATURE/CONFIGURATION``."""

    detector_id: str
    status: str
    features: tuple[tuple[str, str], ...] = ()

    def feature(self, name: str) -> str | None:
        """The status of one feature (``ENABLED``/``DISABLED``), None when the detector lists none."""
        return dict(self.features).get(name)


@dataclass(frozen=True, slots=True)
class GuardDutyRegion:
    """GuardDuty in one region of one account: its detectors (usually zero or one)."""

    arn: str
    region: str
    account_id: str
    detectors: tuple[GuardDutyDetector, ...]

    @property
    def name(self) -> str:
        """Account and region."""
        return f"{self.account_id}/{self.region}"

    @property
    def enabled(self) -> bool:
        """True when a detector exists and is ENABLED."""
        return any(d.status == "ENABLED" for d in self.detectors)


def detector_from(detector_id: str, answer: Mapping[str, Any]) -> GuardDutyDetector:
    """One GetDetector answer as a model."""
    features: list[tuple[str, str]] = []
    for item in answer.get("Features") or []:
        if not item.get("Name"):
            continue
        features.append((str(item["Name"]), str(item.get("Status", ""))))
        # additional configurations (e.g. EKS_ADDON_MANAGEMENT) as "FEATURE/CONFIGURATION"
        for extra in item.get("AdditionalConfiguration") or []:
            features.append((f"{item['Name']}/{extra.get('Name')}", str(extra.get("Status", ""))))
    return GuardDutyDetector(detector_id, str(answer.get("Status", "")), tuple(features))


def region_from_detectors(
    detectors: Iterable[GuardDutyDetector], account_id: str, region: str, arn: str
) -> GuardDutyRegion:
    """Pure: the region view over its detectors."""
    return GuardDutyRegion(arn=arn, region=region, account_id=account_id, detectors=tuple(detectors))


@collector(
    "guardduty.detectors",
    service="guardduty",
    scope="regional",
    actions=("guardduty:ListDetectors", "guardduty:GetDetector"),
    description="GuardDuty detectors and their status",
)
def collect_guardduty(ctx: CollectContext) -> tuple[GuardDutyRegion, ...]:
    """List the region's detectors and ask each for its status."""
    client = ctx.client("guardduty")
    detectors = [
        detector_from(str(d), client.get_detector(DetectorId=d))
        for page in client.get_paginator("list_detectors").paginate()
        for d in page.get("DetectorIds", [])
    ]
    arn = ctx.account_arn("guardduty", "detector")
    return (region_from_detectors(detectors, ctx.account_id, ctx.region, arn),)


__all__ = [
    "GuardDutyDetector",
    "GuardDutyRegion",
    "collect_guardduty",
    "detector_from",
    "region_from_detectors",
]
