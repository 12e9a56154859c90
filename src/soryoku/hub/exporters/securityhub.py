"""Send findings to AWS Security Hub as ASFF with BatchImportFindings (at most 100 per call).

``export_findings`` is a plain function over findings and a boto3 ``securityhub`` client, so it
is tested directly against moto; the CLI (``soryoku export securityhub``) only opens the store
and the client. Findings Security Hub rejects are returned, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from soryoku.core.finding import Finding
from soryoku.output.asff import to_asff

MAX_BATCH = 100  # BatchImportFindings accepts at most 100 findings per request


class SecurityHubClient(Protocol):
    """The one call of a boto3 ``securityhub`` client the exporter uses."""

    def batch_import_findings(self, *, Findings: list[dict[str, Any]]) -> dict[str, Any]: ...  # noqa: N803


@dataclass(frozen=True, slots=True)
class FailedFinding:
    """A finding Security Hub rejected, with its error."""

    id: str
    error_code: str
    error_message: str


@dataclass(slots=True)
class ExportResult:
    """What an export did: how many were sent, accepted and rejected, and in how many calls."""

    sent: int = 0
    succeeded: int = 0
    batches: int = 0
    failed: list[FailedFinding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when Security Hub accepted every finding."""
        return not self.failed


def batches(items: Sequence[dict[str, Any]], size: int = MAX_BATCH) -> Iterator[list[dict[str, Any]]]:
    """``items`` in consecutive lists of at most ``size``."""
    if not 1 <= size <= MAX_BATCH:
        raise ValueError(f"batch size {size}: expected 1..{MAX_BATCH}")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def to_asff_batch(findings: Sequence[Finding], *, account_id: str, region: str) -> list[dict[str, Any]]:
    """The ASFF objects for ``findings`` imported by ``account_id`` into Security Hub in ``region``.

    The importing account and region name the product (``ProductArn``) and fill what a finding
    lacks; a finding keeps its own account (``AwsAccountId``) and resource regions.
    """
    return [to_asff(f, account_id=account_id, region=region, importer=(account_id, region)) for f in findings]


def export_findings(
    findings: Sequence[Finding],
    client: SecurityHubClient,
    *,
    account_id: str,
    region: str,
    batch_size: int = MAX_BATCH,
) -> ExportResult:
    """Import ``findings`` into Security Hub through ``client``; rejected ones are in the result."""
    result = ExportResult()
    for batch in batches(to_asff_batch(findings, account_id=account_id, region=region), batch_size):
        response = client.batch_import_findings(Findings=batch)
        result.batches += 1
        result.sent += len(batch)
        result.succeeded += int(response.get("SuccessCount", 0))
        result.failed.extend(
            FailedFinding(
                id=str(item.get("Id", "")),
                error_code=str(item.get("ErrorCode", "")),
                error_message=str(item.get("ErrorMessage", "")),
            )
            for item in response.get("FailedFindings", [])
        )
    return result


__all__ = [
    "MAX_BATCH",
    "ExportResult",
    "FailedFinding",
    "SecurityHubClient",
    "batches",
    "export_findings",
    "to_asff_batch",
]
