"""AWS access: sessions (chain, profile, assumed role, Organizations members), clients, regions.

boto3 is imported only here and in ``soryoku.inventory``; nothing connects at import.
"""

from soryoku.aws.clients import DEFAULT_MAX_ATTEMPTS, ClientFactory
from soryoku.aws.failures import COLLECTION_ERRORS, failure_reason
from soryoku.aws.organizations import DEFAULT_ORG_ROLE, OrgAccount, UnreachableAccount, member_targets
from soryoku.aws.regions import RegionDiscovery, discover_regions
from soryoku.aws.session import (
    AwsTarget,
    assume_role,
    base_session,
    caller_account,
    endpoint_override,
    role_target,
    session_region,
)

__all__ = [
    "COLLECTION_ERRORS",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_ORG_ROLE",
    "AwsTarget",
    "ClientFactory",
    "OrgAccount",
    "RegionDiscovery",
    "UnreachableAccount",
    "assume_role",
    "base_session",
    "caller_account",
    "discover_regions",
    "endpoint_override",
    "failure_reason",
    "member_targets",
    "role_target",
    "session_region",
]
