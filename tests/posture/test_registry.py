"""Meta-tests over the check registry and the compliance data."""

from __future__ import annotations

import re

import pytest

from soryoku.core.errors import InputError
from soryoku.core.severity import Severity
from soryoku.inventory.base import COLLECTORS
from soryoku.posture.compliance.frameworks import (
    FRAMEWORK_IDS,
    frameworks,
    load_framework,
    resolve_framework_id,
    standards_and_requirements,
)
from soryoku.posture.registry import CHECKS
from soryoku.posture.selection import CheckFilter, required_permissions, select_checks, split_names

IAM_ACTION = re.compile(r"^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$")
CHECK_ID = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
FSBP_ID = re.compile(r"^[A-Za-z0-9]+\.[0-9]+$")
CIS_ID = re.compile(r"^[0-9]+(\.[0-9]+){1,2}$")


def test_every_check_has_metadata_and_prose() -> None:
    assert len(CHECKS) >= 19
    for item in CHECKS:
        assert CHECK_ID.match(item.id), item.id
        assert item.severity in {Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL}
        assert item.resource_type.startswith("Aws"), item.id
        prose = item.prose
        assert prose.title and prose.risk and prose.remediation, item.id
        assert prose.remediation_cli and "aws " in prose.remediation_cli, item.id
        assert all(ref.startswith("https://") for ref in prose.references), item.id


def test_every_check_declares_real_looking_iam_actions_and_known_collectors() -> None:
    for item in CHECKS:
        assert item.permissions, item.id
        for action in item.permissions:
            assert IAM_ACTION.match(action), f"{item.id}: {action!r}"
        for collector_id in item.collectors:
            assert collector_id in COLLECTORS, f"{item.id}: unknown collector {collector_id}"
    for collector in COLLECTORS:
        assert all(IAM_ACTION.match(a) for a in collector.actions), collector.id


def test_prose_files_hold_no_orphan_entries() -> None:
    from soryoku.posture.registry import _prose_of_module

    for module in {c.module for c in CHECKS}:
        registered = {c.id for c in CHECKS if c.module == module}
        assert set(_prose_of_module(module)) == registered, module


@pytest.mark.parametrize("framework_id", FRAMEWORK_IDS)
def test_every_framework_id_points_to_a_registered_check(framework_id: str) -> None:
    framework = load_framework(framework_id)
    pattern = FSBP_ID if framework_id == "fsbp" else CIS_ID
    seen = set()
    for control in framework.controls:
        assert pattern.match(control.id), control.id
        assert control.id not in seen, f"{control.id} listed twice"
        seen.add(control.id)
        for check_id in control.checks:
            assert check_id in CHECKS, f"{framework_id} {control.id} → unknown check {check_id}"


