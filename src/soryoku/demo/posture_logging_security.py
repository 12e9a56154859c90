"""The demo story's logging and security-services layer: FAIL/PASS twins across the two regions.

The base story has no CloudTrail at all, so every check that needs a trail fails at the account
(CIS 3.8/3.9 data events, and CIS 4.1–4.15: with no trail feeding CloudWatch Logs there is nothing
for a metric filter to watch); no trail is added. Around that: AWS Config records everything in
us-west-2 but not in us-east-1; Inspector scans every resource type in us-east-1 only; Macie is on
in us-east-1 and off in us-west-2; the story's GuardDuty detector in us-west-2 runs S3 Protection
but none of the EKS, runtime, EC2 malware, Lambda and RDS plans; ACM holds a current RSA-2048 certificate
next to a legacy RSA-1024 one that expires in ten days; nobody registered a security contact; and
the account stands alone, outside any AWS Organizations organization.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from soryoku.demo.scenario import PRIMARY_REGION, SECOND_REGION, DemoEstate

CONFIG_ROLE = "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
# The recorder in us-west-2 delivers to the story's customer-data bucket rather than a log bucket of
# its own, so that no extra bucket (with its own S3 findings) joins the story.
CONFIG_DELIVERY_BUCKET = "soryoku-demo-customer-data"
GOOD_CERT = "shop.soryoku-demo.example"
LEGACY_CERT = "legacy.soryoku-demo.example"
TRAILS = ":trails"  # the account-level CloudTrail resource the trail-dependent checks judge

_NEEDS_A_TRAIL = (
    "cloudtrail_s3_object_write_events_logged",
    "cloudtrail_s3_object_read_events_logged",
    "cloudwatch_alarm_unauthorized_api_calls",
    "cloudwatch_alarm_console_signin_without_mfa",
    "cloudwatch_alarm_root_usage",
    "cloudwatch_alarm_iam_policy_changes",
    "cloudwatch_alarm_cloudtrail_changes",
    "cloudwatch_alarm_console_authentication_failures",
    "cloudwatch_alarm_cmk_disable_or_deletion",
    "cloudwatch_alarm_s3_bucket_policy_changes",
    "cloudwatch_alarm_config_changes",
    "cloudwatch_alarm_security_group_changes",
    "cloudwatch_alarm_nacl_changes",
    "cloudwatch_alarm_network_gateway_changes",
    "cloudwatch_alarm_route_table_changes",
    "cloudwatch_alarm_vpc_changes",
    "cloudwatch_alarm_organizations_changes",
)
_INSPECTOR = (
    "inspector_ec2_scanning_enabled",
    "inspector_ecr_scanning_enabled",
    "inspector_lambda_code_scanning_enabled",
    "inspector_lambda_standard_scanning_enabled",
)
_GUARDDUTY_PLANS_OFF = (
    "guardduty_eks_audit_log_monitoring_enabled",
    "guardduty_ec2_malware_protection_enabled",
    "guardduty_eks_runtime_monitoring_enabled",
    "guardduty_runtime_monitoring_enabled",
    "guardduty_ecs_runtime_monitoring_enabled",
    "guardduty_ec2_runtime_monitoring_enabled",
    "guardduty_lambda_protection_enabled",
    "guardduty_rds_protection_enabled",
)
_CONFIG = ("config_recorder_enabled_service_linked_role", "config_recorder_all_resources_in_region")


def _where(service: str, region: str, resource: str) -> str:
    return f"{service}:{region}:123456789012:{resource}"


EXPECTED_FAILS: set[tuple[str, str]] = {
    *((check, TRAILS) for check in _NEEDS_A_TRAIL),
    *((check, _where("config", PRIMARY_REGION, "configuration-recorders")) for check in _CONFIG),
    *((check, _where("inspector2", SECOND_REGION, "account-status")) for check in _INSPECTOR),
    ("macie_enabled", _where("macie2", SECOND_REGION, "session")),
    *((check, _where("guardduty", SECOND_REGION, "detector")) for check in _GUARDDUTY_PLANS_OFF),
    ("acm_certificate_expiration_check", LEGACY_CERT),
    ("acm_certificate_rsa_key_length", LEGACY_CERT),
    ("account_security_contact_registered", "alternate-contact/security"),
    ("organizations_account_part_of_organization", ":membership"),
}

EXPECTED_PASSES: set[tuple[str, str]] = {
    *((check, _where("config", SECOND_REGION, "configuration-recorders")) for check in _CONFIG),
    *((check, _where("inspector2", PRIMARY_REGION, "account-status")) for check in _INSPECTOR),
    ("macie_enabled", _where("macie2", PRIMARY_REGION, "session")),
    ("guardduty_s3_protection_enabled", _where("guardduty", SECOND_REGION, "detector")),
    ("acm_certificate_expiration_check", GOOD_CERT),
    ("acm_certificate_rsa_key_length", GOOD_CERT),
}


def _self_signed(domain: str, bits: int, days: int) -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=355))
        .not_valid_after(now + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return certificate.public_bytes(serialization.Encoding.PEM), pem_key


def _client(service: str, region: str = PRIMARY_REGION) -> Any:
    return boto3.client(service, region_name=region)


def seed(estate: DemoEstate) -> None:
    """Seed the twins described in the module docstring."""
    config = _client("config", SECOND_REGION)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": f"arn:aws:iam::{estate.account_id}:role/{CONFIG_ROLE}",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": CONFIG_DELIVERY_BUCKET})
    config.start_configuration_recorder(ConfigurationRecorderName="default")

    _client("inspector2").enable(
        accountIds=[estate.account_id], resourceTypes=["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"]
    )
    _client("macie2", SECOND_REGION).disable_macie()
    guardduty = _client("guardduty", SECOND_REGION)
    for detector_id in guardduty.list_detectors()["DetectorIds"]:
        guardduty.update_detector(
            DetectorId=detector_id,
            Features=[
                {"Name": "S3_DATA_EVENTS", "Status": "ENABLED"},
                {"Name": "EKS_AUDIT_LOGS", "Status": "DISABLED"},
            ],
        )

    acm = _client("acm")
    for domain, bits, days in ((GOOD_CERT, 2048, 300), (LEGACY_CERT, 1024, 10)):
        certificate, key = _self_signed(domain, bits, days)
        estate.resources[f"certificate:{domain}"] = acm.import_certificate(
            Certificate=certificate, PrivateKey=key
        )["CertificateArn"]


__all__ = ["EXPECTED_FAILS", "EXPECTED_PASSES", "seed"]
