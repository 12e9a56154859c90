"""A fixed report covering every finding class, verdict, workflow state and gaps (for goldens)."""

from __future__ import annotations

import pytest

from soryoku.core.finding import (
    AffectedPackage,
    Cve,
    Evidence,
    Finding,
    Resource,
    ResultStatus,
    Vulnerability,
    WorkflowStatus,
    compliance_finding,
    detection_finding,
    vulnerability_finding,
)
from soryoku.core.result import Gap
from soryoku.core.severity import Severity
from soryoku.output.base import Report

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
ACCOUNT = "123456789012"
CIS = "CIS-AWS-3.0"
FSBP = "AWS-FSBP"
S3_REF = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"
LONG_DESC = "OpenSSL mishandles a crafted certificate chain. " * 40


def _s3(status: ResultStatus, bucket: str) -> Finding:
    return compliance_finding(
        check_id="s3_bucket_public_access",
        title="S3 bucket is not publicly accessible",
        status=status,
        severity=Severity.HIGH,
        resource=Resource(
            uid=f"arn:aws:s3:::{bucket}", type="AWS::S3::Bucket", name=bucket, region="us-east-1"
        ),
        standards=[CIS, FSBP],
        requirements=[f"{CIS}/2.1.4", f"{FSBP}:S3.8"],
        message=f"Bucket {bucket} "
        + ("allows public reads via its ACL" if status is ResultStatus.FAIL else "blocks public access"),
        desc="A public bucket exposes every object to anyone on the internet.",
        remediation="Turn on S3 Block Public Access for the bucket and the account.",
        references=[S3_REF],
        account_id=ACCOUNT,
        time=T0,
    )


