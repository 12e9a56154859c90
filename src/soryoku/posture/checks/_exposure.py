"""Effective network exposure of a resource: which attached security group rules admit the internet
(0.0.0.0/0 or ::/0) to its port, whether its subnets route to an internet gateway at all, and whether
their network ACLs admit the internet inbound to that port. Used
beside controls judged by a public flag or a public address; the control's verdict never changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import ip_network

from soryoku.inventory.ec2 import SecurityGroup
from soryoku.inventory.ec2_network import NaclEntry, NetworkAcl
from soryoku.inventory.ec2_routes import RouteTable
from soryoku.posture.results import CheckContext

INTERNET = ("0.0.0.0/0", "::/0")
TCP = frozenset({"tcp"})
ROUTE_TABLES = "ec2.route_tables"
NETWORK_ACLS = "ec2.network_acls"


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


def route_table_for(subnet_id: str, vpc_id: str | None, tables: tuple[RouteTable, ...]) -> RouteTable | None:
    """The subnet's explicitly associated route table, else its VPC's main table (None: unknown)."""
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
        table = route_table_for(subnet_id, vpc_id, known)
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


STATELESS_NOTE = "network ACLs are stateless: outbound return traffic on ephemeral ports is not checked"


@dataclass(frozen=True, slots=True)
class NaclReach:
    """Whether the network ACL of any of a resource's subnets admits the internet (None: cannot tell)."""

    reachable: bool | None
    detail: str


def _acl_for(subnet_id: str, vpc_id: str | None, acls: tuple[NetworkAcl, ...]) -> NetworkAcl | None:
    explicit = next((a for a in acls if subnet_id in a.subnet_ids), None)
    if explicit is not None:
        return explicit
    # No explicit association: the VPC's default network ACL applies.
    return next((a for a in acls if a.is_default and vpc_id and a.vpc_id == vpc_id), None)


def _rule(entry: NaclEntry) -> str:
    return "*" if entry.rule_number >= 32767 else str(entry.rule_number)


def _family_admits(acl: NetworkAcl, internet: str, port: int | None) -> tuple[bool, str]:
    """Does ``acl`` admit inbound traffic from ``internet`` (one address family) to ``port`` over TCP
    (``None``: any traffic at all)? Entries by rule number, the first match decides, none: denied."""
    ipv6 = ":" in internet
    for entry in sorted((e for e in acl.entries if not e.egress), key=lambda e: e.rule_number):
        cidr = entry.ipv6_cidr if ipv6 else entry.cidr
        if not cidr or (port is not None and not entry.covers_port(port, TCP)):
            continue
        try:
            network = ip_network(cidr, strict=False)
        except ValueError:
            continue
        whole = network.prefixlen == 0
        if entry.action.lower() == "allow":
            # A narrower public range admits part of the internet: not unreachable.
            if whole or not network.is_private:
                return True, f"rule {_rule(entry)} allows {cidr}"
        elif whole and (port is not None or entry.protocol == "-1"):
            return False, f"rule {_rule(entry)} denies {cidr}"
    return False, f"no entry admits {internet}"


