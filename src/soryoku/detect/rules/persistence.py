"""Persistence and privilege escalation: admin grants, new logins, trust and resource policies opened."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, api_sql, rule

_ROLES = Attack("T1098.003", "Account Manipulation: Additional Cloud Roles", "TA0003")
_PUBLIC_PRINCIPAL = r"""'"Principal"\s*:\s*("\*"|\{\s*"AWS"\s*:\s*(\[[^\]]*)?"\*")'"""
_USER_ARN = "'arn:aws:iam::' || account || ':user/' || json_extract_string(request_parameters, '$.userName')"
_FUNCTION = "json_extract_string(request_parameters, '$.functionName')"
_ADMIN_DOCUMENT = r"""'"Action"\s*:\s*(\[\s*)?"\*"'"""

rule(
    id="iam_admin_policy_granted",
    title="Administrator access granted to a user, group or role",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql(
        "iam.amazonaws.com",
        (
            "AttachUserPolicy",
            "AttachRolePolicy",
            "AttachGroupPolicy",
            "PutUserPolicy",
            "PutRolePolicy",
            "PutGroupPolicy",
        ),
        resource="coalesce(json_extract_string(request_parameters, '$.userName'), "
        "json_extract_string(request_parameters, '$.roleName'), "
        "json_extract_string(request_parameters, '$.groupName'))",
        where="json_extract_string(request_parameters, '$.policyArn') LIKE '%:policy/AdministratorAccess' "
        f"OR regexp_matches(coalesce(json_extract_string(request_parameters, '$.policyDocument'), ''), "
        f"{_ADMIN_DOCUMENT})",
        detail="event_name || ' ' || coalesce(json_extract_string(request_parameters, '$.policyArn'), "
        "json_extract_string(request_parameters, '$.policyName'))",
    ),
    rationale="Granting `*` on `*` (AdministratorAccess or an inline equivalent) is how an intruder "
    "escalates from a limited credential to the whole account.",
    remediation="Detach the policy unless the grant was approved; give people admin through roles with "
    "MFA, never to users directly.",
    attack=_ROLES,
    guardduty="PrivilegeEscalation:IAMUser/AnomalousBehavior",
    resource_type="AwsIamPrincipal",
    category="privilege-escalation",
)

rule(
    id="iam_login_profile_created",
    title="Console password created or reset for a user",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=api_sql(
        "iam.amazonaws.com",
        ("CreateLoginProfile", "UpdateLoginProfile"),
        resource=_USER_ARN,
        where="event_name = 'CreateLoginProfile' "
        "OR json_extract_string(request_parameters, '$.userName') IS DISTINCT FROM user_name",
    ),
    rationale="Giving a programmatic user a console password (or resetting someone else's) opens a new "
    "way in that key rotation does not close.",
    remediation="Delete unexpected login profiles (`aws iam delete-login-profile`) and review the caller.",
    attack=Attack("T1098", "Account Manipulation", "TA0003"),
    guardduty="Persistence:IAMUser/AnomalousBehavior",
    resource_type="AwsIamUser",
    category="persistence",
)

rule(
    id="iam_user_created",
    title="IAM user created",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=api_sql(
        "iam.amazonaws.com",
        ("CreateUser",),
        resource=_USER_ARN,
    ),
    rationale="New long-lived IAM users are rare where people sign in through SSO; intruders create them "
    "as a backdoor.",
    remediation="Confirm the user is expected; prefer IAM Identity Center and roles.",
    attack=Attack("T1136.003", "Create Account: Cloud Account", "TA0003"),
    resource_type="AwsIamUser",
    category="persistence",
)

rule(
    id="iam_role_trust_opened_to_external_account",
    title="Role trust policy allows an external account or everyone",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=rf"""
