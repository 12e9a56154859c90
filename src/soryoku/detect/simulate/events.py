"""Builders for realistic log records: CloudTrail events, VPC flow records, Resolver queries."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ACCOUNT = "111122223333"
_COUNTER = itertools.count(1)


def event_id() -> str:
    """A fresh, unique, UUID-shaped event id."""
    n = next(_COUNTER)
    return f"{n & 0xFFFFFFFF:08x}-5047-4d1e-9c0a-{n:012x}"


def iso(moment: datetime) -> str:
    """CloudTrail's time format."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who calls: what goes into ``userIdentity``."""

    type: str
    arn: str
    account: str
    access_key: str | None = None
    user_name: str | None = None
    issuer: str | None = None
    mfa: bool = False

    def identity(self) -> dict[str, Any]:
        """The ``userIdentity`` object."""
        identity: dict[str, Any] = {
            "type": self.type,
            "principalId": "AIDA" + self.arn.rsplit("/", 1)[-1].upper()[:16],
            "arn": self.arn,
            "accountId": self.account,
        }
        if self.access_key:
            identity["accessKeyId"] = self.access_key
        if self.user_name:
            identity["userName"] = self.user_name
        context: dict[str, Any] = {"attributes": {"mfaAuthenticated": "true" if self.mfa else "false"}}
        if self.issuer:
            context["sessionIssuer"] = {"type": "Role", "arn": self.issuer, "accountId": self.account}
        identity["sessionContext"] = context
        return identity


def iam_user(name: str, key: str, account: str = ACCOUNT, mfa: bool = False) -> Principal:
    """An IAM user calling with an access key."""
    return Principal("IAMUser", f"arn:aws:iam::{account}:user/{name}", account, key, name, mfa=mfa)


def role_session(role: str, session: str, key: str, account: str = ACCOUNT) -> Principal:
    """An assumed-role session (``session`` = an instance id for instance credentials)."""
    return Principal(
        "AssumedRole",
        f"arn:aws:sts::{account}:assumed-role/{role}/{session}",
        account,
        key,
        issuer=f"arn:aws:iam::{account}:role/{role}",
    )


def root(account: str = ACCOUNT) -> Principal:
    """The root user."""
    return Principal("Root", f"arn:aws:iam::{account}:root", account, None)


def ct(
    who: Principal,
    source: str,
    name: str,
    at: datetime,
    *,
    region: str = "us-east-1",
    ip: str = "203.0.113.10",
    agent: str = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.amzn.2023",
    params: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
    additional: dict[str, Any] | None = None,
    error: str | None = None,
    read_only: bool | None = None,
) -> dict[str, Any]:
    """One CloudTrail record."""
    record: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": who.identity(),
        "eventTime": iso(at),
        "eventSource": f"{source}.amazonaws.com",
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": ip,
        "userAgent": agent,
        "requestParameters": params,
        "responseElements": response,
        "requestID": event_id(),
        "eventID": event_id(),
        "readOnly": read_only if read_only is not None else name.startswith(("Get", "List", "Describe")),
        "eventType": "AwsConsoleSignIn" if name == "ConsoleLogin" else "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": who.account,
        "eventCategory": "Management",
    }
    if error:
        record["errorCode"] = error
        record["errorMessage"] = f"User: {who.arn} is not authorized to perform: {source}:{name}"
    if additional is not None:
        record["additionalEventData"] = additional
    return record


def console_login(
    who: Principal, at: datetime, *, mfa: bool, ok: bool = True, ip: str = "203.0.113.10"
) -> dict[str, Any]:
    """A ConsoleLogin record (success or failure, with or without MFA)."""
    return ct(
        who,
        "signin",
        "ConsoleLogin",
        at,
        ip=ip,
        agent="Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
        response={"ConsoleLogin": "Success" if ok else "Failure"},
        additional={
            "LoginTo": "https://console.aws.amazon.com/",
            "MobileVersion": "No",
            "MFAUsed": "Yes" if mfa else "No",
        },
        error=None if ok else "Failed authentication",
    )


@dataclass(frozen=True, slots=True)
class Flow:
    """One VPC flow record (version 2 fields plus the instance id for custom formats)."""

    at: datetime
    src: str
    dst: str
    src_port: int
    dst_port: int
    interface: str = "eni-0a1b2c3d4e5f60001"
    instance: str = "i-0a1b2c3d4e5f60001"
    protocol: int = 6
    packets: int = 10
    bytes: int = 4200
    action: str = "ACCEPT"
    account: str = ACCOUNT
    region: str = "us-east-1"

    def fields(self) -> dict[str, str]:
        """Values by flow-log field name."""
        start = int(self.at.timestamp())
        return {
            "version": "2",
            "account-id": self.account,
            "interface-id": self.interface,
            "instance-id": self.instance,
            "srcaddr": self.src,
            "dstaddr": self.dst,
            "srcport": str(self.src_port),
            "dstport": str(self.dst_port),
            "protocol": str(self.protocol),
            "packets": str(self.packets),
            "bytes": str(self.bytes),
            "start": str(start),
            "end": str(start + 60),
            "action": self.action,
            "log-status": "OK",
            "region": self.region,
        }


def dns_query(
    at: datetime,
    name: str,
    *,
    src: str = "10.0.1.15",
    instance: str = "i-0a1b2c3d4e5f60001",
    answers: tuple[str, ...] = (),
    account: str = ACCOUNT,
    region: str = "us-east-1",
    vpc: str = "vpc-0a1b2c3d4e5f60001",
) -> dict[str, Any]:
    """One Route 53 Resolver query log record."""
    return {
        "version": "1.100000",
        "account_id": account,
        "region": region,
        "vpc_id": vpc,
        "query_timestamp": iso(at),
        "query_name": name.rstrip(".") + ".",
        "query_type": "A",
        "query_class": "IN",
        "rcode": "NOERROR",
        "answers": [{"Rdata": a, "Type": "A", "Class": "IN"} for a in answers],
        "srcaddr": src,
        "srcport": "53211",
        "transport": "UDP",
        "srcids": {"instance": instance},
    }