# The labels are part of the product: each pair verified against AWS's Security Hub control
# reference (FSBP) and the CIS AWS Foundations Benchmark v3.0.0 text.
EXPECTED_LABELS = {
    "s3_account_level_public_access_block": {"AWS-FSBP/S3.1", "CIS-AWS-3.0/2.1.4"},
    "s3_bucket_public_read_access": {"AWS-FSBP/S3.2"},
    "s3_bucket_public_write_access": {"AWS-FSBP/S3.3"},
    "s3_bucket_level_public_access_block": {"AWS-FSBP/S3.8", "CIS-AWS-3.0/2.1.4"},
    # EC2.13, EC2.14, EC2.53 and EC2.54 are Security Hub controls outside the FSBP standard (CIS/PCI).
    "ec2_securitygroup_ingress_port_22_open_to_internet": set(),
    "ec2_securitygroup_ingress_port_3389_open_to_internet": set(),
    "ec2_securitygroup_ingress_admin_ports_open_to_ipv4_internet": {"CIS-AWS-3.0/5.2"},
    "ec2_securitygroup_ingress_admin_ports_open_to_ipv6_internet": {"CIS-AWS-3.0/5.3"},
    "ec2_ebs_default_encryption": {"AWS-FSBP/EC2.7", "CIS-AWS-3.0/2.2.1"},
    "ec2_instance_imdsv2_required": {"AWS-FSBP/EC2.8", "CIS-AWS-3.0/5.6"},
    "iam_user_console_access_mfa_enabled": {"AWS-FSBP/IAM.5", "CIS-AWS-3.0/1.10"},
    "iam_root_access_key_absent": {"AWS-FSBP/IAM.4", "CIS-AWS-3.0/1.4"},
    "iam_user_access_keys_rotated_90_days": {"AWS-FSBP/IAM.3", "CIS-AWS-3.0/1.14"},
    "iam_user_no_policies_attached": {"AWS-FSBP/IAM.2", "CIS-AWS-3.0/1.15"},
    "iam_policy_no_full_admin_privileges": {"AWS-FSBP/IAM.1"},
    "iam_attached_policy_no_full_admin_privileges": {"CIS-AWS-3.0/1.16"},
    "cloudtrail_multi_region_trail_logging": {"AWS-FSBP/CloudTrail.1", "CIS-AWS-3.0/3.1"},
    "guardduty_enabled": {"AWS-FSBP/GuardDuty.1"},
    "securityhub_enabled": {"CIS-AWS-3.0/4.16"},
}


@pytest.mark.parametrize("check_id", sorted(EXPECTED_LABELS))
def test_framework_labels_per_control(check_id: str) -> None:
    standards, requirements = standards_and_requirements(check_id)
    assert set(requirements) == EXPECTED_LABELS[check_id]
    assert standards == sorted({r.split("/")[0] for r in requirements})


def test_fsbp_severity_matches_the_check_severity() -> None:
    fsbp = load_framework("fsbp")
    for control in fsbp.controls:
        if control.severity is None:  # only where AWS's page could not be read, and saying so
            assert "severity not verified" in (control.notes or ""), control.id
            continue
        for check_id in control.checks:
            assert CHECKS.get(check_id).severity == Severity.parse(control.severity), control.id


def test_filters() -> None:
    ids = {c.id for c in select_checks(CheckFilter(services=("s3",)))}
    assert ids == {c.id for c in CHECKS if c.service == "s3"}
    critical = select_checks(CheckFilter(min_severity=Severity.CRITICAL))
    assert {c.id for c in critical} >= {
        "iam_root_access_key_absent",
        "s3_bucket_public_read_access",
        "s3_bucket_public_write_access",
    }
    assert {c.id for c in critical} == {c.id for c in CHECKS if c.severity == Severity.CRITICAL}
    cis = {c.id for c in select_checks(CheckFilter(compliance="cis-3.0"))}
    assert "securityhub_enabled" in cis and "guardduty_enabled" not in cis
    only = select_checks(
        CheckFilter(
            checks=("guardduty_enabled", "securityhub_enabled"), exclude_checks=("securityhub_enabled",)
        )
    )
    assert [c.id for c in only] == ["guardduty_enabled"]
    assert resolve_framework_id("CIS") == "cis-3.0"
    assert split_names(["a,b", " c ", "a"]) == ("a", "b", "c")


@pytest.mark.parametrize(
    "selection",
    [
        CheckFilter(checks=("no_such_check",)),
        CheckFilter(services=("nosuch",)),
        CheckFilter(compliance="pci"),
    ],
)
def test_unknown_filter_values_are_input_errors(selection: CheckFilter) -> None:
    with pytest.raises(InputError):
        select_checks(selection)


def test_required_permissions_cover_every_collector_of_the_selection() -> None:
    actions = required_permissions(CHECKS)
    for collector in COLLECTORS:
        assert set(collector.actions) <= set(actions)
    assert "ec2:DescribeRegions" in actions and "sts:GetCallerIdentity" in actions


def test_frameworks_load() -> None:
    loaded = {f.standard for f in frameworks()}
    assert loaded == {"AWS-FSBP", "CIS-AWS-3.0"}
