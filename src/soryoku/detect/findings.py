"""Grouped alerts → OCSF Detection Findings naming the actor, addresses, resources and records."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from soryoku.core.finding import Evidence, Finding, Resource, detection_finding
from soryoku.detect.rules.model import Rule

ENGINE = "detect"
MAX_EVIDENCES = 100


@dataclass(frozen=True, slots=True)
class AlertGroup:
    """The rows of one rule for one account and actor in one window."""

    account: str | None
    actor: str
    window_start: datetime
    count: int
    first_seen: datetime
    last_seen: datetime
    regions: list[str]
    source_ips: list[str]
    resources: list[str]
    targets: list[str]
    records: list[dict[str, Any]]  # evidence, time, detail, source_ip, target — oldest first, capped


def _ms(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp() * 1000)


def _endpoint(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return {"hostname": value}
    return {"ip": value}


def _evidence(rule: Rule, record: dict[str, Any], actor: str) -> Evidence:
    key = "event_id" if rule.source == "cloudtrail" else "key"
    data: dict[str, Any] = {
        "source": rule.source,
        key: record["evidence"],
        "time": record["time"].replace(tzinfo=UTC).isoformat().replace("+00:00", "Z"),
        "detail": record["detail"],
    }
    target = record.get("target")
    dst: dict[str, Any] | None = None
    if target:
        data["target"] = target
        host, _, port = str(target).rpartition(":")
        if rule.source == "flow" and port.isdigit():
            dst = {"ip": host, "port": int(port)}
        elif rule.source == "dns":
            dst = {"domain": target}
        else:
            dst = _endpoint(str(target)) if "," not in str(target) else None
    return Evidence(
        data=data,
        actor={"user": {"uid": actor}},
        src_endpoint=_endpoint(record.get("source_ip")),
        dst_endpoint=dst,
    )


def build_finding(rule: Rule, group: AlertGroup) -> Finding:
    """One Detection Finding for one alert group; its uid is stable across re-runs."""
    region = group.regions[0] if group.regions else None
    resources = [
        Resource(uid=uid, type=rule.resource_type, region=region) for uid in group.resources[:10]
    ] or [
        Resource(
            uid=group.actor, type="AwsIamPrincipal" if rule.source == "cloudtrail" else rule.resource_type
        )
    ]
    ips = ", ".join(group.source_ips[:5]) or "unknown address"
    span = group.first_seen.strftime("%Y-%m-%d %H:%M") + "–" + group.last_seen.strftime("%H:%M UTC")
    plural = "record" if group.count == 1 else "records"
    message = f"{group.actor} from {ips}: {group.count} {plural}, {span}"
    window = group.window_start.strftime("%Y-%m-%dT%H:%M")
    return detection_finding(
        rule_id=rule.id,
        title=rule.title,
        severity=rule.severity,
        evidence_key=f"{group.account}|{group.actor}|{window}",
        engine=ENGINE,
        resources=resources,
        message=message,
        desc=rule.rationale,
        types=[rule.category] if rule.category else None,
        evidences=[_evidence(rule, record, group.actor) for record in group.records],
        remediation=rule.remediation,
        attacks=[rule.attack.to_ocsf()],
        account_id=group.account,
        region=region,
        time=_ms(group.last_seen),
        first_seen_time=_ms(group.first_seen),
        last_seen_time=_ms(group.last_seen),
        start_time=_ms(group.first_seen),
        end_time=_ms(group.last_seen),
        unmapped={
            "actor": group.actor,
            "source_ips": group.source_ips,
            "targets": group.targets,
            "regions": group.regions,
            "record_count": group.count,
            "evidence_truncated": group.count > len(group.records),
            "guardduty_equivalent": rule.guardduty,
            "log_source": rule.source,
        },
    )
