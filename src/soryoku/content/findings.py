"""Turning object results into OCSF Detection Findings (malicious) and Gaps (unscannable, error)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from soryoku.content.rules import RuleFailure
from soryoku.content.verdict import Match, ObjectResult, Verdict
from soryoku.core.finding import Evidence, Finding, Resource, detection_finding
from soryoku.core.result import Gap, ScanResult
from soryoku.core.severity import Severity

ENGINE = "content"
RULE_ID = "content_malicious_object"
REMEDIATION = (
    "Quarantine or delete the object, find who uploaded it and how, and check the systems that read it. "
    "If the match is a false positive, suppress it with a mutelist entry naming the rule and a reason."
)


def object_resource(result: ObjectResult) -> Resource:
    """The resource a finding is about: the S3 object (ARN) or the local file."""
    if result.uri.startswith("s3://"):
        bucket, _, key = result.uri[5:].partition("/")
        data: dict[str, Any] = {"bucket": bucket, "key": key}
        if result.version:
            data["version_id"] = result.version
        return Resource(uid=f"arn:aws:s3:::{bucket}/{key}", type="AWS::S3::Object", name=key, data=data)
    return Resource(uid=result.uri, type="File", name=result.uri.rsplit("/", 1)[-1])


def _malware(match: Match) -> dict[str, Any]:
    """The OCSF ``malware`` object of one match (``provider`` is the engine)."""
    entry: dict[str, Any] = {
        "name": match.rule,
        "uid": f"{match.engine}:{match.namespace}:{match.rule}"
        if match.namespace
        else f"{match.engine}:{match.rule}",
        "provider": match.engine,
        "classification_ids": [99],
        "classifications": ["Other"],
    }
    if match.path:
        entry["path"] = match.path
    return entry


def _describe(match: Match) -> str:
    where = f" in {match.path}" if match.path else ""
    author = f" (rule by {match.author})" if match.author else ""
    return f"{match.engine}:{match.rule}{where}{author}"


def severity_of(matches: Iterable[Match]) -> Severity:
    """HIGH for a malware engine's match; MEDIUM when only the file-type policy objected."""
    return Severity.HIGH if any(m.engine != "filetype" for m in matches) else Severity.MEDIUM


def malicious_finding(
    result: ObjectResult, *, account_id: str | None = None, region: str | None = None
) -> Finding:
    """One Detection Finding per malicious object, carrying every match (and each rule's author)."""
    # DRL 1.1: messages based on a match keep the rule's author, so the title names it too
    names = sorted({f"{m.rule} (by {m.author})" if m.author else m.rule for m in result.matches})
    title = f"Malicious content: {', '.join(names[:3])}{' …' if len(names) > 3 else ''}"
    message = f"{result.key}: " + "; ".join(_describe(m) for m in result.matches)
    file_info: dict[str, Any] = {"name": result.uri.rsplit("/", 1)[-1], "path": result.uri, "type_id": 1}
    if result.size is not None:
        file_info["size"] = result.size
    if result.sha256:
        file_info["hashes"] = [{"algorithm_id": 3, "algorithm": "SHA-256", "value": result.sha256}]
    return detection_finding(
        rule_id=RULE_ID,
        title=title,
        severity=severity_of(result.matches),
        evidence_key=result.key,
        engine=ENGINE,
        resources=[object_resource(result)],
        message=message,
        desc="An engine of the content scanner matched this object or a file inside it.",
        types=["Malware"],
        evidences=[Evidence(file=file_info, data={"matches": [m.to_dict() for m in result.matches]})],
        remediation=REMEDIATION,
        malware=[_malware(m) for m in result.matches],
        account_id=account_id,
        region=region,
        unmapped={
            "verdict": result.verdict.value,
            "matches": [m.to_dict() for m in result.matches],
            "reasons": list(result.reasons),
            "filetype": result.filetype,
        },
    )


def object_gap(result: ObjectResult) -> Gap | None:
    """A Gap when (part of) the object could not be scanned; None when everything was looked at."""
    if not result.reasons:
        return None
    return Gap(
        engine=ENGINE, scope=result.key, reason=f"{result.verdict.value}: " + "; ".join(result.reasons)
    )


def rule_gaps(failures: Iterable[RuleFailure]) -> list[Gap]:
    """Rule files that did not compile: their rules were not evaluated."""
    return [
        Gap(
            engine=ENGINE,
            scope=f"rules:{f.path}",
            reason=f"rule file did not compile: {f.error}",
            checks=(f.namespace,),
        )
        for f in failures
    ]


def add_result(
    scan: ScanResult, result: ObjectResult, *, account_id: str | None = None, region: str | None = None
) -> None:
    """Add one object's finding and/or gap to ``scan``."""
    if result.verdict is Verdict.MALICIOUS:
        scan.findings.append(malicious_finding(result, account_id=account_id, region=region))
    gap = object_gap(result)
    if gap is not None:
        scan.gaps.append(gap)


__all__ = [
    "ENGINE",
    "RULE_ID",
    "add_result",
    "malicious_finding",
    "object_gap",
    "object_resource",
    "rule_gaps",
]
