"""ECR checks: scan on push, immutable tags, lifecycle policies, no public repository policy."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.inventory.ecr import EcrRepository
from soryoku.posture.policy import analyze_resource_policy
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

REPOSITORIES = "ecr.repositories"
RESOURCE_TYPE = "AwsEcrRepository"


@check(
    "ecr_repository_scan_on_push_enabled",
    service="ecr",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(REPOSITORIES,),
)
def scan_on_push(repo: EcrRepository, ctx: CheckContext) -> CheckResult:
    """FAIL when neither the repository nor a registry-wide rule scans images on push."""
    if repo.scan_on_push:
        return passed(f"ECR repository {repo.name} scans images on push.")
    if repo.registry_scan_on_push:
        return passed(f"ECR repository {repo.name} is scanned by a registry-wide scanning rule.")
    return failed(f"ECR repository {repo.name} does not scan images on push.")


@check(
    "ecr_repository_tag_immutability",
    service="ecr",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(REPOSITORIES,),
)
def tag_immutability(repo: EcrRepository, ctx: CheckContext) -> CheckResult:
    """FAIL when image tags can be overwritten (tag mutability not IMMUTABLE)."""
    if repo.tag_mutability.startswith("IMMUTABLE"):
        return passed(f"ECR repository {repo.name} has immutable tags ({repo.tag_mutability}).")
    return failed(
        f"ECR repository {repo.name} has mutable tags: a push can silently replace the image a tag names.",
        tag_mutability=repo.tag_mutability,
    )


@check(
    "ecr_repository_lifecycle_policy",
    service="ecr",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(REPOSITORIES,),
)
def lifecycle_policy(repo: EcrRepository, ctx: CheckContext) -> CheckResult:
    """FAIL when the repository has no lifecycle policy."""
    if repo.lifecycle_policy:
        return passed(f"ECR repository {repo.name} has a lifecycle policy.")
    return failed(f"ECR repository {repo.name} has no lifecycle policy: old, unpatched images pile up.")


@check(
    "ecr_repository_not_publicly_accessible",
    service="ecr",
    resource_type=RESOURCE_TYPE,
    severity=Severity.CRITICAL,
    collectors=(REPOSITORIES,),
)
def not_public(repo: EcrRepository, ctx: CheckContext) -> CheckResult:
    """FAIL when the repository policy lets anyone pull (or push) images."""
    if repo.policy is None:
        return passed(f"ECR repository {repo.name} has no repository policy.")
    access = analyze_resource_policy(repo.policy, ctx.account_id)
    if access.public:
        return failed(
            f"ECR repository {repo.name} is public: its policy allows everyone ({access.describe()}).",
            statements=list(access.public_statements),
        )
    return passed(f"ECR repository {repo.name} is not public: {access.describe()}.")
