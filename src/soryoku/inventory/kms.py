"""KMS: keys with their manager, state, spec, rotation status and key policy, per region."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from soryoku.aws.failures import error_code, failure_reason
from soryoku.inventory.base import CollectContext, collector

AWS_ALIAS_PREFIX = "alias/aws/"
# Rotation is not defined for these (GetKeyRotationStatus answers UnsupportedOperation or invalid state).
_NO_ROTATION_STATES = {"PendingDeletion", "PendingReplicaDeletion", "PendingImport", "Unavailable"}
_PER_KEY_ERRORS = {
    "AccessDeniedException",
    "AccessDenied",
    "KMSInvalidStateException",
    "UnsupportedOperationException",
    "NotFoundException",
}


@dataclass(frozen=True, slots=True)
class KmsKey:
    """A KMS key: who manages it, its state and spec, rotation and key policy.

    ``rotation_enabled`` is None where rotation does not apply or could not be read (see
    ``read_errors``); ``policy`` is None when the key policy could not be read.
    """

    key_id: str
    arn: str
    region: str
    aliases: tuple[str, ...]
    manager: str
    state: str
    spec: str
    origin: str
    deletion_date: datetime | None
    rotation_enabled: bool | None
    policy: Mapping[str, Any] | None
    read_errors: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The first alias, or the key id."""
        return self.aliases[0] if self.aliases else self.key_id

    @property
    def customer_managed(self) -> bool:
        """True for keys the customer manages: KeyManager CUSTOMER and no reserved ``alias/aws/`` alias.

        Only AWS may create ``alias/aws/*`` aliases, so such a key is AWS managed whatever an endpoint
        reports as its manager (moto creates the default EBS key with KeyManager CUSTOMER).
        """
        return self.manager == "CUSTOMER" and not any(a.startswith(AWS_ALIAS_PREFIX) for a in self.aliases)

    @property
    def rotatable(self) -> bool:
        """True for keys automatic rotation applies to: symmetric, KMS-generated key material."""
        return self.spec == "SYMMETRIC_DEFAULT" and self.origin == "AWS_KMS"


# -- transforms (pure) --


def aliases_by_key(aliases: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """ListAliases entries grouped by target key id (names sorted)."""
    grouped: dict[str, list[str]] = {}
    for alias in aliases:
        target = alias.get("TargetKeyId")
        if target:
            grouped.setdefault(str(target), []).append(str(alias["AliasName"]))
    return {key: tuple(sorted(names)) for key, names in grouped.items()}


def key_from(
    metadata: Mapping[str, Any],
    region: str,
    aliases: tuple[str, ...],
    rotation: bool | None,
    policy: Mapping[str, Any] | str | None,
    read_errors: tuple[str, ...] = (),
) -> KmsKey:
    """DescribeKey's KeyMetadata plus rotation status and key policy as the KmsKey model."""
    document = json.loads(policy) if isinstance(policy, str) else policy
    return KmsKey(
        key_id=str(metadata["KeyId"]),
        arn=str(metadata["Arn"]),
        region=region,
        aliases=aliases,
        manager=str(metadata.get("KeyManager", "CUSTOMER")),
        state=str(metadata.get("KeyState", "Enabled")),
        spec=str(metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"),
        origin=str(metadata.get("Origin", "AWS_KMS")),
        deletion_date=metadata.get("DeletionDate"),
        rotation_enabled=rotation,
        policy=document,
        read_errors=read_errors,
    )


# -- get (I/O) --


def _per_key(call: Any, errors: list[str], what: str) -> Any:
    """One per-key read; a denied or inapplicable read is recorded on the key, not fatal to the region."""
    try:
        return call()
    except ClientError as exc:
        if error_code(exc) not in _PER_KEY_ERRORS:
            raise
        errors.append(f"{what}: {failure_reason(exc)}")
        return None


@collector(
    "kms.keys",
    service="kms",
    scope="regional",
    actions=(
        "kms:ListKeys",
        "kms:ListAliases",
        "kms:DescribeKey",
        "kms:GetKeyRotationStatus",
        "kms:GetKeyPolicy",
    ),
    description="KMS keys with manager, state, spec, rotation status and key policy",
)
def collect_kms_keys(ctx: CollectContext) -> tuple[KmsKey, ...]:
    """Keys of the region: one listing each for keys and aliases, then three reads per key."""
    kms = ctx.client("kms")
    key_ids = [str(k["KeyId"]) for page in kms.get_paginator("list_keys").paginate() for k in page["Keys"]]
    aliases = aliases_by_key(
        a for page in kms.get_paginator("list_aliases").paginate() for a in page["Aliases"]
    )

    def detail(key_id: str) -> KmsKey:
        metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        errors: list[str] = []
        rotation: bool | None = None
        spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec")
        if (
            spec == "SYMMETRIC_DEFAULT"
            and metadata.get("Origin", "AWS_KMS") == "AWS_KMS"
            and metadata.get("KeyState") not in _NO_ROTATION_STATES
        ):
            answer = _per_key(lambda: kms.get_key_rotation_status(KeyId=key_id), errors, "rotation")
            rotation = None if answer is None else bool(answer.get("KeyRotationEnabled"))
        policy = _per_key(
            lambda: kms.get_key_policy(KeyId=key_id, PolicyName="default"), errors, "key policy"
        )
        document = None if policy is None else policy.get("Policy")
        return key_from(metadata, ctx.region, aliases.get(key_id, ()), rotation, document, tuple(errors))

    return tuple(sorted(ctx.map(detail, key_ids), key=lambda k: k.arn))


__all__ = ["AWS_ALIAS_PREFIX", "KmsKey", "aliases_by_key", "collect_kms_keys", "key_from"]
