"""``soryoku posture fix`` against moto: dry run, apply, history, re-check, undo, and nothing else touched."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from soryoku.cli.app import main
from soryoku.posture.fixes.base import FIXES
from soryoku.posture.registry import CHECKS

REGION = "us-east-1"
# every fix seeded below: check id → text of the resource uid it must fix
SEEDED = {
    "s3_bucket_level_public_access_block": "fx-bucket",
    "s3_account_level_public_access_block": "account-public-access-block",
    "s3_bucket_versioning_enabled": "fx-bucket",
    "s3_bucket_default_encryption_kms": "fx-bucket",
    "ec2_securitygroup_ingress_port_22_open_to_internet": "security-group/",
    "ec2_securitygroup_ingress_admin_ports_open_to_ipv4_internet": "security-group/",
    "ec2_securitygroup_ingress_admin_ports_open_to_ipv6_internet": "security-group/",
    "ec2_ebs_default_encryption": "ebs-encryption-by-default",
    "ec2_instance_imdsv2_required": "instance/",
    "kms_cmk_rotation_enabled": "key/",
    "cloudtrail_log_file_validation_enabled": "trail/fx-trail",
    "iam_password_policy_minimum_length_14": "account-password-policy",
    "iam_password_policy_reuse_24": "account-password-policy",
    "iam_password_policy_strong": "account-password-policy",
    "guardduty_enabled": "guardduty",
    "securityhub_enabled": "securityhub",
    "rds_instance_deletion_protection": "db:fx-db",
    "rds_cluster_deletion_protection": "cluster:fx-cluster",
    "rds_snapshot_not_public": "snapshot:fx-snap",
    "ecr_repository_scan_on_push_enabled": "fx-repo",
    "sqs_queue_encrypted": "fx-queue",
    "sns_topic_encrypted_kms": "fx-topic",
    "dynamodb_table_point_in_time_recovery": "fx-table",
    "dynamodb_table_deletion_protection": "fx-table",
    "elbv2_deletion_protection_enabled": "fx-alb",
}


def _seed() -> dict[str, str]:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="fx-bucket")
    s3.create_bucket(Bucket="fx-trail")
    s3.put_public_access_block(
        Bucket="fx-trail",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sg = ec2.create_security_group(GroupName="fx-sg", Description="fx", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "anyone"}, {"CidrIp": "10.0.0.0/8"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            },
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ],
    )
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, MetadataOptions={"HttpTokens": "optional"})
    boto3.client("kms", region_name=REGION).create_key(Description="fx")
    boto3.client("cloudtrail", region_name=REGION).create_trail(Name="fx-trail", S3BucketName="fx-trail")
    boto3.client("iam").update_account_password_policy(MinimumPasswordLength=8, MaxPasswordAge=90)
    rds = boto3.client("rds", region_name=REGION)
    rds.create_db_instance(
        DBInstanceIdentifier="fx-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="fxadmin",
        MasterUserPassword="passw0rd!!",
        AllocatedStorage=20,
    )
    rds.create_db_snapshot(DBInstanceIdentifier="fx-db", DBSnapshotIdentifier="fx-snap")
    rds.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="fx-snap", AttributeName="restore", ValuesToAdd=["all", "111122223333"]
    )
    rds.create_db_cluster(
        DBClusterIdentifier="fx-cluster",
        Engine="aurora-postgresql",
        MasterUsername="fxadmin",
        MasterUserPassword="passw0rd!!",
    )
    boto3.client("ecr", region_name=REGION).create_repository(repositoryName="fx-repo")
    boto3.client("sqs", region_name=REGION).create_queue(
        QueueName="fx-queue", Attributes={"SqsManagedSseEnabled": "false"}
    )
    boto3.client("sns", region_name=REGION).create_topic(Name="fx-topic")
    boto3.client("dynamodb", region_name=REGION).create_table(
        TableName="fx-table",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in ((1, "a"), (2, "b"))
    ]
    boto3.client("elbv2", region_name=REGION).create_load_balancer(Name="fx-alb", Subnets=subnets)
    return {"sg": sg}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    return int(done.value.code or 0), capsys.readouterr().out


# a check with no fix that FAILs on a seeded bucket: its finding must survive the fix's re-check
UNFIXABLE = "s3_bucket_server_access_logging_enabled"


def _scan(capsys: pytest.CaptureFixture[str]) -> None:
    checks = ",".join([*SEEDED, UNFIXABLE])
    code, _ = _run(capsys, "posture", "--checks", checks, "--format", "json-ocsf", "-q")
    assert code in (0, 1)


def _open_fails() -> dict[str, set[str]]:
    """Open posture FAILs in the test's store: check id → resource uids."""
    from soryoku.core.finding import ResultStatus
    from soryoku.hub.store import open_store

    found: dict[str, set[str]] = {}
    with open_store(None) as store:
        for finding in store.current_findings(engine="posture"):
            if finding.status_code is ResultStatus.FAIL:
                found.setdefault(finding.check_id, set()).add(finding.resource_uid)
    return found


def test_every_fix_is_for_a_registered_check() -> None:
    FIXES.load()
    CHECKS.load()
    ids = {fix.id for fix in FIXES}
    assert len(ids) >= 15
    assert ids <= {check.id for check in CHECKS}


