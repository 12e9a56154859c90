"""Network-placement checks whose data is partly missing: a known failure still FAILs, otherwise the
verdict is NOT_EVALUATED naming what is unknown — never a guessed PASS, never silence."""

from __future__ import annotations

from soryoku.core.finding import ResultStatus
from soryoku.inventory.ec2_routes import Route
from soryoku.posture.registry import CHECKS
from soryoku.posture.results import CheckContext

from .cases import ACCOUNT, NOW, REGION
from .cases_postdata import file_system, instance, route_table, routes, subnets


def _run(check_id: str, resource: object, related: dict[str, tuple[object, ...]]) -> list[tuple[str, str]]:
    ctx = CheckContext(account_id=ACCOUNT, region=REGION, now=NOW, related=related)
    return [(r.status.value, r.message) for r in CHECKS.get(check_id).run(resource, ctx)]


RDS46 = "rds_instance_not_in_public_subnet"


def test_rds_public_subnet_fails_even_when_another_subnet_is_unknown() -> None:
    db = instance("postgres", vpc_id="vpc-1", subnet_ids=("subnet-a", "subnet-z"))
    # subnet-a routes to an internet gateway; subnet-z has no explicit table and the VPC no main one
    public = routes(route_table("rtb-public", Route("0.0.0.0/0", "igw-1"), subnets=("subnet-a",)))
    [(status, message)] = _run(RDS46, db, public)
    assert status == "FAIL" and "subnet-a" in message


def test_rds_unknown_route_table_is_not_evaluated_naming_the_subnet() -> None:
    db = instance("postgres", vpc_id="vpc-1", subnet_ids=("subnet-a", "subnet-z"))
    private = routes(route_table("rtb-private", subnets=("subnet-a",)))
    [(status, message)] = _run(RDS46, db, private)
    assert status == ResultStatus.NOT_EVALUATED.value and "subnet-z" in message


def test_rds_without_known_subnets_is_not_evaluated() -> None:
    [(status, message)] = _run(RDS46, instance("postgres"), routes())
    assert status == ResultStatus.NOT_EVALUATED.value and "subnets" in message


def test_efs_mount_target_in_an_unknown_subnet_is_not_evaluated() -> None:
    [(status, message)] = _run(
        "efs_mount_target_subnet_no_public_ip", file_system("subnet-private", "subnet-gone"), subnets()
    )
    assert status == ResultStatus.NOT_EVALUATED.value and "subnet-gone" in message
    # a known public subnet still FAILs whatever else is unknown
    [(status, _)] = _run(
        "efs_mount_target_subnet_no_public_ip", file_system("subnet-gone", "subnet-public"), subnets()
    )
    assert status == "FAIL"
