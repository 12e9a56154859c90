"""What every collector shares: its declaration, the context it runs in, and the resource shape.

A collector is a *get* function doing the I/O for one named resource set (``s3.buckets``,
``ec2.security_groups`` …) in one account and region, returning frozen resource models built by pure
*transform* functions. Collectors register with :func:`collector`; the posture engine runs only the
ones the selected checks need, each unit (account × region × collector) at most once per scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from soryoku.aws.clients import ClientFactory
from soryoku.core.registry import HasId, Registry

T = TypeVar("T", bound=HasId)
ItemT = TypeVar("ItemT")
R = TypeVar("R")

# Threads per unit for per-resource detail calls (bucket ACL/policy/…); units themselves run on the
# engine's pool, so the peak is max_workers × DETAIL_WORKERS connections, bounded by the client pool.
DETAIL_WORKERS = 4

Scope = Literal["global", "regional"]


class AwsResource(Protocol):
    """Anything a check evaluates: it has an ARN (or ARN-shaped uid), a region and a name."""

    @property
    def arn(self) -> str: ...

    @property
    def region(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class CollectContext:
    """Where one collection unit runs: the account's clients and the region."""

    factory: ClientFactory
    account_id: str
    region: str

    @property
    def partition(self) -> str:
        """The AWS partition (``aws`` unless China or GovCloud)."""
        return self.factory.partition

    def client(self, service: str, region: str | None = None) -> Any:
        """A botocore client for ``service`` in ``region`` (default: this unit's region)."""
        return self.factory.client(service, region or self.region)

    def once(self, call: str, fetch: Callable[[], R]) -> R:
        """``fetch()``'s answer, shared by every collector of this account and region that names the
        same ``call`` (one API call per scan, however many collectors read it)."""
        answer: R = self.factory.once((self.region, call), fetch)
        return answer

    def map(self, function: Callable[[ItemT], R], items: Iterable[ItemT]) -> list[R]:
        """``function`` over ``items`` on a few threads (per-resource detail calls), results in order.

        The first exception propagates, so a failed detail call fails the whole unit.
        """
        work = list(items)
        if len(work) < 2:
            return [function(item) for item in work]
        with ThreadPoolExecutor(max_workers=min(DETAIL_WORKERS, len(work))) as pool:
            return list(pool.map(function, work))

    def account_arn(self, service: str, resource: str, region: str | None = None) -> str:
        """An ARN-shaped uid for an account-level setting, e.g. EBS default encryption in a region."""
        where = self.region if region is None else region
        return f"arn:{self.partition}:{service}:{where}:{self.account_id}:{resource}"


CollectFunction = Callable[[CollectContext], tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Collector:
    """A named resource set: the AWS service it reads, where it runs, and the IAM actions it calls."""

    id: str
    service: str
    scope: Scope
    collect: CollectFunction
    actions: tuple[str, ...]
    description: str


class PackageRegistry(Registry[T]):
    """A registry whose built-in items are every module of one package (no hand-kept module list)."""

    def __init__(self, kind: str, package: str, *, entry_point_group: str | None = None) -> None:
        super().__init__(kind, entry_point_group=entry_point_group)
        self.package = package

    def load(self) -> None:
        """Import every module of the package once, then the entry-point plugins."""
        if not self._loaded:
            import importlib
            import pkgutil

            package = importlib.import_module(self.package)
            self.builtin_modules = tuple(
                f"{self.package}.{info.name}"
                for info in pkgutil.iter_modules(package.__path__)
                if not info.name.startswith("_") and info.name not in {"base"}
            )
        super().load()


COLLECTORS: PackageRegistry[Collector] = PackageRegistry("collector", "soryoku.inventory")


def collector(
    id: str, *, service: str, scope: Scope, actions: tuple[str, ...], description: str
) -> Callable[[CollectFunction], CollectFunction]:
    """Register a get function as the collector ``id`` (returns the function unchanged)."""

    def register(function: CollectFunction) -> CollectFunction:
        COLLECTORS.add(
            Collector(
                id=id,
                service=service,
                scope=scope,
                collect=function,
                actions=actions,
                description=description,
            )
        )
        return function

    return register


__all__ = [
    "COLLECTORS",
    "AwsResource",
    "CollectContext",
    "CollectFunction",
    "Collector",
    "Scope",
    "collector",
]
