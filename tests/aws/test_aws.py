"""AWS access: sessions, assumed roles, Organizations members, regions, the client factory, failures."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.parsers import ResponseParserError

from soryoku.aws.clients import ClientFactory
from soryoku.aws.failures import failure_reason
from soryoku.aws.organizations import member_targets
from soryoku.aws.regions import discover_regions, regions_from_response
from soryoku.aws.session import base_session, caller_account, role_target
from soryoku.core.errors import CredentialsError, InputError

ACCOUNT = "123456789012"


def test_no_credentials_says_so_and_points_to_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_WEB_IDENTITY_TOKEN_FILE", raising=False)
    with pytest.raises(CredentialsError, match=r"no AWS credentials found.*soryoku scan --demo"):
        base_session()


def test_unknown_profile_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    with pytest.raises(InputError, match="--profile 'nope'"):
        base_session("nope")


def test_default_chain_and_assumed_role(aws: str) -> None:
    session = base_session()
    assert caller_account(session) == ACCOUNT
    target = role_target(session, "arn:aws:iam::210987654321:role/Audit", external_id="ext-1")
    assert target.account_id == "210987654321"
    assert target.via == "role arn:aws:iam::210987654321:role/Audit"
    assert caller_account(target.session) == "210987654321"


def test_organization_members_are_reached_through_the_role(aws: str) -> None:
    org = boto3.client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="dev", Email="dev@example.com")["CreateAccountStatus"][
        "AccountId"
    ]
    targets, unreachable = member_targets(base_session(), ACCOUNT, "ScanRole")
    assert unreachable == []
    by_id = {t.account_id: t for t in targets}
    assert set(by_id) == {ACCOUNT, member}
    assert by_id[member].via == f"role arn:aws:iam::{member}:role/ScanRole"
    assert caller_account(by_id[member].session) == member


def test_regions_split_by_opt_in_status(aws: str) -> None:
    pure = regions_from_response(
        [
            {"RegionName": "us-east-1", "OptInStatus": "opt-in-not-required"},
            {"RegionName": "af-south-1", "OptInStatus": "not-opted-in"},
            {"RegionName": "me-south-1", "OptInStatus": "opted-in"},
        ]
    )
    assert pure.enabled == ("me-south-1", "us-east-1") and pure.not_enabled == ("af-south-1",)
    discovered = discover_regions(ClientFactory(boto3.Session(), ACCOUNT), "us-east-1")
    assert "us-east-1" in discovered.enabled and discovered.not_enabled
    assert not set(discovered.enabled) & set(discovered.not_enabled)


def test_client_factory_uses_adaptive_retries_and_caches_clients(aws: str) -> None:
    factory = ClientFactory(boto3.Session(), ACCOUNT, max_attempts=5)
    client = factory.client("ec2", "eu-west-1")
    assert factory.client("ec2", "eu-west-1") is client
    assert client.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 6}  # 5 retries + the call
    assert client.meta.endpoint_url == aws
    assert factory.partition == "aws"


def test_s3control_reaches_the_endpoint_override_only_with_the_hook(aws: str) -> None:
    factory = ClientFactory(boto3.Session(), ACCOUNT)
    s3control = factory.client("s3control", "us-east-1")
    config = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    s3control.put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=config)
    answer = s3control.get_public_access_block(AccountId=ACCOUNT)
    assert answer["PublicAccessBlockConfiguration"] == config


def test_s3control_has_no_hook_without_an_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="y", region_name="us-east-1")
    client = ClientFactory(session, ACCOUNT).client("s3control", "us-east-1")
    handlers = client.meta.events._emitter._lookup_cache  # what botocore resolved so far
    assert not any("s3-control" in str(key) for key in handlers)
    assert "amazonaws.com" in client.meta.endpoint_url


def _client_error(code: str, status: int = 400, op: str = "DescribeThings") -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}}, op
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_client_error("AccessDenied", 403), "access denied (AccessDenied on DescribeThings)"),
        (_client_error("UnauthorizedOperation", 403), "access denied"),
        (_client_error("ThrottlingException", 400), "throttled beyond retries"),
        (_client_error("OptInRequired", 401), "region not enabled"),
        (_client_error("500", 500), "API not available"),
        (_client_error("InternalFailure", 500), "API not available"),
        (ResponseParserError("Unable to parse response"), "API not available"),
        (EndpointConnectionError(endpoint_url="https://x"), "endpoint unreachable"),
        (_client_error("ValidationError", 400), "ValidationError on DescribeThings"),
    ],
)
def test_failure_reasons(error: BaseException, expected: str) -> None:
    assert failure_reason(error).startswith(expected)


def test_an_unreachable_member_is_reported_and_the_others_are_kept(aws: str) -> None:
    org = boto3.client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="dev", Email="dev@example.com")["CreateAccountStatus"][
        "AccountId"
    ]
    # an external id botocore rejects makes every assume-role call fail; the management account needs none
    targets, unreachable = member_targets(base_session(), ACCOUNT, "ScanRole", external_id="x")
    assert [t.account_id for t in targets] == [ACCOUNT]
    (lost,) = unreachable
    assert lost.account_id == member and lost.reason.startswith(
        f"cannot assume arn:aws:iam::{member}:role/ScanRole"
    )
