"""The workloads of an AWS account, scanned for known vulnerabilities: every Lambda function's
deployment package and layers, and the images of every ECR repository.

``scan_accounts(options, db)`` reaches the accounts exactly as the posture engine does (same
``PostureOptions``: profile, role, organization, regions) and returns one ScanResult per account
(engine ``vuln``, scope ``aws:<account>``), so ``soryoku scan`` can put them in the posture report.
``scan_account_workloads(factory, regions, db)`` does one account.

Fetching goes through the vuln engine's own target code (``lambda_target.fetch_function`` and
``package_inventories``; ``registry.ecr_registry``, ``RegistryClient`` and ``pull_to_layout`` for
ECR) with clients of the account's session. A function or image that cannot be fetched is a Gap
naming it and why. ``SORYOKU_ECR_REGISTRY_ENDPOINT`` sends image pulls to another registry.
ECR scan-on-push is judged by the posture check ``ecr_repository_scan_on_push_enabled``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from soryoku.aws.clients import ClientFactory
from soryoku.aws.failures import COLLECTION_ERRORS, failure_reason
from soryoku.aws.session import endpoint_override, session_region
from soryoku.core.errors import InputError
from soryoku.core.finding import Resource, now_ms
from soryoku.core.result import Gap, ScanResult
from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.catalogers.base import CATALOGERS
from soryoku.vuln.inventory import ENGINE, Inventory, catalog
from soryoku.vuln.lambda_target import Download, fetch_function, package_inventories
from soryoku.vuln.registry import (
    ECR_ENDPOINT_ENV,
    ImageReference,
    RegistryClient,
    ecr_registry,
    pull_to_layout,
)
from soryoku.vuln.scanner import finding_risk_order, scan_inventories

if TYPE_CHECKING:
    from soryoku.posture.engine import PostureOptions

NO_DATABASE = (
    "workloads not scanned for vulnerabilities: no advisory database ({path}); create it with "
    "`soryoku vuln db import PATH` (OSV data) or pass --vuln-db"
)
DEFAULT_WORKERS = 4
Found = list[tuple[Inventory, Resource | None]]


@dataclass(frozen=True, slots=True)
class WorkloadOptions:
    """How much of the account to scan: ``all_image_tags`` scans every image of a repository, not
    only the newest pushed one; ``max_workers`` downloads/pulls at once."""

    all_image_tags: bool = False
    ignore_unfixed: bool = False
    max_workers: int = DEFAULT_WORKERS


@dataclass(frozen=True, slots=True)
class Workload:
    """One thing to fetch and scan: ``label`` names it (``lambda:NAME``, ``ecr:REPO:TAG``)."""

    label: str
    resource: Resource
    fetch: Callable[[], Found]


def _function_fetcher(
    client: Any, function: dict[str, Any], region: str, download: Download | None
) -> Workload:
    name = str(function["FunctionName"])
    arn = str(function["FunctionArn"])
    resource = Resource(uid=arn, type="AwsLambdaFunction", name=name, region=region)

    def fetch() -> Found:
        # the vuln engine's own fetch (GetFunction, layers, download), with the account's client
        return [*package_inventories(fetch_function(arn, fetch=download, client=client))]

    return Workload(f"lambda:{name}", resource, fetch)


@dataclass(frozen=True, slots=True)
class _Registry:
    """The account's registry in one region, or why it cannot be pulled from."""

    host: str = ""
    username: str = ""
    password: str = ""
    refusal: str = ""


def _registry(client: Any) -> _Registry:
    try:
        host, username, password = ecr_registry(client)
    except InputError as exc:
        return _Registry(refusal=str(exc))
    override = endpoint_override()
    if override and host.rsplit(":", 1)[0].endswith(".amazonaws.com"):
        # a token minted by a stand-in endpoint (moto, LocalStack) is not valid at AWS's registry
        return _Registry(
            refusal=f"image not pulled: registry {host} is AWS's, but the account is {override} "
            f"(AWS_ENDPOINT_URL), which serves no image layers; set {ECR_ENDPOINT_ENV}=HOST[:PORT] "
            "to pull from a registry that does"
        )
    return _Registry(host, username, password)


def _image_fetcher(
    registry: _Registry, repository: dict[str, Any], image: dict[str, Any], region: str
) -> Workload:
    name = str(repository["repositoryName"])
    digest = str(image["imageDigest"])
    tags = sorted(image.get("imageTags") or [])
    shown = f"{name}:{tags[0]}" if tags else f"{name}@{digest}"
    uid = f"{repository['repositoryArn']}:{tags[0]}" if tags else f"{repository['repositoryArn']}@{digest}"
    resource = Resource(
        uid=uid,
        type="AwsEcrContainerImage",
        name=shown,
        region=region,
        data={"digest": digest, "tags": tags} if tags else {"digest": digest},
    )

    def fetch() -> Found:
        if registry.refusal:
            raise InputError(registry.refusal)
        # pulled by digest: a tag moved since DescribeImages does not change what is reported
        client = RegistryClient(
            ImageReference(registry.host, name, digest),
            username=registry.username,
            password=registry.password,
        )
        with tempfile.TemporaryDirectory(prefix="soryoku-image-") as scratch:
            layout = pull_to_layout(client, Path(scratch) / "image")
            return [(catalog(layout, label=f"ecr:{shown}"), resource)]

    return Workload(f"ecr:{shown}", resource, fetch)


def choose_images(images: Sequence[dict[str, Any]], *, all_images: bool = False) -> list[dict[str, Any]]:
    """Pure: the images of a repository to scan — the newest pushed one (tagged ones first), or all."""
    if all_images:
        return sorted(images, key=lambda i: str(i["imageDigest"]))
    if not images:
        return []
    return [max(images, key=lambda i: (bool(i.get("imageTags")), str(i.get("imagePushedAt", ""))))]


