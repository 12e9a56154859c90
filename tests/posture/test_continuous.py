"""Continuous evaluation: EventBridge events (CloudTrail and AWS Config shapes) re-check one resource.

The event bodies follow AWS's documented shapes: the "AWS API Call via CloudTrail" envelope with a
CloudTrail record in ``detail`` (eventSource, eventName, awsRegion, requestParameters,
responseElements, recipientAccountId), and the "Config Configuration Item Change" envelope whose
``detail`` is a ConfigurationItemChangeNotification (configurationItemDiff, configurationItem).
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from typing import Any

import boto3
import pytest

from soryoku.core.errors import InputError
from soryoku.core.finding import ResultStatus
from soryoku.inventory.base import COLLECTORS
from soryoku.posture import continuous
from soryoku.posture.continuous import (
    CONFIG_RESOURCE_COLLECTORS,
    EC2_EVENT_WORDS,
    EVENT_SOURCE_COLLECTORS,
    changed_resource,
    handler,
)

ACCOUNT = "123456789012"
REGION = "us-east-1"
TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "posture-continuous.yaml"


def cloudtrail_event(
    source: str, name: str, request: dict[str, Any], response: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An EventBridge "AWS API Call via CloudTrail" event, as AWS documents it."""
    return {
        "version": "0",
        "id": "36eb8523-97d0-4518-b33d-ee3579ff19f0",
        "detail-type": "AWS API Call via CloudTrail",
        "source": f"aws.{source.split('.', maxsplit=1)[0]}",
        "account": ACCOUNT,
        "time": "2026-11-29T12:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": {
            "eventVersion": "1.09",
            "userIdentity": {
                "type": "IAMUser",
                "principalId": "AIDACKCEVSQ6C2EXAMPLE",
                "arn": f"arn:aws:iam::{ACCOUNT}:user/Mary_Major",
                "accountId": ACCOUNT,
                "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
                "userName": "Mary_Major",
            },
            "eventTime": "2026-11-29T12:00:00Z",
            "eventSource": source,
            "eventName": name,
            "awsRegion": REGION,
            "sourceIPAddress": "198.51.100.1",
            "userAgent": "aws-cli/2.15.0",
            "requestParameters": request,
            "responseElements": response,
            "requestID": "47B8E8D397DCE7A6",
            "eventID": "cdc4b7ed-e171-4cef-975a-ad829d4123e8",
            "readOnly": False,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": ACCOUNT,
            "eventCategory": "Management",
        },
    }


def config_event(resource_type: str, resource_id: str, arn: str, name: str | None) -> dict[str, Any]:
    """An EventBridge "Config Configuration Item Change" event, as AWS documents it."""
    return {
        "version": "0",
        "id": "2c2bde25-31b4-2d0a-3a4f-b8c0d7fd8a37",
        "detail-type": "Config Configuration Item Change",
        "source": "aws.config",
        "account": ACCOUNT,
        "time": "2026-11-29T12:00:00Z",
        "region": REGION,
        "resources": [arn],
        "detail": {
            "recordVersion": "1.3",
            "messageType": "ConfigurationItemChangeNotification",
            "configurationItemDiff": {
                "changedProperties": {
                    "Configuration.IpPermissions.0": {
                        "updatedValue": {"fromPort": 22, "ipProtocol": "tcp", "toPort": 22},
                        "changeType": "CREATE",
                    }
                },
                "changeType": "UPDATE",
            },
            "notificationCreationTime": "2026-11-29T12:00:05.000Z",
            "configurationItem": {
                "relatedEvents": [],
                "relationships": [],
                "configuration": {},
                "supplementaryConfiguration": {},
                "tags": {},
                "configurationItemVersion": "1.3",
                "configurationItemCaptureTime": "2026-11-29T12:00:03.000Z",
                "configurationStateId": 1700000000000,
                "awsAccountId": ACCOUNT,
                "configurationItemStatus": "OK",
                "resourceType": resource_type,
                "resourceId": resource_id,
                "resourceName": name,
                "ARN": arn,
                "awsRegion": REGION,
                "availabilityZone": "Not Applicable",
                "configurationStateMd5Hash": "",
            },
        },
    }


def put_bucket_acl_event(bucket: str) -> dict[str, Any]:
    return cloudtrail_event(
        "s3.amazonaws.com",
        "PutBucketAcl",
        {
            "bucketName": bucket,
            "Host": f"{bucket}.s3.amazonaws.com",
            "acl": [""],
            "AccessControlPolicy": {
                "AccessControlList": {
                    "Grant": [
                        {
                            "Grantee": {
                                "xsi:type": "Group",
                                "URI": "http://acs.amazonaws.com/groups/global/AllUsers",
                            },
                            "Permission": "READ",
                        }
                    ]
                },
                "Owner": {"ID": "d25639fbe9c19cd30a4c0f43fbf00e2d3f96400a9aa8dabfbbebe1906EXAMPLE"},
            },
        },
    )


