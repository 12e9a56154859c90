"""Defense evasion: logging, monitoring and guard rails switched off or weakened."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, api_sql, rule

_CLOUD_LOGS = Attack("T1562.008", "Impair Defenses: Disable or Modify Cloud Logs", "TA0005")
_TOOLS = Attack("T1562.001", "Impair Defenses: Disable or Modify Tools", "TA0005")
_FIREWALL = Attack("T1562.007", "Impair Defenses: Disable or Modify Cloud Firewall", "TA0005")
_TRAIL = "json_extract_string(request_parameters, '$.name')"

rule(
    id="cloudtrail_logging_stopped",
    title="CloudTrail logging stopped",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql("cloudtrail.amazonaws.com", ("StopLogging",), resource=_TRAIL),
    rationale="Stopping a trail blinds every detection that reads it; attackers do it right after gaining "
    "access so that what follows leaves no record.",
    remediation="Restart logging (`aws cloudtrail start-logging --name TRAIL`), find out who stopped it and "
    "why, and deny cloudtrail:StopLogging with an SCP outside a break-glass role.",
    attack=_CLOUD_LOGS,
    guardduty="Stealth:IAMUser/CloudTrailLoggingDisabled",
    resource_type="AwsCloudTrailTrail",
    category="defense-evasion",
)

rule(
    id="cloudtrail_trail_deleted",
    title="CloudTrail trail deleted",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql("cloudtrail.amazonaws.com", ("DeleteTrail",), resource=_TRAIL),
    rationale="Deleting a trail ends the audit record of the account (or the organization).",
    remediation="Recreate the trail from infrastructure code, investigate the actor, and protect trails "
    "with an SCP denying cloudtrail:DeleteTrail.",
    attack=_CLOUD_LOGS,
    guardduty="Stealth:IAMUser/CloudTrailLoggingDisabled",
    resource_type="AwsCloudTrailTrail",
    category="defense-evasion",
)

rule(
    id="cloudtrail_trail_weakened",
    title="CloudTrail trail changed to log less",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "cloudtrail.amazonaws.com",
        ("UpdateTrail", "PutEventSelectors"),
        resource=_TRAIL + " || coalesce(json_extract_string(request_parameters, '$.trailName'), '')",
        where="json_extract_string(request_parameters, '$.isMultiRegionTrail') = 'false' "
        "OR json_extract_string(request_parameters, '$.includeGlobalServiceEvents') = 'false' "
        "OR json_extract_string(request_parameters, '$.enableLogFileValidation') = 'false' "
        "OR list_contains(json_extract_string(request_parameters, "
        "'$.eventSelectors[*].includeManagementEvents'), 'false') "
        "OR list_contains(json_extract_string(request_parameters, '$.eventSelectors[*].readWriteType'), "
        "'ReadOnly')",
        detail="event_name || ' ' || request_parameters",
    ),
    rationale="A trail that stops covering other regions, global services or management events, or loses "
    "log-file validation, keeps running while no longer recording what an attacker does.",
    remediation="Restore multi-region logging of all management events with validation, and alert on "
    "cloudtrail:UpdateTrail/PutEventSelectors outside change windows.",
    attack=_CLOUD_LOGS,
    guardduty="Stealth:IAMUser/CloudTrailLoggingDisabled",
    resource_type="AwsCloudTrailTrail",
    category="defense-evasion",
)

rule(
    id="guardduty_detector_deleted",
    title="GuardDuty detector deleted",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql(
        "guardduty.amazonaws.com",
        ("DeleteDetector",),
        resource="json_extract_string(request_parameters, '$.detectorId')",
    ),
    rationale="Deleting the detector switches off managed threat detection in that region.",
    remediation="Re-enable GuardDuty (delegated administrator with auto-enable for the organization) and "
    "deny guardduty:DeleteDetector with an SCP.",
    attack=_TOOLS,
    resource_type="AwsGuardDutyDetector",
    category="defense-evasion",
)

rule(
    id="guardduty_detector_disabled",
    title="GuardDuty detector disabled",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql(
        "guardduty.amazonaws.com",
        ("UpdateDetector",),
        resource="json_extract_string(request_parameters, '$.detectorId')",
        where="json_extract_string(request_parameters, '$.enable') = 'false'",
    ),
    rationale="A suspended detector keeps existing but produces no findings.",
    remediation="Re-enable the detector and deny guardduty:UpdateDetector outside the security account.",
    attack=_TOOLS,
    resource_type="AwsGuardDutyDetector",
    category="defense-evasion",
)

rule(
    id="guardduty_findings_auto_archived",
    title="GuardDuty filter created that archives findings automatically",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "guardduty.amazonaws.com",
        ("CreateFilter", "UpdateFilter"),
        resource="json_extract_string(request_parameters, '$.name')",
        where="json_extract_string(request_parameters, '$.action') = 'ARCHIVE'",
    ),
    rationale="An auto-archive filter hides matching findings from everyone watching the console or "
    "Security Hub; broad filters are a quiet way to disable detection.",
    remediation="Review the filter's criteria; keep suppression rules narrow and owned by the security team.",
    attack=_TOOLS,
    resource_type="AwsGuardDutyDetector",
    category="defense-evasion",
)

rule(
    id="guardduty_trusted_ip_list_changed",
    title="GuardDuty trusted IP list created or changed",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "guardduty.amazonaws.com",
        ("CreateIPSet", "UpdateIPSet"),
        resource="json_extract_string(request_parameters, '$.name')",
    ),
    rationale="GuardDuty raises no findings for addresses on a trusted IP list: adding the attacker's "
    "address silences it.",
    remediation="Verify every entry of the list and who changed it; restrict "
    "guardduty:CreateIPSet/UpdateIPSet.",
    attack=_TOOLS,
    resource_type="AwsGuardDutyDetector",
    category="defense-evasion",
)

rule(
    id="securityhub_disabled",
    title="Security Hub disabled or standards switched off",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql(
        "securityhub.amazonaws.com",
        ("DisableSecurityHub", "BatchDisableStandards", "DisableImportFindingsForProduct"),
    ),
    rationale="Disabling Security Hub or its standards removes the aggregated view of findings and "
    "posture controls.",
    remediation="Re-enable Security Hub and the standards from the delegated administrator; deny these "
    "actions with an SCP.",
    attack=_TOOLS,
    resource_type="AwsSecurityHubHub",
    category="defense-evasion",
)

rule(
    id="config_recording_stopped",
    title="AWS Config recording stopped or deleted",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql(
        "config.amazonaws.com",
        ("StopConfigurationRecorder", "DeleteConfigurationRecorder", "DeleteDeliveryChannel"),
        resource="coalesce(json_extract_string(request_parameters, '$.configurationRecorderName'), "
        "json_extract_string(request_parameters, '$.deliveryChannelName'))",
    ),
    rationale="Without the recorder, configuration changes (and their history) are no longer captured.",
    remediation="Restart the recorder (`aws configservice start-configuration-recorder`) and deny these "
    "actions with an SCP.",
    attack=_TOOLS,
    resource_type="AwsConfigConfigurationRecorder",
    category="defense-evasion",
)

rule(
    id="vpc_flow_logs_deleted",
    title="VPC flow logs deleted",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql("ec2.amazonaws.com", ("DeleteFlowLogs",), detail="request_parameters"),
    rationale="Deleting flow logs hides network activity (mining, exfiltration, scans) from review.",
    remediation="Recreate the flow logs and deny ec2:DeleteFlowLogs outside network administrators.",
    attack=_CLOUD_LOGS,
    resource_type="AwsEc2Vpc",
    category="defense-evasion",
)

rule(
    id="dns_query_logging_removed",
    title="Route 53 Resolver query logging removed",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "route53resolver.amazonaws.com",
        ("DeleteResolverQueryLogConfig", "DisassociateResolverQueryLogConfig"),
        resource="coalesce(json_extract_string(request_parameters, '$.resolverQueryLogConfigId'), "
        "json_extract_string(request_parameters, '$.resourceId'))",
    ),
    rationale="Removing Resolver query logging hides DNS lookups to mining pools and command servers.",
    remediation="Re-associate the query log configuration with every VPC.",
    attack=_CLOUD_LOGS,
    resource_type="AwsRoute53ResolverQueryLogConfig",
    category="defense-evasion",
)

rule(
    id="cloudwatch_log_group_deleted",
    title="CloudWatch Logs log group or stream deleted",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=api_sql(
        "logs.amazonaws.com",
        ("DeleteLogGroup", "DeleteLogStream"),
        resource="json_extract_string(request_parameters, '$.logGroupName')",
    ),
    rationale="Deleting log groups destroys evidence (application, VPC, Lambda and audit logs).",
    remediation="Confirm the deletion was planned; protect audit log groups with deny policies.",
    attack=Attack("T1070", "Indicator Removal", "TA0005"),
    resource_type="AwsLogsLogGroup",
    category="defense-evasion",
)

rule(
    id="s3_server_access_logging_disabled",
    title="S3 server access logging disabled on a bucket",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=api_sql(
        "s3.amazonaws.com",
        ("PutBucketLogging",),
        resource="json_extract_string(request_parameters, '$.bucketName')",
        where="json_extract(request_parameters, '$.BucketLoggingStatus.LoggingEnabled') IS NULL",
    ),
    rationale="Turning off access logging hides who reads and writes the bucket's objects.",
    remediation="Re-enable server access logging (or CloudTrail data events) for the bucket.",
    attack=_CLOUD_LOGS,
    guardduty="Stealth:S3/ServerAccessLoggingDisabled",
    resource_type="AwsS3Bucket",
    category="defense-evasion",
)

rule(
    id="organizations_account_left",
    title="Account left the AWS Organization",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql("organizations.amazonaws.com", ("LeaveOrganization", "RemoveAccountFromOrganization")),
    rationale="An account leaving the organization escapes its SCPs, organization trail and delegated "
    "security services.",
    remediation="Deny organizations:LeaveOrganization with an SCP; bring the account back under management.",
    attack=_TOOLS,
    resource_type="AwsAccount",
    category="defense-evasion",
)

rule(
    id="ec2_security_group_opened_to_internet",
    title="Security group opened to the whole internet",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "ec2.amazonaws.com",
        ("AuthorizeSecurityGroupIngress",),
        resource="json_extract_string(request_parameters, '$.groupId')",
        where='request_parameters LIKE \'%"cidrIp":"0.0.0.0/0"%\' '
        'OR request_parameters LIKE \'%"cidrIpv6":"::/0"%\'',
        detail="request_parameters",
    ),
    rationale="Ingress from 0.0.0.0/0 or ::/0 exposes the instances behind the group to scanning and "
    "brute force; attackers open it to reach a foothold.",
    remediation="Remove the rule; reach instances through SSM Session Manager or a narrow CIDR.",
    attack=_FIREWALL,
    resource_type="AwsEc2SecurityGroup",
    category="defense-evasion",
)

rule(
    id="iam_password_policy_weakened",
    title="Account password policy deleted or weakened",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "iam.amazonaws.com",
        ("DeleteAccountPasswordPolicy", "UpdateAccountPasswordPolicy"),
        where="event_name = 'DeleteAccountPasswordPolicy' "
        "OR TRY_CAST(json_extract_string(request_parameters, '$.minimumPasswordLength') AS INTEGER) < 14 "
        "OR json_extract_string(request_parameters, '$.requireSymbols') = 'false' "
        "OR json_extract_string(request_parameters, '$.requireNumbers') = 'false'",
        detail="event_name || ' ' || request_parameters",
    ),
    rationale="A weaker password policy makes console credentials easier to guess or reuse.",
    remediation="Restore a policy with at least 14 characters, symbols and numbers (CIS AWS 1.8).",
    attack=Attack("T1556", "Modify Authentication Process", "TA0006"),
    guardduty="Stealth:IAMUser/PasswordPolicyChange",
    resource_type="AwsAccount",
    category="credential-access",
)

rule(
    id="iam_mfa_device_deactivated",
    title="MFA device deactivated or deleted",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "iam.amazonaws.com",
        ("DeactivateMFADevice", "DeleteVirtualMFADevice"),
        resource="coalesce(json_extract_string(request_parameters, '$.userName'), "
        "json_extract_string(request_parameters, '$.serialNumber'))",
    ),
    rationale="Removing MFA from a user leaves only the password (or stolen keys) between an attacker "
    "and the account.",
    remediation="Re-enrol MFA for the user; require MFA in policies for sensitive actions.",
    attack=Attack("T1556.006", "Modify Authentication Process: Multi-Factor Authentication", "TA0006"),
    resource_type="AwsIamUser",
    category="credential-access",
)
