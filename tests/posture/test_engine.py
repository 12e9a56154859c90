"""The engine: pure evaluation over outcomes, and run_posture against the moto server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import boto3
import pytest

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.base import COLLECTORS, CollectContext, Collector
from soryoku.inventory.ec2 import EbsEncryptionByDefault
from soryoku.posture.collection import Unit, UnitOutcome
from soryoku.posture.engine import PostureOptions, run_posture
from soryoku.posture.evaluation import AccountScope, evaluate_account, units_needed
from soryoku.posture.registry import CHECKS, Check, CheckProse
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

ACCOUNT = "123456789012"


def _scope(*regions: str) -> AccountScope:
    return AccountScope(ACCOUNT, "aws", regions[0], regions, datetime(2026, 11, 1, tzinfo=UTC))


def _ebs(region: str, enabled: bool) -> EbsEncryptionByDefault:
    return EbsEncryptionByDefault(f"arn:aws:ec2:{region}:{ACCOUNT}:ebs", region, ACCOUNT, enabled)


def test_evaluation_runs_checks_and_turns_failed_units_into_not_evaluated_and_gaps() -> None:
    check = CHECKS.get("ec2_ebs_default_encryption")
    scope = _scope("us-east-1", "eu-west-1", "ap-south-1")
    ok = Unit(ACCOUNT, "us-east-1", "ec2.ebs_encryption_by_default")
    off = Unit(ACCOUNT, "eu-west-1", "ec2.ebs_encryption_by_default")
    denied = Unit(ACCOUNT, "ap-south-1", "ec2.ebs_encryption_by_default")
    outcomes = {
        ok: UnitOutcome(ok, (_ebs("us-east-1", True),)),
        off: UnitOutcome(off, (_ebs("eu-west-1", False),)),
        denied: UnitOutcome(denied, None, "access denied (AccessDenied on GetEbsEncryptionByDefault)"),
    }
    assert set(units_needed([check], scope)) == set(outcomes)
    result = evaluate_account([check], scope, outcomes)
    by_region = {f.region: f for f in result.findings}
    assert by_region["us-east-1"].status_code is ResultStatus.PASS
    assert by_region["eu-west-1"].status_code is ResultStatus.FAIL
    skipped = by_region["ap-south-1"]
    assert skipped.status_code is ResultStatus.NOT_EVALUATED
    assert "access denied" in (skipped.message or "")
    assert skipped.compliance is not None and skipped.compliance.status_code == "NOT_EVALUATED"
    (gap,) = result.gaps
    assert gap.engine == "posture"
    assert gap.scope == f"aws:{ACCOUNT}/ap-south-1/ec2"
    assert "access denied" in gap.reason and "ec2.ebs_encryption_by_default" in gap.reason
    assert gap.checks == ("ec2_ebs_default_encryption",)


def test_a_failed_context_collector_makes_dependent_checks_not_evaluated() -> None:
    checks = [CHECKS.get("s3_bucket_public_read_access"), CHECKS.get("s3_bucket_level_public_access_block")]
    scope = _scope("us-east-1")
    from soryoku.inventory.s3 import S3Bucket

    buckets = Unit(ACCOUNT, "us-east-1", "s3.buckets")
    account = Unit(ACCOUNT, "us-east-1", "s3.account_public_access_block")
    outcomes = {
        buckets: UnitOutcome(buckets, (S3Bucket("b", "arn:aws:s3:::b", "us-east-1"),)),
        account: UnitOutcome(account, None, "API not available (500)"),
    }
    result = evaluate_account(checks, scope, outcomes)
    statuses = {f.check_id: f.status_code for f in result.findings}
    assert statuses == {
        "s3_bucket_public_read_access": ResultStatus.NOT_EVALUATED,
        "s3_bucket_level_public_access_block": ResultStatus.FAIL,
    }
    assert [g.checks for g in result.gaps] == [("s3_bucket_public_read_access",)]


def test_findings_carry_compliance_prose_and_stable_uids() -> None:
    check = CHECKS.get("ec2_ebs_default_encryption")
    scope = _scope("us-east-1")
    unit = Unit(ACCOUNT, "us-east-1", "ec2.ebs_encryption_by_default")
    outcomes = {unit: UnitOutcome(unit, (_ebs("us-east-1", False),))}
    first = evaluate_account([check], scope, outcomes).findings[0]
    again = evaluate_account([check], scope, outcomes).findings[0]
    assert first.uid == again.uid
    assert first.engine == "posture"
    assert first.compliance is not None
    assert first.compliance.standards == ["AWS-FSBP", "CIS-AWS-3.0"]
    assert first.compliance.requirements == ["AWS-FSBP/EC2.7", "CIS-AWS-3.0/2.2.1"]
    assert first.remediation is not None and "enable-ebs-encryption-by-default" in first.remediation.desc
    assert first.account_uid == ACCOUNT and first.severity_id is Severity.MEDIUM


# -- against the moto server --


def _missing_api(ctx: CollectContext) -> tuple[object, ...]:
    ctx.client("ec2").get_serial_console_access_status()  # moto 5.2.5: not implemented (HTTP 500)
    return ()


def _serial_console_check(resource: object, ctx: CheckContext) -> CheckResult:
    return passed("unreachable")


@pytest.fixture
def missing_api_check() -> Iterator[str]:
    """A collector over an API moto lacks, and a check depending on it (removed afterwards)."""
    COLLECTORS.load()
    CHECKS.load()
    COLLECTORS.add(
        Collector(
            "test.serial_console", "ec2", "regional", _missing_api, ("ec2:GetSerialConsoleAccessStatus",), "t"
        )
    )
    CHECKS.add(
        Check(
            "test_serial_console_disabled",
            "ec2",
            "AwsAccount",
            Severity.MEDIUM,
            ("test.serial_console",),
            _serial_console_check,
            __name__,
            inline_prose=CheckProse(
                title="Serial console access is disabled",
                risk="The EC2 serial console bypasses network controls when it is enabled.",
                remediation="Disable EC2 serial console access for the account in every region.",
                references=("https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-serial-console.html",),
            ),
        )
    )
    try:
        yield "test_serial_console_disabled"
    finally:
        CHECKS.remove("test_serial_console_disabled")
        COLLECTORS.remove("test.serial_console")


def test_run_posture_against_moto_reports_a_missing_api_and_goes_on(aws: str, missing_api_check: str) -> None:
    boto3.client("ec2").enable_ebs_encryption_by_default()
    options = PostureOptions(
        checks=(missing_api_check, "ec2_ebs_default_encryption", "guardduty_enabled"), max_attempts=2
    )
    (result,) = run_posture(options)
    assert result.engine == "posture" and result.scope == f"aws:{ACCOUNT}"
    statuses = {f.check_id: f.status_code for f in result.findings}
    assert statuses == {
        missing_api_check: ResultStatus.NOT_EVALUATED,
        "ec2_ebs_default_encryption": ResultStatus.PASS,
        "guardduty_enabled": ResultStatus.FAIL,
    }
    (gap,) = result.gaps
    assert gap.scope == f"aws:{ACCOUNT}/us-east-1/ec2" and gap.checks == (missing_api_check,)
    assert gap.reason.startswith("API not available")
    assert not result.complete


def test_run_posture_scans_the_regions_asked_for(aws: str) -> None:
    boto3.client("guardduty", region_name="eu-west-1").create_detector(Enable=True)
    (result,) = run_posture(PostureOptions(regions=("us-east-1", "eu-west-1"), checks=("guardduty_enabled",)))
    assert {(f.region, f.status_code) for f in result.findings} == {
        ("us-east-1", ResultStatus.FAIL),
        ("eu-west-1", ResultStatus.PASS),
    }
    assert result.complete


def test_all_regions_records_opt_in_regions_as_not_enabled(aws: str) -> None:
    (result,) = run_posture(PostureOptions(all_regions=True, checks=("securityhub_enabled",), max_workers=8))
    not_enabled = [g for g in result.gaps if "region not enabled" in g.reason]
    assert not_enabled, "moto lists opt-in regions that are not enabled"
    assert all(g.checks == ("securityhub_enabled",) for g in not_enabled)
    evaluated = [f for f in result.findings if f.status_code is not ResultStatus.NOT_EVALUATED]
    skipped = [f for f in result.findings if f.status_code is ResultStatus.NOT_EVALUATED]
    assert len(skipped) == len(not_enabled) and len(evaluated) > 10


def test_org_scan_reaches_member_accounts(aws: str) -> None:
    org = boto3.client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="prod", Email="prod@example.com")["CreateAccountStatus"][
        "AccountId"
    ]
    results = run_posture(PostureOptions(org=True, checks=("iam_root_access_key_absent",)))
    assert [r.scope for r in results] == sorted([f"aws:{ACCOUNT}", f"aws:{member}"])
    for result in results:
        (finding,) = result.findings
        assert finding.account_uid == result.scope.removeprefix("aws:")


def test_no_check_selected_is_an_input_error(aws: str) -> None:
    from soryoku.core.errors import InputError

    with pytest.raises(InputError):
        run_posture(PostureOptions(services=("s3",), severity=Severity.CRITICAL, compliance="cis-3.0"))


def test_failed_helper_shapes() -> None:
    result = failed("x", exposure="y", a=1)
    assert result.status is ResultStatus.FAIL and result.evidence == {"a": 1} and result.exposure == "y"


def test_a_broken_check_is_not_evaluated_and_reported() -> None:
    def broken(resource: object, ctx: CheckContext) -> CheckResult:
        raise KeyError("Statement")

    good = CHECKS.get("ec2_ebs_default_encryption")
    check = Check(
        "test_broken",
        "ec2",
        "AwsAccount",
        Severity.LOW,
        good.collectors,
        broken,
        __name__,
        inline_prose=good.prose,
    )
    scope = _scope("us-east-1")
    unit = Unit(ACCOUNT, "us-east-1", "ec2.ebs_encryption_by_default")
    result = evaluate_account([check, good], scope, {unit: UnitOutcome(unit, (_ebs("us-east-1", True),))})
    assert [(f.check_id, f.status_code) for f in result.findings] == [
        ("test_broken", ResultStatus.NOT_EVALUATED),
        ("ec2_ebs_default_encryption", ResultStatus.PASS),
    ]
    (gap,) = result.gaps
    assert gap.checks == ("test_broken",) and "KeyError" in gap.reason


def test_a_collector_bug_becomes_a_reason_not_a_crash(aws: str) -> None:
    from soryoku.aws.clients import ClientFactory
    from soryoku.posture.collection import run_unit

    def buggy(ctx: CollectContext) -> tuple[object, ...]:
        raise KeyError("PolicyName")

    COLLECTORS.add(Collector("test.buggy", "iam", "global", buggy, ("iam:ListPolicies",), "t"))
    try:
        outcome = run_unit(Unit(ACCOUNT, "us-east-1", "test.buggy"), ClientFactory(boto3.Session(), ACCOUNT))
    finally:
        COLLECTORS.remove("test.buggy")
    assert not outcome.ok and outcome.failure is not None and "KeyError" in outcome.failure


def test_regions_are_validated_and_opt_in_ones_reported(aws: str) -> None:
    from soryoku.core.errors import InputError

    with pytest.raises(InputError, match="--region xx-nowhere-1"):
        run_posture(PostureOptions(regions=("xx-nowhere-1",), checks=("guardduty_enabled",)))
    regions = boto3.client("ec2").describe_regions(AllRegions=True)["Regions"]
    opt_in = next(r["RegionName"] for r in regions if r["OptInStatus"] == "not-opted-in")
    (result,) = run_posture(PostureOptions(regions=("us-east-1", opt_in), checks=("guardduty_enabled",)))
    statuses = {f.region: f.status_code for f in result.findings}
    assert statuses == {"us-east-1": ResultStatus.FAIL, opt_in: ResultStatus.NOT_EVALUATED}
    (gap,) = result.gaps
    assert gap.scope == f"aws:{ACCOUNT}/{opt_in}/guardduty" and gap.reason.startswith("region not enabled")
