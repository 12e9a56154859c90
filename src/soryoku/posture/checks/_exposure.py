"""Effective network exposure of a database-like resource: which attached security group rules admit
the internet (0.0.0.0/0 or ::/0) to its port. Used beside controls judged by a public flag."""

from __future__ import annotations

from collections.abc import Iterable

from soryoku.inventory.ec2 import SecurityGroup

INTERNET = ("0.0.0.0/0", "::/0")
TCP = frozenset({"tcp"})


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


def exposure_text(open_rules: list[str], port: int | None) -> str:
    """The exposure line for a resource flagged public: reachable through which rules, or not."""
    where = port if port is not None else "its port"
    if open_rules:
        return f"reachable from the internet on port {where} ({', '.join(open_rules)})"
    return f"no security group rule admits the internet to port {where}"
