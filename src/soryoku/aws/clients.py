"""The client factory: one botocore client per (service, region), adaptive retries, endpoint overrides.

Retries are botocore's own ``adaptive`` mode (client-side rate limiting plus exponential backoff);
soryoku adds no retry layer of its own. ``AWS_ENDPOINT_URL`` is honoured by boto3 itself; when it is
set, S3 Control's account-id host prefix is stripped so the request reaches the override (see
shared/design/moto.md §1).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config

from soryoku.aws.session import endpoint_override

DEFAULT_MAX_ATTEMPTS = 8


def retry_settings(max_attempts: int | None = None) -> dict[str, Any]:
    """botocore retry settings: adaptive mode; ``max_attempts`` retries after the first call.

    Without an explicit value, botocore's own ``AWS_MAX_ATTEMPTS`` variable (total attempts,
    first call included) is honoured when set — an explicit Config would otherwise ignore it.
    """
    if max_attempts is None:
        value = os.environ.get("AWS_MAX_ATTEMPTS", "").strip()
        if value.isdigit() and int(value) > 0:
            return {"mode": "adaptive", "total_max_attempts": int(value)}
        max_attempts = DEFAULT_MAX_ATTEMPTS
    return {"mode": "adaptive", "max_attempts": max_attempts}


def _strip_account_host_prefix(account_id: str) -> Any:
    prefix = f"//{account_id}."

    def handler(request: Any, **_: Any) -> None:
        request.url = request.url.replace(prefix, "//", 1)

    return handler


class ClientFactory:
    """Clients for one session; safe to share between threads (creation is serialised)."""

    def __init__(
        self,
        session: boto3.Session,
        account_id: str,
        *,
        max_attempts: int | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
    ) -> None:
        self.session = session
        self.account_id = account_id
        self.config = Config(
            retries=retry_settings(max_attempts),  # type: ignore[arg-type]
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_pool_connections=32,
        )
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._answers: dict[tuple[str, ...], Any] = {}
        self._answer_locks: dict[tuple[str, ...], threading.Lock] = {}

    @property
    def partition(self) -> str:
        """The AWS partition of the session's region (``aws``, ``aws-cn``, ``aws-us-gov``)."""
        region = self.session.region_name or "us-east-1"
        return str(self.session.get_partition_for_region(region))

    def client(self, service: str, region: str) -> Any:
        """The (cached) client for ``service`` in ``region``."""
        key = (service, region)
        with self._lock:
            existing = self._clients.get(key)
            if existing is not None:
                return existing
            client = self.session.client(service, region_name=region, config=self.config)
            if service == "s3control" and endpoint_override():
                client.meta.events.register(
                    "before-sign.s3-control.*", _strip_account_host_prefix(self.account_id)
                )
            self._clients[key] = client
            return client

    def once(self, key: tuple[str, ...], fetch: Callable[[], Any]) -> Any:
        """``fetch()``'s answer for ``key``, fetched once for this account's scan.

        Collectors that need the same list call (e.g. DescribeTrails) share one answer, so each API
        is called once per scan. A failed fetch is not kept: the next caller asks again.
        """
        with self._lock:
            lock = self._answer_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._answers:
                self._answers[key] = fetch()
            return self._answers[key]


__all__ = ["DEFAULT_MAX_ATTEMPTS", "ClientFactory", "retry_settings"]
