"""AWS sessions: boto3's own credential chain, a named profile, or an assumed role.

Nothing here runs at import; every function takes what it needs and returns a new session.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
from botocore.credentials import RefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound
from botocore.session import get_session

from soryoku.aws.failures import failure_reason
from soryoku.core.errors import CredentialsError, InputError

DEFAULT_REGION = "us-east-1"
ROLE_SESSION_NAME = "soryoku-posture"
_NO_CREDENTIALS = (
    "no AWS credentials found (checked the environment, shared config/credentials files, SSO and "
    "instance roles); configure AWS access, pass --profile, or try soryoku on a simulated account "
    "with `soryoku scan --demo`"
)


@dataclass(frozen=True, slots=True)
class AwsTarget:
    """One AWS account to scan: its id, a session with credentials for it, and how it was reached."""

    account_id: str
    session: boto3.Session
    via: str = "default credentials"


def endpoint_override() -> str | None:
    """The endpoint every client is sent to (``AWS_ENDPOINT_URL``), when one is set."""
    return os.environ.get("AWS_ENDPOINT_URL") or None


def session_region(session: boto3.Session) -> str:
    """The session's region, or us-east-1 when none is configured."""
    return session.region_name or DEFAULT_REGION


def base_session(profile: str | None = None, region: str | None = None) -> boto3.Session:
    """A session from boto3's own chain (or ``profile``); CredentialsError when none is found."""
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound as exc:
        raise InputError(f"--profile {profile!r}: no such profile in the AWS config files") from exc
    if session.get_credentials() is None:
        raise CredentialsError(_NO_CREDENTIALS)
    return session


def caller_account(session: boto3.Session) -> str:
    """The account id behind ``session`` (sts:GetCallerIdentity)."""
    try:
        identity = session.client("sts", region_name=session_region(session)).get_caller_identity()
    except (BotoCoreError, ClientError) as exc:
        raise CredentialsError(
            f"AWS credentials were found but cannot be used: {failure_reason(exc)}"
        ) from exc
    return str(identity["Account"])


def assume_role(
    session: boto3.Session,
    role_arn: str,
    *,
    external_id: str | None = None,
    session_name: str = ROLE_SESSION_NAME,
    sts_client: Any | None = None,
) -> boto3.Session:
    """A session for ``role_arn`` whose credentials refresh themselves before they expire.

    Pass ``sts_client`` when assuming roles from several threads: clients are thread-safe, creating
    them from one boto3 session is not.
    """
    sts = sts_client or session.client("sts", region_name=session_region(session))

    def fetch() -> dict[str, str]:
        params: dict[str, str] = {"RoleArn": role_arn, "RoleSessionName": session_name}
        if external_id:
            params["ExternalId"] = external_id
        creds = sts.assume_role(**params)["Credentials"]
        expiry = creds["Expiration"]
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": expiry.isoformat() if isinstance(expiry, datetime) else str(expiry),
        }

    credentials = RefreshableCredentials.create_from_metadata(
        metadata=fetch(), refresh_using=fetch, method="sts-assume-role"
    )
    botocore_session = get_session()
    botocore_session._credentials = credentials  # boto3 has no public setter for refreshable credentials
    return boto3.Session(botocore_session=botocore_session, region_name=session_region(session))


def role_target(session: boto3.Session, role_arn: str, *, external_id: str | None = None) -> AwsTarget:
    """The account reached by assuming ``role_arn``; CredentialsError naming the role when it fails."""
    try:
        assumed = assume_role(session, role_arn, external_id=external_id)
    except (BotoCoreError, ClientError) as exc:
        raise CredentialsError(
            f"--role-arn {role_arn!r}: cannot assume the role: {failure_reason(exc)}"
        ) from exc
    return AwsTarget(account_id=caller_account(assumed), session=assumed, via=f"role {role_arn}")


__all__ = [
    "DEFAULT_REGION",
    "ROLE_SESSION_NAME",
    "AwsTarget",
    "assume_role",
    "base_session",
    "caller_account",
    "endpoint_override",
    "role_target",
    "session_region",
]
