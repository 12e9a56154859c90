"""``soryoku detect environment``: the ``--environment`` file, written from what a posture run sees.

The accounts and regions come from the posture engine's own target resolution (the same
``--profile``/``--role-arn``/``--org`` and ``--region`` semantics as ``soryoku posture``): the
accounts it reaches (plus, from an organization's management account, every member it lists), the
regions where an account has resources of its own (NAT gateways, Elastic IPs, and every workload
resource the posture inventory collects: see ``estate_usage``), and the estate's known egress
addresses (Elastic IPs and NAT gateway public addresses). What cannot be read is a gap naming the
account and region, so a partial file is never mistaken for a complete one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from soryoku.aws.clients import ClientFactory
from soryoku.aws.failures import COLLECTION_ERRORS, failure_reason
from soryoku.aws.regions import discover_regions
from soryoku.aws.session import endpoint_override, session_region
from soryoku.core.result import Gap
from soryoku.detect.environment import Environment
from soryoku.detect.estate_usage import regions_in_use
from soryoku.posture.engine import PostureOptions, account_targets

ENGINE = "detect"


@dataclass(frozen=True, slots=True)
class RegionFootprint:
    """What one account has in one region that marks the region as used, and its egress addresses."""

    used: bool
    egress_ips: tuple[str, ...]


@dataclass(slots=True)
class EstateSurvey:
    """The environment and what could not be surveyed."""

    environment: Environment
    gaps: list[Gap] = field(default_factory=list)


def _pages(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    return [item for page in client.get_paginator(operation).paginate(**params) for item in page.get(key, [])]


def region_footprint(ec2: Any) -> RegionFootprint:
    """Instances, NAT gateways, Elastic IPs and non-default VPCs of one region (an EC2 client)."""
    instances = [
        instance
        for reservation in _pages(ec2, "describe_instances", "Reservations")
        for instance in reservation.get("Instances", [])
        if instance.get("State", {}).get("Name") != "terminated"
    ]
    nats = [
        nat for nat in _pages(ec2, "describe_nat_gateways", "NatGateways") if nat.get("State") == "available"
    ]
    addresses = ec2.describe_addresses().get("Addresses", [])
    custom_vpcs = [vpc for vpc in _pages(ec2, "describe_vpcs", "Vpcs") if not vpc.get("IsDefault", False)]
    egress = {a["PublicIp"] for a in addresses if a.get("PublicIp")}
    egress |= {
        address["PublicIp"]
        for nat in nats
        for address in nat.get("NatGatewayAddresses", [])
        if address.get("PublicIp")
    }
    return RegionFootprint(bool(instances or nats or addresses or custom_vpcs), tuple(sorted(egress)))


def _organization_accounts(factory: ClientFactory, home: str) -> tuple[str, ...]:
    """Every active member when the caller may list the organization (its management account)."""
    client = factory.client("organizations", home)
    try:
        accounts = _pages(client, "list_accounts", "Accounts")
    except COLLECTION_ERRORS:
        return ()  # not the management account, or no organization: the reached accounts stand
    return tuple(a["Id"] for a in accounts if a.get("Status", "ACTIVE") == "ACTIVE")


def _regions(
    options: PostureOptions, factory: ClientFactory, home: str
) -> tuple[tuple[str, ...], Gap | None]:
    if options.regions:
        return tuple(dict.fromkeys(options.regions)), None
    if endpoint_override():
        return (home,), None
    try:
        return discover_regions(factory, home).enabled, None
    except COLLECTION_ERRORS as error:
        reason = f"region discovery failed, surveyed {home} only: {failure_reason(error)}"
        return (home,), Gap(ENGINE, f"aws:{factory.account_id}", reason)


def survey_estate(options: PostureOptions, base: Environment | None = None) -> EstateSurvey:
    """The environment of the accounts ``options`` reaches; ``base`` keeps hand-written entries.

    Trusted accounts and automation principals cannot be seen from an inventory, so they come from
    ``base`` (an existing environment file) unchanged.
    """
    targets, unreachable = account_targets(options)
    gaps = [gap for result in unreachable for gap in result.gaps]
    accounts: set[str] = set(base.accounts if base else ())
    regions: set[str] = set(base.regions if base else ())
    egress: set[str] = set(base.egress_ips if base else ())
    for target in targets:
        accounts.add(target.account_id)
        home = session_region(target.session)
        factory = ClientFactory(target.session, target.account_id, max_attempts=options.max_attempts)
        accounts.update(_organization_accounts(factory, home))
        scanned, gap = _regions(options, factory, home)
        if gap is not None:
            gaps.append(gap)
        for region in scanned:
            try:
                footprint = region_footprint(factory.client("ec2", region))
            except COLLECTION_ERRORS as error:
                gaps.append(Gap(ENGINE, f"aws:{target.account_id}/{region}", failure_reason(error)))
                continue
            if footprint.used:
                regions.add(region)
            egress.update(footprint.egress_ips)
        used, failed = regions_in_use(
            factory, target.account_id, scanned, home, max_workers=options.max_workers
        )
        regions.update(used)
        gaps += failed
    environment = Environment(
        accounts=tuple(sorted(accounts)),
        trusted_accounts=base.trusted_accounts if base else (),
        regions=tuple(sorted(regions)),
        egress_ips=tuple(sorted(egress)),
        automation_principals=base.automation_principals if base else (),
    )
    return EstateSurvey(environment, gaps)


def environment_yaml(environment: Environment, gaps: list[Gap]) -> str:
    """The ``--environment`` file: YAML with a comment per field, and the gaps as comments."""
    import yaml

    def block(key: str, values: tuple[str, ...], comment: str) -> str:
        body = yaml.safe_dump({key: list(values)}, default_flow_style=False, sort_keys=False)
        return f"# {comment}\n{body}"

    parts = [
        "# soryoku detect --environment file, written by `soryoku detect environment`.\n",
        *(f"# not surveyed: {gap.scope}: {gap.reason}\n" for gap in gaps),
        block("accounts", environment.accounts, "the organization's own accounts"),
        block(
            "trusted_accounts", environment.trusted_accounts, "partners allowed in trust policies and shares"
        ),
        block(
            "regions", environment.regions, "regions in use; activity elsewhere counts as an unused region"
        ),
        block(
            "egress_ips",
            environment.egress_ips,
            "the estate's own public addresses (Elastic IPs, NAT gateways)",
        ),
        block(
            "automation_principals",
            environment.automation_principals,
            "scanners whose enumeration is routine",
        ),
    ]
    return "\n".join(parts)


__all__ = ["EstateSurvey", "RegionFootprint", "environment_yaml", "region_footprint", "survey_estate"]
