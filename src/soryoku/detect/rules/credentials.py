"""Credential access and misuse: stolen keys, instance credentials, root, MFA-less logins, secrets."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, api_sql, burst_sql, rule

# Distinct agents first: the pattern is tested once per agent, not once per record.
_OFFENSIVE = "kali|parrot|pentoo|pacu|cloudgoat|weirdaal"
_OFFENSIVE_AGENTS = (
    " WHERE user_agent IN (SELECT agent FROM (SELECT DISTINCT user_agent AS agent FROM cloudtrail) AS agents"
    + f" WHERE regexp_matches(lower(agent), '{_OFFENSIVE}'))"
)
_VALID = Attack("T1078.004", "Valid Accounts: Cloud Accounts", "TA0001")
_SECRETS = Attack("T1555.006", "Credentials from Password Stores: Cloud Secrets Management Stores", "TA0006")
_KEYS = Attack("T1098.001", "Account Manipulation: Additional Cloud Credentials", "TA0003")
_ROW = (
    "SELECT time, account, region, actor, source_ip, {resource} AS resource, event_id AS evidence, "
    "{detail} AS detail, NULL AS target FROM cloudtrail"
)
_USER_ARN = "'arn:aws:iam::' || account || ':user/' || json_extract_string(request_parameters, '$.userName')"

rule(
    id="iam_instance_credentials_used_outside_aws",
    title="EC2 instance credentials used from outside AWS",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=_ROW.format(resource="session_issuer_arn", detail="event_source || ':' || event_name")
    + " WHERE principal_type = 'AssumedRole' AND principal_arn LIKE '%/i-%'"
    " AND regexp_matches(principal_arn, ':assumed-role/[^/]+/i-[0-9a-f]+$')"
    " AND ip4(source_ip) IS NOT NULL AND NOT is_private(source_ip)"
    " AND NOT EXISTS (SELECT 1 FROM aws_ip r WHERE ip4(source_ip) BETWEEN r.lo AND r.hi)",
    rationale="Instance role credentials are meant to be used from the instance. A call signed with them "
    "from an address outside AWS means they were taken from the metadata service (SSRF, a compromised "
    "host) and are being used by someone else.",
    remediation="Revoke the role's active sessions (IAM console: Revoke active sessions), find how the "
    "credentials left the instance, and require IMDSv2 (HttpTokens=required).",
    attack=Attack("T1552.005", "Unsecured Credentials: Cloud Instance Metadata API", "TA0006"),
    guardduty="UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
    resource_type="AwsIamRole",
    requires=("ip_ranges",),
    category="credential-access",
    prefilter="principal_type = 'AssumedRole' AND principal_arn LIKE '%/i-%'",
)

rule(
    id="signin_console_login_without_mfa",
    title="Console login without MFA",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "signin.amazonaws.com",
        ("ConsoleLogin",),
        resource="principal_arn",
        where="principal_type IN ('IAMUser', 'Root') "
        "AND json_extract_string(additional_event_data, '$.MFAUsed') = 'No' "
        "AND json_extract_string(response_elements, '$.ConsoleLogin') = 'Success'",
    ),
    rationale="A password alone is one phished or reused credential away from an account takeover.",
    remediation="Enforce MFA for every console user (or move people to IAM Identity Center).",
    attack=_VALID,
    resource_type="AwsIamUser",
    category="initial-access",
)

rule(
    id="signin_console_login_failures",
    title="Burst of failed console logins from one address",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=burst_sql(
        "event_source = 'signin.amazonaws.com' AND event_name = 'ConsoleLogin' "
        "AND json_extract_string(response_elements, '$.ConsoleLogin') = 'Failure'",
        threshold=5,
        by="account, source_ip",
        names=("ConsoleLogin",),
        resource="principal_arn",
    ),
    rationale="Repeated failed logins from one address are password guessing or credential stuffing.",
    remediation="Block the address, check the targeted users for MFA, and reset passwords that may be known.",
    attack=Attack("T1110", "Brute Force", "TA0006"),
    resource_type="AwsIamUser",
    category="credential-access",
)

rule(
    id="iam_root_account_used",
    title="Root user used",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=_ROW.format(
        resource="'arn:aws:iam::' || account || ':root'", detail="event_source || ':' || event_name"
    )
    + " WHERE principal_type = 'Root' AND invoked_by IS NULL"
    " AND coalesce(event_type, '') <> 'AwsServiceEvent'",
    rationale="The root user cannot be limited by IAM policies; everyday use of it is rare and its use "
    "by someone else is a full account compromise.",
    remediation="Confirm who used root and why; keep root without access keys, with hardware MFA, and "
    "use it only for the tasks that require it.",
    attack=_VALID,
    guardduty="Policy:IAMUser/RootCredentialUsage",
    resource_type="AwsAccount",
    category="privilege-escalation",
    prefilter="principal_type = 'Root'",
)

rule(
    id="iam_root_access_key_created",
    title="Access key created for the root user",
    severity=Severity.CRITICAL,
    source="cloudtrail",
    sql=api_sql(
        "iam.amazonaws.com",
        ("CreateAccessKey",),
        resource="'arn:aws:iam::' || account || ':root'",
        where="principal_type = 'Root' AND json_extract_string(request_parameters, '$.userName') IS NULL",
    ),
    rationale="A root access key is an unrestricted, long-lived credential for the whole account.",
    remediation="Delete the key immediately (`aws iam delete-access-key` as root) and investigate.",
    attack=_KEYS,
    resource_type="AwsAccount",
    category="persistence",
)

rule(
    id="iam_access_key_created_for_another_user",
    title="Access key created for another user",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "iam.amazonaws.com",
        ("CreateAccessKey",),
        resource=_USER_ARN,
        where="json_extract_string(request_parameters, '$.userName') IS NOT NULL "
        "AND json_extract_string(request_parameters, '$.userName') IS DISTINCT FROM user_name",
    ),
    rationale="Creating keys for someone else is how an intruder gets a second, durable foothold that "
    "survives the revocation of the first credential.",
    remediation="Confirm with the user's owner; delete unknown keys and review the creator's activity.",
    attack=_KEYS,
    guardduty="Persistence:IAMUser/AnomalousBehavior",
    resource_type="AwsIamUser",
    category="persistence",
)

rule(
    id="secretsmanager_secret_read_burst",
    title="Many different secrets read by one principal",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=burst_sql(
        "error_code IS NULL AND event_source = 'secretsmanager.amazonaws.com' "
        "AND event_name IN ('GetSecretValue', 'BatchGetSecretValue')",
        threshold=10,
        names=("GetSecretValue", "BatchGetSecretValue"),
        distinct="json_extract_string(request_parameters, '$.secretId')",
        resource="json_extract_string(request_parameters, '$.secretId')",
    ),
    rationale="Applications read the few secrets they need; one principal reading ten or more different "
    "secrets in an hour is harvesting credentials.",
    remediation="Rotate the secrets read, review the principal's permissions (secretsmanager:GetSecretValue "
    "on `*`) and its other activity.",
    attack=_SECRETS,
    guardduty="CredentialAccess:IAMUser/AnomalousBehavior",
    resource_type="AwsSecretsManagerSecret",
    category="credential-access",
)

rule(
    id="ssm_parameter_decryption_burst",
    title="Many SecureString parameters decrypted by one principal",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=burst_sql(
        "error_code IS NULL AND event_source = 'ssm.amazonaws.com' "
        "AND event_name IN ('GetParameter', 'GetParameters', 'GetParametersByPath') "
        "AND json_extract_string(request_parameters, '$.withDecryption') = 'true'",
        threshold=10,
        names=("GetParameter", "GetParameters", "GetParametersByPath"),
        distinct="coalesce(json_extract_string(request_parameters, '$.name'), "
        "json_extract_string(request_parameters, '$.path'), request_parameters)",
        resource="coalesce(json_extract_string(request_parameters, '$.name'), "
        "json_extract_string(request_parameters, '$.path'))",
    ),
    rationale="Decrypting many different SecureString parameters in an hour is credential harvesting.",
    remediation="Rotate the values read and narrow ssm:GetParameter*/kms:Decrypt for the principal.",
    attack=_SECRETS,
    guardduty="CredentialAccess:IAMUser/AnomalousBehavior",
    resource_type="AwsSsmParameter",
    category="credential-access",
)

rule(
    id="ec2_password_data_retrieved",
    title="Windows administrator password data retrieved",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=api_sql(
        "ec2.amazonaws.com",
        ("GetPasswordData",),
        resource="json_extract_string(request_parameters, '$.instanceId')",
    ),
    rationale="GetPasswordData returns the encrypted local administrator password of a Windows instance.",
    remediation="Confirm the caller administers that instance; prefer SSM Session Manager.",
    attack=Attack("T1552", "Unsecured Credentials", "TA0006"),
    resource_type="AwsEc2Instance",
    category="credential-access",
)

rule(
    id="cloudtrail_offensive_tool_user_agent",
    title="API calls from a penetration-testing distribution or attack tool",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=_ROW.format(resource="principal_arn", detail="user_agent") + _OFFENSIVE_AGENTS,
    rationale="The user agent names Kali/Parrot/Pentoo Linux or an AWS attack framework (Pacu): unusual "
    "for production automation, common for intruders with stolen keys.",
    remediation="Confirm an authorised test is running; otherwise revoke the credentials used.",
    attack=_VALID,
    guardduty="PenTest:IAMUser/KaliLinux",
    resource_type="AwsIamPrincipal",
    category="initial-access",
    prefilter=f"regexp_matches(lower(user_agent), '{_OFFENSIVE}')",
)

rule(
    id="cloudtrail_api_from_threat_list_ip",
    title="API call from an address on a threat list",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=_ROW.format(resource="principal_arn", detail="event_source || ':' || event_name")
    + " WHERE in_intel(source_ip, 'threat')",
    rationale="The caller's address is on a threat list you loaded (--intel): known-bad infrastructure "
    "is using your credentials.",
    remediation="Revoke the credentials used, block the address, and review all activity of the principal.",
    attack=_VALID,
    guardduty="UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom",
    resource_type="AwsIamPrincipal",
    requires=("threat_list",),
    category="initial-access",
)

rule(
    id="cloudtrail_api_from_tor",
    title="API call from a Tor exit node",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=_ROW.format(resource="principal_arn", detail="event_source || ':' || event_name")
    + " WHERE in_intel(source_ip, 'tor')",
    rationale="Tor hides the caller's origin; production access to AWS does not come through Tor.",
    remediation="Revoke the credentials used and add an aws:SourceIp/VPC condition to sensitive policies.",
    attack=Attack("T1090.003", "Proxy: Multi-hop Proxy", "TA0011"),
    guardduty="UnauthorizedAccess:IAMUser/TorIPCaller",
    resource_type="AwsIamPrincipal",
    requires=("tor_list",),
    category="initial-access",
)
