"""ECR: private repositories with scanning, tag mutability, lifecycle policy and repository policy."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code
from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class EcrRepository:
    """A private repository; ``registry_scan_on_push`` is True when a registry-level scanning rule
    covers every repository on push (enhanced or basic scanning configured for the whole registry)."""

    arn: str
    region: str
    name: str
    scan_on_push: bool
    registry_scan_on_push: bool
    tag_mutability: str
    lifecycle_policy: bool
    policy: Mapping[str, Any] | None

    @property
    def scanning_configured(self) -> bool:
        """True when images are scanned on push, by the repository or a registry-wide rule."""
        return self.scan_on_push or self.registry_scan_on_push


def registry_scans_everything_on_push(configuration: Mapping[str, Any]) -> bool:
    """True when a registry scanning rule with the wildcard filter scans on push or continuously."""
    for rule in configuration.get("rules") or ():
        if rule.get("scanFrequency") not in {"SCAN_ON_PUSH", "CONTINUOUS_SCAN"}:
            continue
        if any(f.get("filter") == "*" for f in rule.get("repositoryFilters") or ()):
            return True
    return False


def repository_from(
    item: Mapping[str, Any],
    region: str,
    registry_scan_on_push: bool,
    lifecycle_policy: bool,
    policy: str | Mapping[str, Any] | None,
) -> EcrRepository:
    """One DescribeRepositories entry plus its policies as a model."""
    scanning = item.get("imageScanningConfiguration") or {}
    return EcrRepository(
        arn=str(item["repositoryArn"]),
        region=region,
        name=str(item["repositoryName"]),
        scan_on_push=bool(scanning.get("scanOnPush", False)),
        registry_scan_on_push=registry_scan_on_push,
        tag_mutability=str(item.get("imageTagMutability", "MUTABLE")),
        lifecycle_policy=lifecycle_policy,
        policy=json.loads(policy) if isinstance(policy, str) else policy,
    )


def _absent(call: Any, codes: Iterable[str]) -> Any:
    try:
        return call()
    except ClientError as exc:
        if error_code(exc) in set(codes):
            return None
        raise


@collector(
    "ecr.repositories",
    service="ecr",
    scope="regional",
    actions=(
        "ecr:DescribeRepositories",
        "ecr:GetLifecyclePolicy",
        "ecr:GetRepositoryPolicy",
        "ecr:GetRegistryScanningConfiguration",
    ),
    description="ECR private repositories with scan on push, tag mutability, lifecycle and repository policy",
)
def collect_repositories(ctx: CollectContext) -> tuple[EcrRepository, ...]:
    """DescribeRepositories, the registry scanning configuration, then two reads per repository."""
    client = ctx.client("ecr")
    items = [
        r for page in client.get_paginator("describe_repositories").paginate() for r in page["repositories"]
    ]
    if not items:
        return ()
    registry = client.get_registry_scanning_configuration().get("scanningConfiguration") or {}
    registry_on_push = registry_scans_everything_on_push(registry)

    def detail(item: Mapping[str, Any]) -> EcrRepository:
        name = str(item["repositoryName"])
        lifecycle = _absent(
            lambda: client.get_lifecycle_policy(repositoryName=name), ("LifecyclePolicyNotFoundException",)
        )
        policy = _absent(
            lambda: client.get_repository_policy(repositoryName=name),
            ("RepositoryPolicyNotFoundException",),
        )
        return repository_from(
            item,
            ctx.region,
            registry_on_push,
            lifecycle is not None and bool(lifecycle.get("lifecyclePolicyText")),
            None if policy is None else policy.get("policyText"),
        )

    return tuple(sorted(ctx.map(detail, items), key=lambda r: r.arn))


__all__ = ["EcrRepository", "collect_repositories", "registry_scans_everything_on_push", "repository_from"]
