"""AWS Organizations: list member accounts from the management account and reach each by a role."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from soryoku.aws.failures import failure_reason
from soryoku.aws.session import AwsTarget, assume_role, session_region
from soryoku.core.errors import CredentialsError

DEFAULT_ORG_ROLE = "OrganizationAccountAccessRole"


@dataclass(frozen=True, slots=True)
class OrgAccount:
    """A member account as Organizations lists it."""

    account_id: str
    name: str
    status: str


@dataclass(frozen=True, slots=True)
class UnreachableAccount:
    """A member account whose role could not be assumed, and why (becomes a Gap)."""

    account_id: str
    reason: str


def list_accounts(session: boto3.Session) -> list[OrgAccount]:
    """Every account of the organization (organizations:ListAccounts, paginated)."""
    client = session.client("organizations", region_name=session_region(session))
    accounts: list[OrgAccount] = []
    try:
        for page in client.get_paginator("list_accounts").paginate():
            for item in page.get("Accounts", []):
                accounts.append(
                    OrgAccount(
                        account_id=str(item["Id"]),
                        name=str(item.get("Name", "")),
                        status=str(item.get("Status", "ACTIVE")),
                    )
                )
    except (BotoCoreError, ClientError) as exc:
        raise CredentialsError(
            f"--org: cannot list the organization's accounts from this account: {failure_reason(exc)}"
        ) from exc
    return accounts


def member_targets(
    session: boto3.Session,
    management_account: str,
    role_name: str = DEFAULT_ORG_ROLE,
    *,
    external_id: str | None = None,
    max_workers: int = 8,
) -> tuple[list[AwsTarget], list[UnreachableAccount]]:
    """Targets for every ACTIVE account: the management account as-is, members through ``role_name``.

    Roles are assumed on at most ``max_workers`` threads; an account whose role cannot be assumed
    is returned as unreachable with the reason (the others are unaffected).
    """
    partition = session.get_partition_for_region(session_region(session))
    active = [a for a in list_accounts(session) if a.status == "ACTIVE"]
    sts = session.client("sts", region_name=session_region(session))  # shared: clients are thread-safe

    def reach(account: OrgAccount) -> AwsTarget | UnreachableAccount:
        if account.account_id == management_account:
            return AwsTarget(account.account_id, session, via="management account")
        role_arn = f"arn:{partition}:iam::{account.account_id}:role/{role_name}"
        try:
            assumed = assume_role(session, role_arn, external_id=external_id, sts_client=sts)
        except (BotoCoreError, ClientError) as exc:
            return UnreachableAccount(account.account_id, f"cannot assume {role_arn}: {failure_reason(exc)}")
        return AwsTarget(account.account_id, assumed, via=f"role {role_arn}")

    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="soryoku-org") as pool:
        reached = list(pool.map(reach, active))
    targets = [r for r in reached if isinstance(r, AwsTarget)]
    unreachable = [r for r in reached if isinstance(r, UnreachableAccount)]
    return targets, unreachable


__all__ = ["DEFAULT_ORG_ROLE", "OrgAccount", "UnreachableAccount", "list_accounts", "member_targets"]