def _region_workloads(
    factory: ClientFactory, region: str, options: WorkloadOptions, download: Download | None, gaps: list[Gap]
) -> list[Workload]:
    scope = f"aws:{factory.account_id}/{region}"
    found: list[Workload] = []
    client = factory.client("lambda", region)
    try:
        for page in client.get_paginator("list_functions").paginate():
            for function in page.get("Functions", []):
                if function.get("PackageType") == "Image":
                    gaps.append(
                        Gap(
                            ENGINE,
                            str(function["FunctionArn"]),
                            "packaged as a container image: scanned with its ECR repository, not as a zip",
                        )
                    )
                    continue
                found.append(_function_fetcher(client, function, region, download))
    except COLLECTION_ERRORS as exc:
        gaps.append(Gap(ENGINE, f"{scope}/lambda", f"functions not listed: {failure_reason(exc)}"))
    ecr = factory.client("ecr", region)
    registry: _Registry | None = None
    try:
        for page in ecr.get_paginator("describe_repositories").paginate():
            for repository in page.get("repositories", []):
                images = [
                    image
                    for image_page in ecr.get_paginator("describe_images").paginate(
                        repositoryName=repository["repositoryName"]
                    )
                    for image in image_page.get("imageDetails", [])
                ]
                chosen = choose_images(images, all_images=options.all_image_tags)
                if chosen and registry is None:
                    registry = _registry(ecr)
                found += [_image_fetcher(registry, repository, i, region) for i in chosen if registry]
    except COLLECTION_ERRORS as exc:
        gaps.append(Gap(ENGINE, f"{scope}/ecr", f"repositories or images not listed: {failure_reason(exc)}"))
    return found


def _fetch(workload: Workload) -> Found | Gap:
    try:
        return workload.fetch()
    except InputError as exc:
        return Gap(ENGINE, workload.resource.uid, f"{workload.label}: {exc}")


def scan_account_workloads(
    factory: ClientFactory,
    regions: Sequence[str],
    db: AdvisoryDB,
    *,
    options: WorkloadOptions | None = None,
    download: Download | None = None,
) -> ScanResult:
    """Scan the Lambda functions and ECR images of ``factory``'s account in ``regions``.

    ``download`` fetches a presigned code location (default: the vuln engine's ``download``).
    """
    options = options or WorkloadOptions()
    result = ScanResult(engine=ENGINE, scope=f"aws:{factory.account_id}", started_ms=now_ms())
    workloads: list[Workload] = []
    per_region: list[list[Gap]] = [[] for _ in regions]
    CATALOGERS.load()  # Registry.load marks itself done before importing: never race it from threads
    with ThreadPoolExecutor(
        max_workers=max(1, options.max_workers), thread_name_prefix="soryoku-vuln"
    ) as pool:
        listed = pool.map(
            lambda pair: _region_workloads(factory, pair[0], options, download, pair[1]),
            zip(regions, per_region, strict=True),
        )
        for found in listed:
            workloads += found
        fetched = list(pool.map(_fetch, workloads))
    result.gaps += [gap for gaps in per_region for gap in gaps]
    for workload, outcome in zip(workloads, fetched, strict=True):
        if isinstance(outcome, Gap):
            result.gaps.append(outcome)
        else:  # matching stays on this thread: the advisory database is one SQLite connection
            result.extend(
                scan_inventories(db, workload.label, outcome, ignore_unfixed=options.ignore_unfixed)
            )
    result.findings.sort(key=finding_risk_order)
    result.finished_ms = now_ms()
    return result


def no_database_result(account_id: str, path: Path) -> ScanResult:
    """The vuln result of an account when there is no advisory database: one Gap saying how to get one."""
    scope = f"aws:{account_id}"
    return ScanResult(
        engine=ENGINE,
        scope=scope,
        gaps=[Gap(ENGINE, scope, NO_DATABASE.format(path=path))],
        started_ms=now_ms(),
        finished_ms=now_ms(),
    )


def scan_accounts(
    posture_options: PostureOptions,
    db: AdvisoryDB | None,
    *,
    db_path: Path | None = None,
    options: WorkloadOptions | None = None,
    download: Download | None = None,
) -> list[ScanResult]:
    """Reach the accounts ``posture_options`` names (as posture does) and scan each one's workloads.

    ``db`` None: no advisory database (at ``db_path``); each account gets one Gap saying how to make one.
    """
    from soryoku.posture.engine import _regions, _targets

    targets, unreachable = _targets(posture_options)
    results = [
        ScanResult(
            engine=ENGINE,
            scope=r.scope,
            gaps=[Gap(ENGINE, g.scope, g.reason) for g in r.gaps],
            started_ms=r.started_ms,
            finished_ms=r.finished_ms,
        )
        for r in unreachable
    ]
    for target in targets:
        if db is None:
            results.append(no_database_result(target.account_id, db_path or Path("?")))
            continue
        factory = ClientFactory(target.session, target.account_id, max_attempts=posture_options.max_attempts)
        regions, not_enabled, region_gaps = _regions(posture_options, factory, session_region(target.session))
        result = scan_account_workloads(
            factory, [r for r in regions if r not in not_enabled], db, options=options, download=download
        )
        result.gaps[:0] = [Gap(ENGINE, g.scope, g.reason) for g in region_gaps]
        result.gaps += [
            Gap(ENGINE, f"aws:{target.account_id}/{r}", "region not enabled") for r in not_enabled
        ]
        results.append(result)
    return sorted(results, key=lambda r: r.scope)


__all__ = [
    "NO_DATABASE",
    "WorkloadOptions",
    "choose_images",
    "no_database_result",
    "scan_account_workloads",
    "scan_accounts",
]
