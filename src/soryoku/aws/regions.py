"""Which regions an account can be scanned in (EC2 DescribeRegions with opt-in status)."""

from __future__ import annotations

from dataclasses import dataclass

from soryoku.aws.clients import ClientFactory

_ENABLED = {"opt-in-not-required", "opted-in"}


@dataclass(frozen=True, slots=True)
class RegionDiscovery:
    """Every region AWS lists for the account, split into enabled and not enabled (opt-in)."""

    enabled: tuple[str, ...]
    not_enabled: tuple[str, ...]


def regions_from_response(regions: list[dict[str, str]]) -> RegionDiscovery:
    """Pure: split a DescribeRegions(AllRegions=True) answer by opt-in status."""
    enabled = sorted(
        r["RegionName"] for r in regions if r.get("OptInStatus", "opt-in-not-required") in _ENABLED
    )
    disabled = sorted(
        r["RegionName"] for r in regions if r.get("OptInStatus", "opt-in-not-required") not in _ENABLED
    )
    return RegionDiscovery(enabled=tuple(enabled), not_enabled=tuple(disabled))


def discover_regions(factory: ClientFactory, home_region: str) -> RegionDiscovery:
    """Ask EC2 in ``home_region`` for all regions and their opt-in status (ec2:DescribeRegions)."""
    answer = factory.client("ec2", home_region).describe_regions(AllRegions=True)
    return regions_from_response(answer.get("Regions", []))


__all__ = ["RegionDiscovery", "discover_regions", "regions_from_response"]
