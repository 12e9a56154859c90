"""What a TARGET names, resolved to inventories: a local path, or a remote artifact
(``registry://``, ``ecr:``, ``lambda:``, ``ec2:``) fetched through its own module."""

from __future__ import annotations

from pathlib import Path

from soryoku.core.errors import InputError
from soryoku.core.finding import Resource
from soryoku.core.result import ScanResult
from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.inventory import Inventory, catalog
from soryoku.vuln.scanner import scan_inventories

REMOTE_PREFIXES = ("registry://", "ecr:", "lambda:", "ec2:")


def inventories(target: str) -> list[tuple[Inventory, Resource | None]]:
    """The inventories of ``target`` and the cloud resource each one is, when known."""
    if target.startswith("ec2:"):
        from soryoku.vuln.ssm_target import instance_inventory

        inventory, resource = instance_inventory(target)
        return [(inventory, resource)]
    if target.startswith("lambda:"):
        from soryoku.vuln.lambda_target import function_inventories

        return list(function_inventories(target))
    if target.startswith(("registry://", "ecr:")):
        from soryoku.vuln.registry import image_inventory

        return [(image_inventory(target), None)]
    path = Path(target)
    if not path.exists():
        raise InputError(f"TARGET {target!r}: no such file or folder")
    return [(catalog(path), None)]


def merged_inventory(target: str) -> Inventory:
    """All inventories of ``target`` as one (for SBOMs and plans)."""
    found = inventories(target)
    if len(found) == 1:
        return found[0][0]
    first = found[0][0]
    return Inventory(
        target,
        first.kind,
        first.distro,
        tuple(p for inventory, _ in found for p in inventory.packages),
        tuple(g for inventory, _ in found for g in inventory.gaps),
    )


def scan_target(db: AdvisoryDB, target: str, *, ignore_unfixed: bool = False) -> ScanResult:
    """Resolve and scan ``target``."""
    return scan_inventories(db, target, inventories(target), ignore_unfixed=ignore_unfixed)


__all__ = ["REMOTE_PREFIXES", "inventories", "merged_inventory", "scan_target"]
