"""Effective network exposure of a resource: which attached security group rules admit the internet
(0.0.0.0/0 or ::/0) to its port, and whether its subnets route to an internet gateway at all. Used
beside controls judged by a public flag or a public address; the control's verdict never changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from soryoku.inventory.ec2 import SecurityGroup
from soryoku.inventory.ec2_routes import RouteTable
from soryoku.posture.results import CheckContext

INTERNET = ("0.0.0.0/0", "::/0")
TCP = frozenset({"tcp"})
ROUTE_TABLES = "ec2.route_tables"


def internet_ingress(
    group_ids: Iterable[str], port: int | None, groups: Iterable[SecurityGroup]
) -> list[str]:
    """``sg-id:cidr`` for each rule of the attached groups that admits the internet to ``port`` over TCP."""
    attached = set(group_ids)
    found: list[str] = []
    for group in groups:
        if group.group_id not in attached:
            continue
        for rule in group.ingress:
            if port is not None and not rule.covers_port(port, TCP):
                continue
            found.extend(
                f"{group.group_id}:{cidr}"
                for cidr in (*rule.ipv4_ranges, *rule.ipv6_ranges)
                if cidr in INTERNET
            )
    return sorted(found)


@dataclass(frozen=True, slots=True)
class RouteReach:
    """Whether any of a resource's subnets routes to an internet gateway (None: cannot tell)."""

    reachable: bool | None
    detail: str


def _table_for(subnet_id: str, vpc_id: str | None, tables: tuple[RouteTable, ...]) -> RouteTable | None:
    explicit = next((t for t in tables if subnet_id in t.subnet_ids), None)
    if explicit is not None:
        return explicit
    # No explicit association: the VPC's main route table applies.
    return next((t for t in tables if t.is_main and vpc_id and t.vpc_id == vpc_id), None)


def internet_route(subnet_ids: Iterable[str], vpc_id: str | None, tables: Iterable[RouteTable]) -> RouteReach:
    """Do the subnets (explicit association, else the VPC's main table) route to an internet gateway?"""
    subnets = sorted(set(subnet_ids))
    if not subnets:
        return RouteReach(None, "its subnet is not known")
    known = tuple(tables)
    isolated: list[str] = []
    unknown: list[str] = []
    for subnet_id in subnets:
        table = _table_for(subnet_id, vpc_id, known)
        if table is None:
            unknown.append(subnet_id)
            continue
        gateway = next((r.target for r in table.routes if r.to_internet_gateway), None)
        if gateway is not None:
            return RouteReach(True, f"subnet {subnet_id} routes to {gateway} ({table.route_table_id})")
        isolated.append(f"{subnet_id} ({table.route_table_id})")
    if unknown:
        return RouteReach(None, f"no route table found for subnet(s) {', '.join(unknown)}")
    return RouteReach(False, f"subnet(s) {', '.join(isolated)} have no route to an internet gateway")


def route_reach(ctx: CheckContext, subnet_ids: Iterable[str], vpc_id: str | None) -> RouteReach:
    """``internet_route`` over the check's optional route-table collector, or why it cannot tell."""
    reason = ctx.unavailable.get(ROUTE_TABLES)
    if reason is not None:
        return RouteReach(None, f"route tables unavailable ({reason})")
    tables = ctx.related.get(ROUTE_TABLES)
    if tables is None:
        return RouteReach(None, "route tables not collected")
    return internet_route(subnet_ids, vpc_id, tables)


def exposure_text(open_rules: list[str], port: int | None, route: RouteReach | None = None) -> str:
    """The exposure line for a resource flagged public: reachable through which rules and routes, or not."""
    where = port if port is not None else "its port"
    if route is not None and route.reachable is False:
        admitted = (
            f"security group rules {', '.join(open_rules)} admit it on port {where}"
            if open_rules
            else f"no security group rule admits the internet to port {where} either"
        )
        return f"not reachable from the internet: {route.detail}; {admitted}"
    if not open_rules:
        return f"no security group rule admits the internet to port {where}"
    reachable = f"reachable from the internet on port {where} ({', '.join(open_rules)})"
    if route is None:
        return reachable
    if route.reachable:
        return f"{reachable}; {route.detail}"
    return f"{reachable}, unless routing prevents it ({route.detail})"


def address_exposure(public_ip: str, route: RouteReach) -> str:
    """The exposure line for a public IPv4 address: does its subnet route to an internet gateway."""
    if route.reachable is False:
        return f"public IPv4 {public_ip} is not reachable from the internet: {route.detail}"
    if route.reachable:
        return f"public IPv4 {public_ip} is routable from the internet: {route.detail}"
    return f"public IPv4 {public_ip}; route to an internet gateway not verified ({route.detail})"