def test_dry_run_then_apply_rechecks_records_and_touches_nothing_else(
    aws: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seeded = _seed()
    _scan(capsys)
    before = _open_fails()
    assert set(SEEDED) | {UNFIXABLE} <= set(before)
    code, out = _run(capsys, "posture", "fix")
    assert code == 0
    for check_id, text in SEEDED.items():
        assert any(line.startswith(check_id) and text in line for line in out.splitlines()), check_id
    assert "s3.put_public_access_block(Bucket='fx-bucket'" in out
    assert "ec2.revoke_security_group_ingress" in out and "undo:" in out and "before:" in out
    assert "dry run:" in out
    ec2 = boto3.client("ec2", region_name=REGION)
    assert (
        len(ec2.describe_security_groups(GroupIds=[seeded["sg"]])["SecurityGroups"][0]["IpPermissions"]) == 2
    )
    assert not ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"]
    assert not (tmp_path / "fixes.jsonl").exists()

    code, out = _run(capsys, "posture", "fix", "--apply")
    rechecks = [line for line in out.splitlines() if "re-check:" in line]
    assert rechecks, out
    not_passing = [line for line in rechecks if not line.endswith("re-check: PASS")]
    assert not_passing == [], out
    assert code == 0, out

    # only the world-open admin rules went: 10.0.0.0/8 on 22 and 0.0.0.0/0 on 443 stay
    group = boto3.client("ec2", region_name=REGION).describe_security_groups(GroupIds=[seeded["sg"]])
    remaining = {
        (p["FromPort"], r["CidrIp"])
        for p in group["SecurityGroups"][0]["IpPermissions"]
        for r in p["IpRanges"]
    }
    ipv6 = [r for p in group["SecurityGroups"][0]["IpPermissions"] for r in p.get("Ipv6Ranges", [])]
    assert remaining == {(22, "10.0.0.0/8"), (443, "0.0.0.0/0")}
    assert ipv6 == []
    # the other bucket's settings were not rewritten, the named account share of the snapshot stays
    attrs = boto3.client("rds", region_name=REGION).describe_db_snapshot_attributes(
        DBSnapshotIdentifier="fx-snap"
    )
    restore = attrs["DBSnapshotAttributesResult"]["DBSnapshotAttributes"][0]["AttributeValues"]
    assert restore == ["111122223333"]
    policy = boto3.client("iam").get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 14 and policy["MaxPasswordAge"] == 90

    log = tmp_path / "fixes.jsonl"
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert {e["check"] for e in entries} <= set(SEEDED)
    assert all(e["outcome"] == "applied" and e["undo"] and e["principal"] for e in entries)
    assert sum(1 for e in entries if e["call"]["operation"] == "update_account_password_policy") == 1

    code, out = _run(capsys, "posture", "fix", "--history")
    assert code == 0
    assert "ec2.revoke_security_group_ingress" in out and "undo:" in out

    # the re-check was recorded as a partial run: every fixed finding is resolved in the store,
    # and the FAIL of a check the fix did not touch is still open
    after = _open_fails()
    assert not set(SEEDED) & set(after), after
    assert after[UNFIXABLE] == before[UNFIXABLE]
    code, out = _run(capsys, "findings", "runs")
    assert "partial (" in out, out
    code, out = _run(capsys, "posture", "fix")
    assert code == 0
    assert "no open FAIL finding has a fix" in out


def test_recorded_undo_calls_restore_the_previous_state(
    aws: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    boto3.client("s3", region_name=REGION).create_bucket(Bucket="fx-undo")
    boto3.client("kms", region_name=REGION).create_key(Description="fx")
    boto3.client("sqs", region_name=REGION).create_queue(
        QueueName="fx-undo", Attributes={"SqsManagedSseEnabled": "false"}
    )
    checks = "kms_cmk_rotation_enabled,s3_bucket_versioning_enabled,sqs_queue_encrypted"
    code, out = _run(capsys, "posture", "fix", "--scan", "--apply", "--checks", checks)
    assert code == 0, out
    entries = [json.loads(line) for line in (tmp_path / "fixes.jsonl").read_text().splitlines()]
    assert len(entries) == 3
    for entry in entries:
        undo = entry["undo"]
        getattr(boto3.client(undo["service"], region_name=undo["region"]), undo["operation"])(
            **undo["params"]
        )
    code, out = _run(capsys, "posture", "fix", "--scan", "--checks", checks)
    assert "dry run: 3 change(s)" in out, out


def test_unknown_check_is_bad_input(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["posture", "fix", "--checks", "iam_root_mfa_enabled"])
    assert done.value.code == 2
    assert "no fix for these check ids" in capsys.readouterr().err


def test_findings_of_another_account_are_not_touched(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    from soryoku.aws.clients import ClientFactory
    from soryoku.core.finding import Resource, ResultStatus, compliance_finding
    from soryoku.core.severity import Severity
    from soryoku.posture.fixes.runner import plan_fixes

    foreign = compliance_finding(
        check_id="ec2_ebs_default_encryption",
        title="EBS",
        status=ResultStatus.FAIL,
        severity=Severity.MEDIUM,
        resource=Resource(
            uid="arn:aws:ec2:us-east-1:999999999999:ebs-encryption-by-default", type="AwsAccount"
        ),
        standards=["fsbp"],
        region=REGION,
    )
    plans = plan_fixes([foreign], ClientFactory(boto3.Session(region_name=REGION), "123456789012"), REGION)
    assert plans[0].error and "999999999999" in plans[0].error and not plans[0].changes