def sample_findings() -> list[Finding]:
    """Findings of all three classes, PASS/FAIL/NOT_EVALUATED, suppressed, resolved, hostile text."""
    ssh = compliance_finding(
        check_id="ec2_securitygroup_open_ssh",
        title="Security group allows SSH from the internet",
        status=ResultStatus.FAIL,
        severity=Severity.CRITICAL,
        resource=Resource(
            uid=f"arn:aws:ec2:eu-west-1:{ACCOUNT}:security-group/sg-0123456789abcdef0",
            type="AWS::EC2::SecurityGroup",
            name="web-sg",
            region="eu-west-1",
        ),
        standards=[CIS, FSBP],
        requirements=[f"{CIS}/5.2", f"{FSBP}/EC2.13"],
        message="sg-0123456789abcdef0 allows 0.0.0.0/0 on port 22",
        desc="SSH open to the world invites brute force and exploitation of the SSH daemon.",
        remediation="Remove the 0.0.0.0/0 and ::/0 rules for port 22; use SSM Session Manager.",
        references=["https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13"],
        account_id=ACCOUNT,
        time=T0,
    )
    guardduty = compliance_finding(
        check_id="guardduty_enabled",
        title="GuardDuty is enabled in the region",
        status=ResultStatus.NOT_EVALUATED,
        severity=Severity.MEDIUM,
        resource=Resource(
            uid=f"arn:aws:guardduty:ap-south-1:{ACCOUNT}:detector",
            type="AwsGuardDutyDetector",
            region="ap-south-1",
        ),
        standards=[FSBP],
        requirements=["GuardDuty.1"],
        message="AccessDenied: guardduty:ListDetectors",
        remediation="Enable GuardDuty in every enabled region.",
        account_id=ACCOUNT,
        time=T0,
    )
    mfa = compliance_finding(
        check_id="iam_user_console_mfa",
        title="IAM user with console access has MFA",
        status=ResultStatus.FAIL,
        severity=Severity.MEDIUM,
        resource=Resource(
            uid=f"arn:aws:iam::{ACCOUNT}:user/break-glass", type="AWS::IAM::User", name="break-glass"
        ),
        standards=[CIS],
        requirements=[f"{CIS}/1.10"],
        message="break-glass has a console password and no MFA device",
        desc="Without MFA a leaked password is enough to sign in.",
        remediation="Assign an MFA device to the user.",
        account_id=ACCOUNT,
        time=T0,
        unmapped={"suppression": {"reason": "break-glass account, reviewed 2026-10", "rule": "mutelist#1"}},
    )
    mfa.status_id = WorkflowStatus.SUPPRESSED
    hostile = compliance_finding(
        check_id="custom_tag_policy",
        title="Bucket tag <script>alert('x')</script> & \"quotes\"",
        status=ResultStatus.FAIL,
        severity=Severity.LOW,
        resource=Resource(
            uid="arn:aws:s3:::<img src=x onerror=alert(1)>", type="AWS::S3::Bucket", region="us-east-1"
        ),
        standards=["Custom <b>policy</b>"],
        message="tag value <script>alert(2)</script>",
        desc="A rationale with <em>markup</em> that must be shown as text.",
        remediation="Fix the tag.",
        references=["javascript:alert(3)", "https://example.org/policy?a=1&b=2"],
        account_id=ACCOUNT,
        time=T0,
    )
    resolved = compliance_finding(
        check_id="ebs_default_encryption",
        title="EBS default encryption is enabled",
        status=ResultStatus.FAIL,
        severity=Severity.MEDIUM,
        resource=Resource(
            uid=f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume-encryption", type="AwsAccount", region="us-east-1"
        ),
        standards=[FSBP],
        requirements=["EC2.7"],
        remediation="Enable EBS encryption by default in each region.",
        account_id=ACCOUNT,
        time=T0,
    )
    resolved.status_id = WorkflowStatus.RESOLVED
    login = detection_finding(
        rule_id="console_login_without_mfa",
        title="Console sign-in without MFA",
        severity=Severity.HIGH,
        evidence_key="ev-7f3a",
        engine="detect",
        resources=[Resource(uid=f"arn:aws:iam::{ACCOUNT}:user/admin", type="AWS::IAM::User", name="admin")],
        message="admin signed in to the console from 203.0.113.7 without MFA",
        desc="A console sign-in without MFA from a new country is a classic account takeover sign.",
        evidences=[
            Evidence(
                data={"eventID": "ev-7f3a", "eventName": "ConsoleLogin"}, src_endpoint={"ip": "203.0.113.7"}
            )
        ],
        remediation="Confirm the sign-in with the user; require MFA for console access.",
        attacks=[
            {
                "tactic": {"uid": "TA0001", "name": "Initial Access"},
                "technique": {"uid": "T1078", "name": "Valid Accounts"},
            }
        ],
        account_id=ACCOUNT,
        region="us-east-1",
        time=T0,
        first_seen_time=T0 - 3_600_000,
        last_seen_time=T0,
    )
    malware = detection_finding(
        rule_id="yara:EICAR_Test_File",
        title="Malware in S3 object: EICAR-Test-File",
        severity=Severity.CRITICAL,
        evidence_key="s3://web-assets/js/app.js",
        engine="content",
        resources=[Resource(uid="arn:aws:s3:::web-assets/js/app.js", type="AwsS3Object", region="us-east-1")],
        evidences=[Evidence(file={"path": "s3://web-assets/js/app.js", "name": "app.js"})],
        malware=[{"name": "EICAR-Test-File", "classification_ids": [99]}],
        remediation="Quarantine the object and find how it was uploaded.",
        account_id=ACCOUNT,
        region="us-east-1",
        time=T0,
    )
    package = AffectedPackage(
        name="openssl",
        version="3.0.2-0ubuntu1.10",
        fixed_in_version="3.0.2-0ubuntu1.12",
        path="/var/lib/dpkg/status",
        package_manager="dpkg",
        purl="pkg:deb/ubuntu/openssl@3.0.2",
    )
    vuln = vulnerability_finding(
        advisory_id="CVE-2023-0286",
        title="CVE-2023-0286: openssl X.400 address type confusion",
        severity=Severity.HIGH,
        package=package,
        location="/var/lib/dpkg/status",
        vulnerability=Vulnerability(
            title="X.400 address type confusion in X.509 GeneralName",
            desc=LONG_DESC,
            cve=Cve(uid="CVE-2023-0286", cvss=[{"version": "3.1", "base_score": 7.4}]),
            affected_packages=[package],
            references=["https://www.openssl.org/news/secadv/20230207.txt"],
            fix_available=True,
        ),
        time=T0,
    )
    shield = detection_finding(
        rule_id="shield_sqli_blocked",
        title="SQL injection attempt blocked",
        severity=Severity.LOW,
        evidence_key="req-1",
        engine="shield",
        message="UNION SELECT in parameter q on /search",
        time=T0,
    )
    return [
        _s3(ResultStatus.FAIL, "web-assets"),
        _s3(ResultStatus.PASS, "private-logs"),
        ssh,
        guardduty,
        mfa,
        hostile,
        resolved,
        login,
        malware,
        vuln,
        shield,
    ]


def sample_gaps() -> list[Gap]:
    """One posture gap with named checks, one content gap without."""
    return [
        Gap(
            "posture",
            f"{ACCOUNT}/ap-south-1/guardduty",
            "AccessDenied: guardduty:ListDetectors",
            ("guardduty_enabled",),
        ),
        Gap("content", "s3://web-assets/archive.zip", "encrypted archive <password required>"),
    ]


def sample_report() -> Report:
    """The fixed report every golden file is written from."""
    return Report(
        findings=sample_findings(),
        gaps=sample_gaps(),
        title="soryoku report — demo account",
        scope=f"{ACCOUNT}/us-east-1, {ACCOUNT}/eu-west-1",
        generated_ms=T0 + 60_000,
        run_ids=["run-0001"],
        diff_new=3,
        diff_resolved=1,
    )


@pytest.fixture
def report() -> Report:
    """A fresh copy of the fixed sample report."""
    return sample_report()
