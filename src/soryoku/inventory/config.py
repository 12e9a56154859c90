"""AWS Config: the configuration recorders of each region, what they record and whether they run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.inventory.base import CollectContext, collector

SERVICE_LINKED_ROLE = "AWSServiceRoleForConfig"


@dataclass(frozen=True, slots=True)
class ConfigRecorder:
    """One configuration recorder: its role, its recording group, and its status."""

    name: str
    role_arn: str
    all_supported: bool
    include_global_resource_types: bool
    resource_types: tuple[str, ...]
    recording: bool
    last_status: str | None

    @property
    def service_linked_role(self) -> bool:
        """True when the recorder uses AWS Config's service-linked role."""
        return self.role_arn.endswith(f"/{SERVICE_LINKED_ROLE}")

    @property
    def healthy(self) -> bool:
        """Recording, and its last delivery did not fail (PENDING: nothing delivered yet)."""
        return self.recording and (self.last_status or "").upper() != "FAILURE"


@dataclass(frozen=True, slots=True)
class ConfigRegion:
    """AWS Config in one region of one account."""

    arn: str
    region: str
    account_id: str
    recorders: tuple[ConfigRecorder, ...]

    @property
    def name(self) -> str:
        """Account and region."""
        return f"{self.account_id}/{self.region}"


def recorders_from(described: Mapping[str, Any], statuses: Mapping[str, Any]) -> tuple[ConfigRecorder, ...]:
    """DescribeConfigurationRecorders joined with DescribeConfigurationRecorderStatus by name."""
    by_name = {str(s.get("name")): s for s in statuses.get("ConfigurationRecordersStatus", [])}
    recorders = []
    for item in described.get("ConfigurationRecorders", []):
        group = item.get("recordingGroup") or {}
        status = by_name.get(str(item.get("name")), {})
        recorders.append(
            ConfigRecorder(
                name=str(item.get("name", "")),
                role_arn=str(item.get("roleARN", "")),
                all_supported=bool(group.get("allSupported", False)),
                include_global_resource_types=bool(group.get("includeGlobalResourceTypes", False)),
                resource_types=tuple(str(t) for t in group.get("resourceTypes") or ()),
                recording=bool(status.get("recording", False)),
                last_status=str(status["lastStatus"]) if status.get("lastStatus") else None,
            )
        )
    return tuple(recorders)


@collector(
    "config.recorders",
    service="config",
    scope="regional",
    actions=("config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus"),
    description="AWS Config configuration recorders with their recording group and status",
)
def collect_config(ctx: CollectContext) -> tuple[ConfigRegion, ...]:
    """The region's recorders and their status."""
    client = ctx.client("config")
    recorders = recorders_from(
        client.describe_configuration_recorders(), client.describe_configuration_recorder_status()
    )
    arn = ctx.account_arn("config", "configuration-recorders")
    return (ConfigRegion(arn=arn, region=ctx.region, account_id=ctx.account_id, recorders=recorders),)


__all__ = ["SERVICE_LINKED_ROLE", "ConfigRecorder", "ConfigRegion", "collect_config", "recorders_from"]