WITH docs AS (
  SELECT *, coalesce(json_extract_string(request_parameters, '$.policyDocument'),
                     json_extract_string(request_parameters, '$.assumeRolePolicyDocument')) AS doc
  FROM cloudtrail
  WHERE error_code IS NULL AND event_source = 'iam.amazonaws.com'
    AND event_name IN ('UpdateAssumeRolePolicy', 'CreateRole')
), outside AS (
  SELECT docs.*, list_filter(regexp_extract_all(doc, '(\d{{12}})', 1),
                             lambda x: x <> docs.account AND NOT list_contains(t.accounts, x)) AS others
  FROM docs, (SELECT coalesce(list(account), []) AS accounts FROM trusted_accounts) t
)
SELECT time, account, region, actor, source_ip,
       'arn:aws:iam::' || account || ':role/' || json_extract_string(request_parameters, '$.roleName')
       AS resource,
       event_id AS evidence, event_name || ' trusts ' || array_to_string(others, ',') AS detail,
       array_to_string(others, ',') AS target
FROM outside
WHERE len(others) > 0 OR regexp_matches(doc, {_PUBLIC_PRINCIPAL})
""",
    rationale="A trust policy naming an account outside the organization (or `*`) lets that account "
    "assume the role: a durable backdoor that no credential rotation removes.",
    remediation="Remove the external principal unless it is a known partner (list it under "
    "trusted_accounts in --environment), and require sts:ExternalId for third parties.",
    attack=Attack("T1199", "Trusted Relationship", "TA0001"),
    guardduty="Persistence:IAMUser/AnomalousBehavior",
    resource_type="AwsIamRole",
    category="persistence",
    event_names=("UpdateAssumeRolePolicy", "CreateRole"),
)

rule(
    id="iam_access_key_created_on_dormant_user",
    title="Access key created for a dormant user",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql="""
SELECT c.time, c.account, c.region, c.actor, c.source_ip,
       'arn:aws:iam::' || c.account || ':user/' || json_extract_string(c.request_parameters, '$.userName')
       AS resource, c.event_id AS evidence,
       'CreateAccessKey for ' || json_extract_string(c.request_parameters, '$.userName') AS detail,
       NULL AS target
FROM cloudtrail c
WHERE c.error_code IS NULL AND c.event_source = 'iam.amazonaws.com' AND c.event_name = 'CreateAccessKey'
  AND json_extract_string(c.request_parameters, '$.userName') IS NOT NULL
  AND (SELECT min(h.first_time) FROM ct_account_regions h WHERE h.account = c.account)
      <= c.time - to_days(getvariable('dormant_days')::INTEGER)
  -- No record of the user in [t - dormant_days, t]: with whole days (dormant_days >= 1) a day of
  -- the user's activity (ct_user_days) has one inside exactly when it starts by t and ends after
  -- t - dormant_days.
  AND NOT EXISTS (
    SELECT 1 FROM ct_user_days h
    WHERE h.account = c.account AND h.user_name = json_extract_string(c.request_parameters, '$.userName')
      AND h.first_time <= c.time AND h.last_time >= c.time - to_days(getvariable('dormant_days')::INTEGER))