def authorize_ingress_event(group_id: str) -> dict[str, Any]:
    return cloudtrail_event(
        "ec2.amazonaws.com",
        "AuthorizeSecurityGroupIngress",
        {
            "groupId": group_id,
            "ipPermissions": {
                "items": [
                    {
                        "ipProtocol": "tcp",
                        "fromPort": 22,
                        "toPort": 22,
                        "groups": {},
                        "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]},
                        "ipv6Ranges": {},
                        "prefixListIds": {},
                    }
                ]
            },
        },
        {
            "requestId": "4e6bf0c3-7c1b-4cd8-8a2f-6cc3EXAMPLE",
            "_return": True,
            "securityGroupRuleSet": {
                "items": [
                    {
                        "groupOwnerId": ACCOUNT,
                        "groupId": group_id,
                        "securityGroupRuleId": "sgr-0123456789abcdef0",
                        "isEgress": False,
                        "ipProtocol": "tcp",
                        "fromPort": 22,
                        "toPort": 22,
                        "cidrIpv4": "0.0.0.0/0",
                    }
                ]
            },
        },
    )


# -- parsing (pure) --


def test_every_mapped_collector_exists() -> None:
    mapped = {
        *(c for cs in CONFIG_RESOURCE_COLLECTORS.values() for c in cs),
        *(c for cs in EVENT_SOURCE_COLLECTORS.values() for c in cs),
        *(c for _, cs in EC2_EVENT_WORDS for c in cs),
    }
    assert mapped <= {c.id for c in COLLECTORS}


def test_a_cloudtrail_event_names_the_bucket_and_its_collectors() -> None:
    change = changed_resource(put_bucket_acl_event("my-bucket"))
    assert (change.account_id, change.region) == (ACCOUNT, REGION)
    assert change.collectors == ("s3.buckets", "s3.bucket_settings")
    assert change.identifiers[0] == "my-bucket"
    assert change.matches("arn:aws:s3:::my-bucket", "my-bucket")
    assert not change.matches("arn:aws:s3:::my-bucket-2", "my-bucket-2")


def test_an_ec2_event_maps_by_its_name() -> None:
    change = changed_resource(authorize_ingress_event("sg-0abc"))
    assert change.collectors == ("ec2.security_groups",)
    assert change.identifiers == ("sg-0abc",)
    volume = changed_resource(cloudtrail_event("ec2.amazonaws.com", "CreateVolume", {"size": 8}))
    assert volume.collectors == ("ec2.volumes",)


def test_a_config_event_names_the_resource() -> None:
    arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-0abc"
    change = changed_resource(config_event("AWS::EC2::SecurityGroup", "sg-0abc", arn, "web"))
    assert change.collectors == ("ec2.security_groups",)
    assert change.identifiers == (arn, "sg-0abc", "web")
    assert change.source == "config:AWS::EC2::SecurityGroup"


def test_unknown_events_are_rejected_with_the_reason() -> None:
    event = put_bucket_acl_event("b")
    event["detail-type"] = "EC2 Instance State-change Notification"
    with pytest.raises(InputError, match="detail-type"):
        changed_resource(event)
    without_detail = {k: v for k, v in event.items() if k != "detail"}
    with pytest.raises(InputError, match="no detail"):
        changed_resource(without_detail)


def test_a_change_no_check_watches_evaluates_nothing(aws: str) -> None:
    event = cloudtrail_event("cloud9.amazonaws.com", "CreateEnvironmentEC2", {"name": "x"})
    summary = handler(event, None)
    assert summary["evaluated"] == 0
    assert "no check watches" in summary["reason"]


# -- against moto --


def _account() -> str:
    return str(boto3.client("sts", region_name=REGION).get_caller_identity()["Account"])


def _with_account(event: dict[str, Any], account: str) -> dict[str, Any]:
    event = copy.deepcopy(event)
    event["account"] = account
    event["detail"]["recipientAccountId"] = account
    if "configurationItem" in event["detail"]:
        event["detail"]["configurationItem"]["awsAccountId"] = account
    return event


def test_put_bucket_acl_re_evaluates_only_that_bucket_and_stores_it(aws: str) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="continuous-public")
    s3.create_bucket(Bucket="continuous-private")
    s3.put_bucket_acl(Bucket="continuous-public", ACL="public-read")
    event = _with_account(put_bucket_acl_event("continuous-public"), _account())

    summary = handler(event, None)

    assert summary["evaluated"] == 1
    assert summary["failed"] >= 1
    from soryoku.hub.store import open_store

    with open_store(None) as store:
        findings = store.run_findings(summary["run_id"])
    assert {r.name for f in findings for r in f.resources} == {"continuous-public"}
    read = [f for f in findings if f.check_id == "s3_bucket_public_read_access"]
    assert read and read[0].status_code is ResultStatus.FAIL


