"""CIS 4.1–4.15: a metric filter and alarm (notifying a subscribed SNS topic) for each risky event class.

Following the benchmark's audit: take the logging multi-region trails that record all management
events and deliver to CloudWatch Logs; on their log group, find a metric filter whose pattern matches
every event of the recommendation (sample CloudTrail records, so an equivalent or broader pattern is
accepted and a narrower one is not), an alarm on that filter's metric, and an SNS topic of that alarm
with at least one confirmed subscription.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soryoku.core.finding import ResultStatus
from soryoku.core.severity import Severity
from soryoku.inventory.cloudtrail import CloudTrailAccount, Trail
from soryoku.inventory.cloudwatch import MetricFilter, TrailMonitoring
from soryoku.posture.checks._cloudwatch_pattern import missed_events
from soryoku.posture.registry import CheckFunction, check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

COLLECTORS = ("cloudtrail.trails", "cloudwatch.trail_alarms")


def _event(source: str, name: str, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "eventVersion": "1.09",
        "eventSource": f"{source}.amazonaws.com",
        "eventName": name,
        "eventType": "AwsApiCall",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.10",
        "userIdentity": {"type": "IAMUser", "userName": "alice"},
        "readOnly": False,
    }
    event.update(extra)
    return event


def _api(source: str, *names: str) -> tuple[dict[str, Any], ...]:
    return tuple(_event(source, name) for name in names)


def _console_login(**extra: Any) -> dict[str, Any]:
    return _event("signin", "ConsoleLogin", eventType="AwsConsoleSignIn", **extra)


@dataclass(frozen=True, slots=True)
class Monitored:
    """One CIS 4.x recommendation: what to alarm on, as sample CloudTrail records."""

    check_id: str
    what: str
    events: tuple[Mapping[str, Any], ...]


MONITORED = (
    Monitored(
        "cloudwatch_alarm_unauthorized_api_calls",
        "unauthorized API calls",
        tuple(
            _event(source, name, errorCode=code, errorMessage="not authorized")
            for source, name, code in (
                ("ec2", "RunInstances", "Client.UnauthorizedOperation"),
                ("ec2", "DescribeInstances", "UnauthorizedOperation"),
                ("s3", "GetObject", "AccessDenied"),
                ("iam", "ListUsers", "AccessDenied"),
                ("kms", "Decrypt", "AccessDeniedException"),
            )
        ),
    ),
    Monitored(
        "cloudwatch_alarm_console_signin_without_mfa",
        "console sign-in without MFA",
        (
            _console_login(
                additionalEventData={"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com/"},
                responseElements={"ConsoleLogin": "Success"},
            ),
        ),
    ),
    Monitored(
        "cloudwatch_alarm_root_usage",
        "use of the root user",
        (
            _event(
                "ec2", "RunInstances", userIdentity={"type": "Root", "arn": "arn:aws:iam::111122223333:root"}
            ),
            _console_login(
                userIdentity={"type": "Root", "arn": "arn:aws:iam::111122223333:root"},
                additionalEventData={"MFAUsed": "Yes"},
                responseElements={"ConsoleLogin": "Success"},
            ),
        ),
    ),
    Monitored(
        "cloudwatch_alarm_iam_policy_changes",
        "IAM policy changes",
        _api(
            "iam",
            "DeleteGroupPolicy",
            "DeleteRolePolicy",
            "DeleteUserPolicy",
            "PutGroupPolicy",
            "PutRolePolicy",
            "PutUserPolicy",
            "CreatePolicy",
            "DeletePolicy",
            "CreatePolicyVersion",
            "DeletePolicyVersion",
            "AttachRolePolicy",
            "DetachRolePolicy",
            "AttachUserPolicy",
            "DetachUserPolicy",
            "AttachGroupPolicy",
            "DetachGroupPolicy",
        ),
    ),
    Monitored(
        "cloudwatch_alarm_cloudtrail_changes",
        "CloudTrail configuration changes",
        _api("cloudtrail", "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"),
    ),
    Monitored(
        "cloudwatch_alarm_console_authentication_failures",
        "console authentication failures",
        (
            _console_login(
                errorMessage="Failed authentication",
                responseElements={"ConsoleLogin": "Failure"},
                additionalEventData={"MFAUsed": "No"},
            ),
        ),
    ),
    Monitored(
        "cloudwatch_alarm_cmk_disable_or_deletion",
        "disabling or scheduled deletion of customer managed KMS keys",
        _api("kms", "DisableKey", "ScheduleKeyDeletion"),
    ),
    Monitored(
        "cloudwatch_alarm_s3_bucket_policy_changes",
        "S3 bucket policy changes",
        _api(
            "s3",
            "PutBucketAcl",
            "PutBucketPolicy",
            "PutBucketCors",
            "PutBucketLifecycle",
            "PutBucketReplication",
            "DeleteBucketPolicy",
            "DeleteBucketCors",
            "DeleteBucketLifecycle",
            "DeleteBucketReplication",
        ),
    ),
    Monitored(
        "cloudwatch_alarm_config_changes",
        "AWS Config configuration changes",
        _api(
            "config",
            "StopConfigurationRecorder",
            "DeleteDeliveryChannel",
            "PutDeliveryChannel",
            "PutConfigurationRecorder",
        ),
    ),
    Monitored(
        "cloudwatch_alarm_security_group_changes",
        "security group changes",
        _api(
            "ec2",
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup",
        ),
    ),
    Monitored(
        "cloudwatch_alarm_nacl_changes",
        "network ACL changes",
        _api(
            "ec2",
            "CreateNetworkAcl",
            "CreateNetworkAclEntry",
            "DeleteNetworkAcl",
            "DeleteNetworkAclEntry",
            "ReplaceNetworkAclEntry",
            "ReplaceNetworkAclAssociation",
        ),
    ),
    Monitored(
        "cloudwatch_alarm_network_gateway_changes",
        "network gateway changes",
        _api(
            "ec2",
            "CreateCustomerGateway",
            "DeleteCustomerGateway",
            "AttachInternetGateway",
            "CreateInternetGateway",
            "DeleteInternetGateway",
            "DetachInternetGateway",
        ),
    ),
    Monitored(
        "cloudwatch_alarm_route_table_changes",
        "route table changes",
        _api(
            "ec2",
            "CreateRoute",
            "CreateRouteTable",
            "ReplaceRoute",
            "ReplaceRouteTableAssociation",
            "DeleteRouteTable",
            "DeleteRoute",
            "DisassociateRouteTable",
        ),
    ),
    Monitored(
        "cloudwatch_alarm_vpc_changes",
        "VPC changes",
        _api(
            "ec2",
            "CreateVpc",
            "DeleteVpc",
            "ModifyVpcAttribute",
            "AcceptVpcPeeringConnection",
            "CreateVpcPeeringConnection",
            "DeleteVpcPeeringConnection",
            "RejectVpcPeeringConnection",
            "AttachClassicLinkVpc",
            "DetachClassicLinkVpc",
            "DisableVpcClassicLink",
            "EnableVpcClassicLink",
        ),
    ),
    Monitored(
        "cloudwatch_alarm_organizations_changes",
        "AWS Organizations changes",
        _api(
            "organizations",
            "AcceptHandshake",
            "AttachPolicy",
            "CreateAccount",
            "CreateOrganizationalUnit",
            "CreatePolicy",
            "DeclineHandshake",
            "DeleteOrganization",
            "DeleteOrganizationalUnit",
            "DeletePolicy",
            "DetachPolicy",
            "DisablePolicyType",
            "EnablePolicyType",
            "InviteAccountToOrganization",
            "LeaveOrganization",
            "MoveAccount",
            "RemoveAccountFromOrganization",
            "UpdatePolicy",
            "UpdateOrganizationalUnit",
        ),
    ),
)


def _qualifying(account: CloudTrailAccount) -> list[Trail]:
    return [
        t
        for t in account.trails
        if t.multi_region and t.is_logging and t.management_events == "All" and t.log_group_arn
    ]


def _covers(item: MetricFilter, spec: Monitored) -> bool:
    return missed_events(item.pattern, list(spec.events)) == []


def evaluate(spec: Monitored, account: CloudTrailAccount, monitoring: TrailMonitoring) -> CheckResult:
    """The CIS audit for one recommendation over the account's trails and their log groups."""
    trails = _qualifying(account)
    if not trails:
        return failed(
            f"Account {account.account_id} has no logging multi-region trail recording all management "
            f"events into CloudWatch Logs, so nothing alarms on {spec.what}."
        )
    partial: list[str] = []
    unreadable: list[str] = []
    for trail in trails:
        group = monitoring.log_group(str(trail.log_group_arn))
        if group is not None and group.unreadable:
            unreadable.append(f"{trail.name}: {group.unreadable}")
        for item in group.filters if group else ():
            if not _covers(item, spec):
                continue
            for alarm in item.alarms:
                topics = [t for t in alarm.topics if t.confirmed_subscriptions > 0]
                if alarm.actions_enabled and topics:
                    return passed(
                        f"Trail {trail.name}: metric filter {item.name} covers {spec.what}; alarm "
                        f"{alarm.name} notifies {topics[0].arn} ({topics[0].confirmed_subscriptions} "
                        "confirmed subscriber(s)).",
                        trail=trail.name,
                        metric_filter=item.name,
                        alarm=alarm.name,
                    )
            partial.append(
                f"{trail.name}/{item.name}: "
                + (
                    "alarm(s) without an enabled action to a subscribed SNS topic"
                    if item.alarms
                    else "no alarm on its metric"
                )
            )
    if unreadable and len(unreadable) == len(trails):
        return CheckResult(
            ResultStatus.NOT_EVALUATED,
            f"not evaluated: the metric filters on {spec.what} live in log groups this account cannot "
            f"read ({'; '.join(unreadable)}); scan that account.",
        )
    groups = ", ".join(str(t.log_group_arn) for t in trails)
    detail = "; ".join(partial) if partial else f"no metric filter on {groups} covers them"
    return failed(
        f"Account {account.account_id} does not alarm on {spec.what}: {detail}.",
        log_groups=[str(t.log_group_arn) for t in trails],
    )


def _register(spec: Monitored) -> CheckFunction:
    def run(account: CloudTrailAccount, ctx: CheckContext) -> CheckResult:
        return evaluate(spec, account, ctx.one("cloudwatch.trail_alarms"))

    run.__name__ = spec.check_id
    run.__doc__ = f"PASS when a subscribed alarm watches a metric filter covering {spec.what}."
    run.__module__ = __name__
    return check(
        spec.check_id,
        service="cloudwatch",
        resource_type="AwsAccount",
        severity=Severity.LOW,
        collectors=COLLECTORS,
    )(run)


for _spec in MONITORED:
    _register(_spec)

__all__ = ["MONITORED", "Monitored", "evaluate"]