""",
    rationale="A user silent for weeks that suddenly gets a new key is a favourite backdoor: nobody "
    "notices activity on an account nobody uses.",
    remediation="Delete the key unless the owner asked for it; remove dormant users altogether.",
    attack=Attack("T1098.001", "Account Manipulation: Additional Cloud Credentials", "TA0003"),
    guardduty="Persistence:IAMUser/AnomalousBehavior",
    resource_type="AwsIamUser",
    category="persistence",
    event_names=("CreateAccessKey",),
)

rule(
    id="lambda_permission_public",
    title="Lambda function policy allows any principal",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=f"SELECT time, account, region, actor, source_ip, {_FUNCTION} "
    "AS resource, event_id AS evidence, event_name AS detail, NULL AS target FROM cloudtrail "
    "WHERE error_code IS NULL AND event_source = 'lambda.amazonaws.com' AND event_name LIKE 'AddPermission%' "
    "AND json_extract_string(request_parameters, '$.principal') = '*' "
    "AND json_extract_string(request_parameters, '$.sourceArn') IS NULL "
    "AND json_extract_string(request_parameters, '$.sourceAccount') IS NULL",
    rationale="A resource policy granting `*` without a source condition lets anyone invoke (or, for "
    "some actions, change) the function.",
    remediation="Remove the statement (`aws lambda remove-permission`) or add SourceArn/SourceAccount.",
    attack=Attack("T1648", "Serverless Execution", "TA0003"),
    resource_type="AwsLambdaFunction",
    category="persistence",
    event_names=("AddPermission", "AddPermission20150331", "AddPermission20150331v2"),
)

rule(
    id="lambda_function_url_public",
    title="Lambda function URL without authentication",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=f"SELECT time, account, region, actor, source_ip, {_FUNCTION} "
    "AS resource, event_id AS evidence, event_name AS detail, NULL AS target FROM cloudtrail "
    "WHERE error_code IS NULL AND event_source = 'lambda.amazonaws.com' "
    "AND (event_name LIKE 'CreateFunctionUrlConfig%' OR event_name LIKE 'UpdateFunctionUrlConfig%') "
    "AND json_extract_string(request_parameters, '$.authType') = 'NONE'",
    rationale="An unauthenticated function URL is a public HTTPS endpoint into your account, a common "
    "backdoor after a compromise.",
    remediation="Switch the URL to AWS_IAM auth or delete it.",
    attack=Attack("T1648", "Serverless Execution", "TA0003"),
    resource_type="AwsLambdaFunction",
    category="persistence",
    event_names=(
        "CreateFunctionUrlConfig",
        "CreateFunctionUrlConfig20211031",
        "UpdateFunctionUrlConfig",
        "UpdateFunctionUrlConfig20211031",
    ),
)

rule(
    id="resource_policy_made_public",
    title="Resource policy opened to everyone (KMS, Secrets Manager, SQS, SNS, ECR)",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=f"""
SELECT time, account, region, actor, source_ip,
       coalesce(json_extract_string(request_parameters, '$.keyId'),
                json_extract_string(request_parameters, '$.secretId'),
                json_extract_string(request_parameters, '$.queueUrl'),
                json_extract_string(request_parameters, '$.topicArn'),
                json_extract_string(request_parameters, '$.repositoryName')) AS resource,
       event_id AS evidence, event_source || ':' || event_name AS detail, NULL AS target
FROM cloudtrail
WHERE error_code IS NULL
  AND event_name IN ('PutKeyPolicy', 'CreateKey', 'PutResourcePolicy', 'SetQueueAttributes',
                     'SetTopicAttributes',
                     'SetRepositoryPolicy')
  AND regexp_matches(coalesce(json_extract_string(request_parameters, '$.policy'),
                              json_extract_string(request_parameters, '$.resourcePolicy'),
                              json_extract_string(request_parameters, '$.attributes.Policy'),
                              json_extract_string(request_parameters, '$.attributeValue'),
                              json_extract_string(request_parameters, '$.policyText'), ''),
                     {_PUBLIC_PRINCIPAL})
""",
    rationale="A `*` principal in a key, secret, queue, topic or repository policy exposes it to every AWS "
    "account; attackers use it to exfiltrate data or keep access.",
    remediation="Replace `*` with the intended principals or add aws:PrincipalOrgID / aws:SourceAccount "
    "conditions.",
    attack=Attack("T1098", "Account Manipulation", "TA0003"),
    resource_type="AwsResourcePolicy",
    category="persistence",
    event_names=(
        "PutKeyPolicy",
        "CreateKey",
        "PutResourcePolicy",
        "SetQueueAttributes",
        "SetTopicAttributes",
        "SetRepositoryPolicy",
    ),
)