def test_a_fixed_bucket_passes_on_the_next_event(aws: str) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="continuous-fixed")
    event = _with_account(put_bucket_acl_event("continuous-fixed"), _account())
    s3.put_bucket_acl(Bucket="continuous-fixed", ACL="public-read")
    first = handler(event, None)
    s3.put_bucket_acl(Bucket="continuous-fixed", ACL="private")
    second = handler(event, None)
    from soryoku.hub.store import open_store

    with open_store(None) as store:
        before = store.run_findings(first["run_id"])
        after = store.run_findings(second["run_id"])

    def read_status(findings: list[Any]) -> ResultStatus:
        (match,) = [f for f in findings if f.check_id == "s3_bucket_public_read_access"]
        return ResultStatus(match.status_code)

    assert read_status(before) is ResultStatus.FAIL
    assert read_status(after) is ResultStatus.PASS


def _open_ssh_group(name: str) -> str:
    ec2 = boto3.client("ec2", region_name=REGION)
    group_id = str(ec2.create_security_group(GroupName=name, Description="continuous test")["GroupId"])
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    return group_id


def test_a_security_group_change_from_cloudtrail_fails_port_22_for_that_group_only(
    aws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORYOKU_NO_STORE", "1")
    open_group = _open_ssh_group("continuous-open")
    ec2 = boto3.client("ec2", region_name=REGION)
    ec2.create_security_group(GroupName="continuous-closed", Description="untouched")
    event = _with_account(authorize_ingress_event(open_group), _account())
    change = changed_resource(event)
    from soryoku.aws.clients import ClientFactory

    result = continuous.evaluate_change(change, ClientFactory(boto3.Session(region_name=REGION), _account()))
    assert {r.uid for f in result.findings for r in f.resources} == {
        f"arn:aws:ec2:{REGION}:{_account()}:security-group/{open_group}"
    }
    port_22 = [
        f for f in result.findings if f.check_id == "ec2_securitygroup_ingress_port_22_open_to_internet"
    ]
    assert port_22 and port_22[0].status_code is ResultStatus.FAIL


def test_a_config_item_change_reaches_security_hub(aws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORYOKU_SECURITY_HUB", "1")
    monkeypatch.setenv("SORYOKU_NO_STORE", "1")
    account = _account()
    group_id = _open_ssh_group("continuous-config")
    hub = boto3.client("securityhub", region_name=REGION)
    hub.enable_security_hub(EnableDefaultStandards=False)
    arn = f"arn:aws:ec2:{REGION}:{account}:security-group/{group_id}"
    event = _with_account(
        config_event("AWS::EC2::SecurityGroup", group_id, arn, "continuous-config"), account
    )

    summary = handler(event, None)

    assert "run_id" not in summary
    assert summary["security_hub"]["sent"] == summary["findings"] > 0
    assert summary["security_hub"]["failed"] == 0
    imported = hub.get_findings()["Findings"]
    assert imported and all(r["Id"] == arn for f in imported for r in f["Resources"])


def test_an_event_of_another_account_needs_a_member_role(aws: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SORYOKU_MEMBER_ROLE", raising=False)
    event = _with_account(put_bucket_acl_event("b"), "210987654321")
    with pytest.raises(InputError, match="SORYOKU_MEMBER_ROLE"):
        handler(event, None)


# -- deploy/posture-continuous.yaml --


@pytest.mark.skipif(importlib.util.find_spec("cfnlint") is None, reason="cfn-lint not installed")
def test_the_continuous_template_passes_cfn_lint_and_is_wired() -> None:
    from cfnlint.api import lint_file
    from cfnlint.decode import cfn_yaml

    matches = lint_file(TEMPLATE)
    assert matches == [], "\n".join(str(m) for m in matches)
    resources = cfn_yaml.load(str(TEMPLATE))["Resources"]
    function = resources["EvaluatorFunction"]["Properties"]
    assert function["Handler"] == "soryoku.posture.continuous.handler"
    source = Path(continuous.__file__).read_text(encoding="utf-8")
    for name in function["Environment"]["Variables"]:
        assert name in source or name == "SORYOKU_DB", f"{name} is not read by the handler"
    detail_types = {
        kind
        for resource in resources.values()
        if resource["Type"] == "AWS::Events::Rule"
        for kind in resource["Properties"]["EventPattern"]["detail-type"]
    }
    assert detail_types == {continuous.CLOUDTRAIL_DETAIL_TYPE, continuous.CONFIG_DETAIL_TYPE}
    sources = set(resources["CloudTrailChangeRule"]["Properties"]["EventPattern"]["source"])
    assert {f"aws.{s.split('.')[0]}" for s in EVENT_SOURCE_COLLECTORS} | {"aws.ec2"} == sources
