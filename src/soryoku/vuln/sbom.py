"""SBOMs: CycloneDX 1.6 JSON (optionally with vulnerabilities) and SPDX 2.3 JSON, from an inventory.

Also registers the ``cyclonedx`` output format, which writes any report's Vulnerability Findings
as a CycloneDX document (components from the affected packages, the ``vulnerabilities`` section
from the findings).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from soryoku import __version__
from soryoku.core.finding import Finding, FindingClass, WorkflowStatus
from soryoku.core.severity import Severity
from soryoku.output.base import Report, writer
from soryoku.vuln.catalogers.base import Distro, Package

if TYPE_CHECKING:
    from soryoku.vuln.scanner import Match

SPEC_VERSION = "1.6"

_SEVERITY = {
    Severity.CRITICAL: "critical",
    Severity.HIGH: "high",
    Severity.MEDIUM: "medium",
    Severity.LOW: "low",
    Severity.INFORMATIONAL: "info",
    Severity.UNKNOWN: "unknown",
}


def bom_ref(purl: str, location: str) -> str:
    """A stable, unique component reference: the purl plus a short hash of where it was found."""
    digest = hashlib.sha256(f"{purl}\x1f{location}".encode()).hexdigest()[:12]
    return f"{purl}#{digest}"


def _metadata(target: str, kind: str, timestamp: str) -> dict[str, Any]:
    component_type = {"image": "container", "directory": "file", "zip": "file", "file": "file"}.get(
        kind, "file"
    )
    return {
        "timestamp": timestamp,
        "tools": {"components": [{"type": "application", "name": "soryoku", "version": __version__}]},
        "component": {"type": component_type, "name": target, "bom-ref": f"target:{target}"},
    }


def _component(package: Package) -> dict[str, Any]:
    return {
        "type": "library",
        "bom-ref": bom_ref(package.purl, package.location),
        "name": package.name,
        "version": package.version,
        "purl": package.purl,
        "properties": [
            {"name": "soryoku:location", "value": package.location},
            {"name": "soryoku:ecosystem", "value": package.ecosystem},
        ],
    }


def _rating(severity: Severity, score: float | None, vector: str | None) -> dict[str, Any]:
    rating: dict[str, Any] = {"severity": _SEVERITY[severity]}
    if score is not None and vector:
        rating["score"] = score
        rating["vector"] = vector
        rating["method"] = (
            "CVSSv4" if vector.startswith("CVSS:4") else "CVSSv31" if "3.1" in vector else "CVSSv3"
        )
    return rating


def _document(
    target: str,
    kind: str,
    components: list[dict[str, Any]],
    vulns: list[dict[str, Any]],
    when: datetime | None = None,
) -> dict[str, Any]:
    timestamp = (when or datetime.now(UTC)).isoformat(timespec="seconds").replace("+00:00", "Z")
    # The serial number names this BOM's content: the same inventory gives the same BOM, byte for
    # byte, which keeps SBOMs diffable and reproducible.
    content = json.dumps([target, kind, components, vulns], sort_keys=True, default=str)
    document: dict[str, Any] = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, content)}",
        "version": 1,
        "metadata": _metadata(target, kind, timestamp),
        "components": components,
    }
    if vulns:
        document["vulnerabilities"] = vulns
    return document


def build_sbom(
    target: str,
    kind: str,
    packages: list[Package],
    distro: Distro | None = None,
    matches: list[Match] | None = None,
) -> dict[str, Any]:
    """A CycloneDX 1.6 document of ``packages`` (and ``matches`` as its vulnerabilities)."""
    components: list[dict[str, Any]] = []
    seen: set[str] = set()
    if distro is not None:
        components.append(
            {
                "type": "operating-system",
                "bom-ref": f"os:{distro.id}-{distro.version_id}",
                "name": distro.id,
                "version": distro.version_id,
                "description": distro.pretty_name or None,
            }
        )
        components[-1] = {k: v for k, v in components[-1].items() if v is not None}
    for package in packages:
        component = _component(package)
        if component["bom-ref"] not in seen:
            seen.add(component["bom-ref"])
            components.append(component)
    vulns = []
    for item in matches or []:
        entry: dict[str, Any] = {
            "bom-ref": f"{item.primary_id}#{bom_ref(item.package.purl, item.package.location)}",
            "id": item.primary_id,
            "source": {"name": "OSV", "url": f"https://osv.dev/vulnerability/{item.primary_id}"},
            "references": [{"id": i, "source": {"name": "OSV"}} for i in item.ids if i != item.primary_id],
            "ratings": [_rating(item.severity, item.score, item.vector)],
            "description": next(
                (a.summary or a.details for a in item.advisories if a.summary or a.details), ""
            ),
            "affects": [{"ref": bom_ref(item.package.purl, item.package.location)}],
        }
        if item.fixed:
            entry["recommendation"] = f"Upgrade {item.package.name} to {item.fixed} or later."
        if item.kev is not None:
            entry["properties"] = [{"name": "soryoku:cisa-kev", "value": item.kev.date_added or "true"}]
        vulns.append(entry)
    return _document(target, kind, components, vulns)


def build_spdx(target: str, packages: list[Package]) -> dict[str, Any]:
    """An SPDX 2.3 JSON document of ``packages`` (each with its purl; licenses not asserted)."""
    timestamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for package in packages:
        spdx_id = (
            "SPDXRef-Package-"
            + hashlib.sha256(f"{package.purl}\x1f{package.location}".encode()).hexdigest()[:16]
        )
        if spdx_id in seen:
            continue
        seen.add(spdx_id)
        entries.append(
            {
                "name": package.name,
                "SPDXID": spdx_id,
                "versionInfo": package.version,
                "downloadLocation": "NOASSERTION",
                "filesAnalyzed": False,
                "licenseConcluded": "NOASSERTION",
                "licenseDeclared": "NOASSERTION",
                "copyrightText": "NOASSERTION",
                "sourceInfo": f"found in {package.location}",
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": package.purl,
                    }
                ],
            }
        )
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": target,
        "documentNamespace": f"https://spdx.org/spdxdocs/soryoku-{uuid.uuid4()}",
        "creationInfo": {"created": timestamp, "creators": [f"Tool: soryoku-{__version__}"]},
        "packages": entries,
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": e["SPDXID"],
            }
            for e in entries
        ],
    }


def findings_to_cyclonedx(
    findings: list[Finding], target: str, when: datetime | None = None
) -> dict[str, Any]:
    """A CycloneDX 1.6 document of the Vulnerability Findings of a report (made at ``when``)."""
    components: dict[str, dict[str, Any]] = {}
    vulns = []
    for finding in findings:
        if finding.class_uid is not FindingClass.VULNERABILITY or not finding.vulnerabilities:
            continue
        vulnerability = finding.vulnerabilities[0]
        for pkg in vulnerability.affected_packages or []:
            ref = bom_ref(pkg.purl or pkg.name, pkg.path or "")
            components.setdefault(
                ref,
                {"type": "library", "bom-ref": ref, "name": pkg.name, "version": pkg.version,
                 **({"purl": pkg.purl} if pkg.purl else {}),
                 "properties": [{"name": "soryoku:location", "value": pkg.path or ""}]},
            )  # fmt: skip
            cvss = (vulnerability.cve.cvss or [{}])[0] if vulnerability.cve else {}
            entry: dict[str, Any] = {
                "bom-ref": f"{finding.check_id}#{ref}",
                "id": finding.check_id,
                "source": {"name": "OSV", "url": f"https://osv.dev/vulnerability/{finding.check_id}"},
                "references": [
                    {"id": i, "source": {"name": "OSV"}} for i in vulnerability.related_vulnerabilities or []
                ],
                "ratings": [_rating(finding.severity_id, cvss.get("base_score"), cvss.get("vector_string"))],
                "description": vulnerability.title or "",
                "affects": [{"ref": ref}],
            }
            if pkg.fixed_in_version:
                entry["recommendation"] = f"Upgrade {pkg.name} to {pkg.fixed_in_version} or later."
            if finding.status_id is WorkflowStatus.SUPPRESSED:
                reason = ((finding.unmapped or {}).get("suppression") or {}).get("reason", "")
                entry["analysis"] = {"detail": f"suppressed: {reason}"}
            vulns.append(entry)
    return _document(target, "file", list(components.values()), vulns, when)


@writer("cyclonedx", description="CycloneDX 1.6 JSON with the vulnerabilities section", extension=".cdx.json")
def write_cyclonedx(report: Report, stream: IO[str]) -> None:
    """The ``cyclonedx`` output format."""
    when = datetime.fromtimestamp(report.generated_ms / 1000, UTC)
    json.dump(findings_to_cyclonedx(report.findings, report.scope or report.title, when), stream, indent=2)
    stream.write("\n")


__all__ = ["SPEC_VERSION", "bom_ref", "build_sbom", "build_spdx", "findings_to_cyclonedx", "write_cyclonedx"]
