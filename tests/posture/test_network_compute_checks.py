"""Paths of the network-compute checks that the PASS/FAIL table cannot show: NOT_EVALUATED verdicts,
the separate exposure field, assumed defaults, and optional collectors in the engine."""

from __future__ import annotations

from datetime import UTC, datetime

from soryoku.core.finding import ResultStatus
from soryoku.inventory.ec2_network import VpnConnection
from soryoku.inventory.elb import LoadBalancerV2
from soryoku.posture.collection import Unit, UnitOutcome
from soryoku.posture.evaluation import AccountScope, evaluate_account, units_needed
from soryoku.posture.registry import CHECKS
from soryoku.posture.results import CheckContext

from .cases import ACCOUNT, NOW, REGION
from .cases_network_compute import SSH_WORLD, acl, ec2, entry


def _run(check_id: str, resource: object, **related: tuple[object, ...]) -> list[object]:
    return list(CHECKS.get(check_id).run(resource, CheckContext(ACCOUNT, REGION, now=NOW, related=related)))


def test_vpn_without_telemetry_is_not_evaluated() -> None:
    vpn = VpnConnection("vpn-1", "arn:aws:ec2:eu-west-1:1:vpn-connection/vpn-1", REGION, "vpn-1", "available")
    (result,) = CHECKS.get("ec2_vpn_connection_both_tunnels_up").run(vpn, CheckContext(ACCOUNT, REGION))
    assert result.status is ResultStatus.NOT_EVALUATED and "telemetry" in result.message


def test_stopped_instance_without_a_stop_time_is_not_evaluated() -> None:
    (result,) = CHECKS.get("ec2_instance_stopped_too_long").run(
        ec2(state="stopped"), CheckContext(ACCOUNT, REGION)
    )
    assert result.status is ResultStatus.NOT_EVALUATED


def test_nacl_allow_shadowed_by_a_deny_keeps_the_verdict_and_reports_the_exposure() -> None:
    check = CHECKS.get("ec2_networkacl_allow_ingress_admin_ports_from_internet")
    (shadowed,) = check.run(acl(entry(50, "deny"), entry(100, "allow")), CheckContext(ACCOUNT, REGION))
    assert (
        shadowed.status is ResultStatus.FAIL
        and shadowed.exposure == "denied by an earlier rule for 22 from 0.0.0.0/0"
    )
    (open_,) = check.run(acl(entry(100, "allow"), entry(200, "deny")), CheckContext(ACCOUNT, REGION))
    assert open_.status is ResultStatus.FAIL and open_.exposure is None


def test_private_instance_exposure_is_reported_on_the_admin_port_check() -> None:
    check = CHECKS.get("ec2_instance_admin_port_open_without_session_manager")
    ctx = CheckContext(
        ACCOUNT,
        REGION,
        related={"ec2.security_groups": (SSH_WORLD,)},
        unavailable={
            "ssm.managed_instances": "access denied (AccessDeniedException on DescribeInstanceInformation)"
        },
    )
    (result,) = check.run(ec2(public_ip=None), ctx)
    assert result.status is ResultStatus.FAIL and "access denied" in result.message
    assert result.exposure is not None and "no public IPv4" in result.exposure
    assert result.evidence["ssm"] == "unknown"


def test_absent_load_balancer_attribute_is_judged_at_the_aws_default_and_says_so() -> None:
    lb = LoadBalancerV2(
        "web",
        "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/web/1",
        REGION,
        "application",
        ("a", "b"),
    )
    (result,) = CHECKS.get("elbv2_deletion_protection_enabled").run(lb, CheckContext(ACCOUNT, REGION))
    assert result.status is ResultStatus.FAIL and result.evidence == {
        "assumed_default": "deletion_protection.enabled"
    }


def test_an_optional_collector_failure_leaves_the_check_running_and_names_it_in_the_gap() -> None:
    check = CHECKS.get("ec2_instance_admin_port_open_without_session_manager")
    scope = AccountScope(ACCOUNT, "aws", REGION, (REGION,), datetime(2026, 11, 1, tzinfo=UTC))
    instances = Unit(ACCOUNT, REGION, "ec2.instances")
    groups = Unit(ACCOUNT, REGION, "ec2.security_groups")
    managed = Unit(ACCOUNT, REGION, "ssm.managed_instances")
    routes = Unit(ACCOUNT, REGION, "ec2.route_tables")
    acls = Unit(ACCOUNT, REGION, "ec2.network_acls")
    assert set(units_needed([check], scope)) == {instances, groups, managed, routes, acls}
    outcomes = {
        instances: UnitOutcome(instances, (ec2(public_ip="198.51.100.7"),)),
        groups: UnitOutcome(groups, (SSH_WORLD,)),
        managed: UnitOutcome(managed, None, "API not available (500)"),
        routes: UnitOutcome(routes, ()),
        acls: UnitOutcome(acls, ()),
    }
    result = evaluate_account([check], scope, outcomes)
    (finding,) = result.findings
    assert finding.status_code is ResultStatus.FAIL and "API not available" in (finding.message or "")
    (gap,) = result.gaps
    assert gap.checks == (check.id,) and "ssm.managed_instances" in gap.reason
    outcomes[managed] = UnitOutcome(managed, ())
    (finding,) = evaluate_account([check], scope, outcomes).findings
    assert finding.status_code is ResultStatus.FAIL and "not managed by Systems Manager" in (
        finding.message or ""
    )


def test_a_public_snapshot_hidden_by_block_all_sharing_fails_with_the_exposure() -> None:
    from .cases_network_compute import PUBLIC_SNAP, bpa

    check = CHECKS.get("ec2_ebs_snapshot_not_public")
    hidden = CheckContext(
        ACCOUNT,
        REGION,
        related={"ec2.snapshot_block_public_access": (bpa("snapshots", "block-all-sharing"),)},
    )
    (result,) = check.run(PUBLIC_SNAP, hidden)
    assert (
        result.status is ResultStatus.FAIL
        and result.exposure is not None
        and "block-all-sharing" in result.exposure
    )
    unknown = CheckContext(
        ACCOUNT, REGION, unavailable={"ec2.snapshot_block_public_access": "API not available (500)"}
    )
    (result,) = check.run(PUBLIC_SNAP, unknown)
    assert result.status is ResultStatus.FAIL and result.exposure is None
