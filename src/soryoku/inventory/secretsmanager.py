"""Secrets Manager: secrets with their rotation settings and last rotation/access dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from soryoku.inventory.base import CollectContext, collector


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret's rotation configuration and activity (dates are timezone-aware, None = never)."""

    name: str
    arn: str
    region: str
    rotation_enabled: bool = False
    rotation_days: int | None = None
    created: datetime | None = None
    last_rotated: datetime | None = None
    last_accessed: datetime | None = None


def secret_from(raw: Mapping[str, Any], region: str) -> Secret:
    """A ListSecrets entry as the model."""
    rules = raw.get("RotationRules") or {}
    days = rules.get("AutomaticallyAfterDays")
    return Secret(
        name=str(raw["Name"]),
        arn=str(raw["ARN"]),
        region=region,
        rotation_enabled=bool(raw.get("RotationEnabled", False)),
        rotation_days=int(days) if days else None,
        created=raw.get("CreatedDate"),
        last_rotated=raw.get("LastRotatedDate"),
        last_accessed=raw.get("LastAccessedDate"),
    )


@collector(
    "secretsmanager.secrets",
    service="secretsmanager",
    scope="regional",
    actions=("secretsmanager:ListSecrets",),
    description="Secrets Manager secrets with rotation settings and last rotation/access",
)
def collect_secrets(ctx: CollectContext) -> tuple[Secret, ...]:
    """Every secret of the region (ListSecrets carries everything the checks need)."""
    pages = ctx.client("secretsmanager").get_paginator("list_secrets").paginate()
    secrets = [secret_from(s, ctx.region) for page in pages for s in page.get("SecretList", [])]
    return tuple(sorted(secrets, key=lambda s: s.name))


__all__ = ["Secret", "collect_secrets", "secret_from"]