def internet_nacl(
    subnet_ids: Iterable[str], vpc_id: str | None, acls: Iterable[NetworkAcl], port: int | None
) -> NaclReach:
    """Do the subnets' network ACLs (explicit association, else the VPC's default) admit the internet
    inbound to ``port`` over TCP (``None``: any traffic), over IPv4 or IPv6?"""
    subnets = sorted(set(subnet_ids))
    if not subnets:
        return NaclReach(None, "its subnet is not known")
    known = tuple(acls)
    what = f"port {port}" if port is not None else "any traffic"
    denied: dict[tuple[str, str], list[str]] = {}
    unknown: list[str] = []
    for subnet_id in subnets:
        acl = _acl_for(subnet_id, vpc_id, known)
        if acl is None:
            unknown.append(subnet_id)
            continue
        verdicts = [_family_admits(acl, internet, port) for internet in INTERNET]
        admitting = [why for admits, why in verdicts if admits]
        if admitting:
            return NaclReach(True, f"network ACL {acl.acl_id} of subnet {subnet_id} admits {what} "
                                   f"({'; '.join(admitting)})")  # fmt: skip
        label = acl.acl_id if acl.name == acl.acl_id else f"{acl.acl_id} ({acl.name})"
        denied.setdefault((label, "; ".join(why for _, why in verdicts)), []).append(subnet_id)
    if unknown:
        return NaclReach(None, f"no network ACL found for subnet(s) {', '.join(unknown)}")
    blocks = ", ".join(f"{label} of subnet(s) {', '.join(s)} ({why})" for (label, why), s in denied.items())
    verb = "denies" if len(denied) == 1 else "deny"
    noun = "network ACL" if len(denied) == 1 else "network ACLs"
    return NaclReach(False, f"{noun} {blocks} {verb} inbound {what} from the internet")


def nacl_reach(
    ctx: CheckContext, subnet_ids: Iterable[str], vpc_id: str | None, port: int | None
) -> NaclReach:
    """``internet_nacl`` over the check's optional network-ACL collector, or why it cannot tell."""
    reason = ctx.unavailable.get(NETWORK_ACLS)
    if reason is not None:
        return NaclReach(None, f"network ACLs unavailable ({reason})")
    acls = ctx.related.get(NETWORK_ACLS)
    if acls is None:
        return NaclReach(None, "network ACLs not collected")
    return internet_nacl(subnet_ids, vpc_id, acls, port)


def _nacl_suffix(nacl: NaclReach | None) -> str:
    if nacl is None:
        return ""
    if nacl.reachable:
        return f"; {nacl.detail} ({STATELESS_NOTE})"
    return f"; network ACL not verified ({nacl.detail})"


def exposure_text(
    open_rules: list[str], port: int | None, route: RouteReach | None = None, nacl: NaclReach | None = None
) -> str:
    """The exposure line for a resource flagged public: reachable through which rules, routes and
    network ACLs, or not (a missing route, then a denying network ACL, is named as the reason)."""
    where = port if port is not None else "its port"
    blocked = route.detail if route is not None and route.reachable is False else None
    if blocked is None and nacl is not None and nacl.reachable is False:
        blocked = nacl.detail
    if blocked is not None:
        admitted = (
            f"security group rules {', '.join(open_rules)} admit it on port {where}"
            if open_rules
            else f"no security group rule admits the internet to port {where} either"
        )
        return f"not reachable from the internet: {blocked}; {admitted}"
    if not open_rules:
        return f"no security group rule admits the internet to port {where}"
    reachable = f"reachable from the internet on port {where} ({', '.join(open_rules)})"
    if route is None:
        return reachable + _nacl_suffix(nacl)
    if route.reachable:
        return f"{reachable}; {route.detail}" + _nacl_suffix(nacl)
    return f"{reachable}, unless routing prevents it ({route.detail})" + _nacl_suffix(nacl)


def address_exposure(public_ip: str, route: RouteReach, nacl: NaclReach | None = None) -> str:
    """The exposure line for a public IPv4 address: does its subnet route to an internet gateway, and
    does its network ACL admit any inbound traffic from the internet."""
    if route.reachable is False:
        return f"public IPv4 {public_ip} is not reachable from the internet: {route.detail}"
    if nacl is not None and nacl.reachable is False:
        return f"public IPv4 {public_ip} is not reachable from the internet: {nacl.detail}"
    if route.reachable:
        return f"public IPv4 {public_ip} is routable from the internet: {route.detail}" + _nacl_suffix(nacl)
    return (
        f"public IPv4 {public_ip}; route to an internet gateway not verified ({route.detail})"
        + _nacl_suffix(nacl)
    )
