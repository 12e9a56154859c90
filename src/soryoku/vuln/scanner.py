"""Inventory × advisory database → matches (aliases merged) → Vulnerability Findings.

One vulnerability known under several ids (a PYSEC record aliasing a CVE and a GHSA, a GO record
aliasing the same CVE) is one finding per package and location, listing all ids. Findings sort by
real risk: known exploited (CISA KEV) first, then severity, then CVSS score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from soryoku.core.finding import (
    AffectedPackage,
    Cve,
    Finding,
    Remediation,
    Resource,
    Vulnerability,
    now_ms,
    vulnerability_finding,
)
from soryoku.core.result import Gap, ScanResult
from soryoku.core.severity import Severity
from soryoku.vuln.advisories.loaders import EpssScore, KevEntry
from soryoku.vuln.advisories.records import Advisory
from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.catalogers.base import Package
from soryoku.vuln.ecosystems import ECOSYSTEMS
from soryoku.vuln.inventory import ENGINE, Inventory, catalog
from soryoku.vuln.matcher import match
from soryoku.vuln.versions import parse_version


@dataclass(frozen=True, slots=True)
class Match:
    """One vulnerability (all its advisory records) affecting one package at one location."""

    package: Package
    primary_id: str
    ids: tuple[str, ...]
    advisories: tuple[Advisory, ...]
    severity: Severity
    score: float | None
    vector: str | None
    fixed: str | None
    kev: KevEntry | None
    epss: EpssScore | None = None

    @property
    def exploited(self) -> bool:
        """True when a CVE of this vulnerability is in the CISA KEV catalog."""
        return self.kev is not None

    @property
    def cves(self) -> tuple[str, ...]:
        """The CVE ids among ``ids``."""
        return tuple(i for i in self.ids if i.startswith("CVE-"))


def _primary(ids: set[str]) -> str:
    for prefix in ("CVE-", "GHSA-"):
        chosen = sorted(i for i in ids if i.startswith(prefix))
        if chosen:
            return chosen[0]
    return sorted(ids)[0]


# Distro security advisories bundle several vulnerabilities (one DSA fixes five CVEs): each CVE
# of such a record is its own vulnerability, so the record is split per CVE before merging.
BUNDLE_PREFIXES = ("DSA-", "DLA-", "DTSA-", "USN-", "ALAS", "RHSA-", "ALSA-", "RLSA-", "ELSA-")

Hit = tuple[Advisory, str | None, frozenset[str]]


def _keys(advisory: Advisory) -> list[frozenset[str]]:
    """The id sets under which one record takes part in merging (one per CVE for a bundle)."""
    cves = [a for a in advisory.aliases if a.startswith("CVE-")]
    if advisory.id.startswith(BUNDLE_PREFIXES) and len(cves) > 1:
        return [frozenset({cve}) for cve in cves]
    return [frozenset({advisory.id, *advisory.aliases})]


def _groups(hits: list[Hit]) -> list[tuple[set[str], list[Hit]]]:
    """Hits whose id sets overlap, directly or through others, are one vulnerability (union-find)."""
    parent = list(range(len(hits)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner: dict[str, int] = {}
    for index, hit in enumerate(hits):
        for key in hit[2]:
            if key in owner:
                parent[root(index)] = root(owner[key])
            else:
                owner[key] = index
    groups: dict[int, tuple[set[str], list[Hit]]] = {}
    for index, hit in enumerate(hits):
        ids, members = groups.setdefault(root(index), (set(), []))
        ids.update(hit[2])
        members.append(hit)
    return list(groups.values())


def _highest_fix(ecosystem: str, fixes: list[str]) -> str | None:
    """The version that fixes every record of one vulnerability: the highest of their fixes."""
    best: str | None = None
    for fix in fixes:
        if best is None:
            best = fix
            continue
        a, b = parse_version(ecosystem, fix), parse_version(ecosystem, best)
        if a is not None and b is not None and b < a:
            best = fix
    return best


def match_package(db: AdvisoryDB, package: Package, gaps: list[Gap]) -> list[Match]:
    """The vulnerabilities affecting one package (undecidable records become gaps)."""
    hits: list[Hit] = []
    for row in db.for_package(package.ecosystem, package.match_name, package.release):
        verdict = match(row.affected, package.match_version)
        if not verdict.decided:
            gaps.append(
                Gap(
                    ENGINE,
                    package.location,
                    f"{package.name} {package.version}: {row.advisory.id} not evaluated ({verdict.reason})",
                    (row.advisory.id,),
                )
            )
        elif verdict.affected:
            hits.extend((row.advisory, verdict.fixed, keys) for keys in _keys(row.advisory))
    exploited = db.exploited()
    matches = []
    for merged_ids, group in _groups(hits):
        ids = merged_ids | {advisory.id for advisory, _, _ in group}
        rated = max((a for a, _, _ in group), key=lambda a: (a.severity, a.rating.score or 0.0))
        fixes = [fixed for _, fixed, _ in group if fixed]
        kev_ids = sorted(i for i in ids if i in exploited)
        matches.append(
            Match(
                package=package,
                primary_id=_primary(merged_ids),
                ids=tuple(sorted(ids)),
                advisories=tuple(a for a, _, _ in group),
                severity=rated.severity,
                score=rated.rating.score,
                vector=rated.rating.vector,
                fixed=_highest_fix(package.ecosystem, fixes) if len(fixes) == len(group) else None,
                kev=db.kev_entry(kev_ids[0]) if kev_ids else None,
                epss=db.epss(tuple(sorted(i for i in ids if i.startswith("CVE-")))),
            )
        )
    return matches


def match_inventory(db: AdvisoryDB, inventory: Inventory) -> tuple[list[Match], list[Gap]]:
    """Every vulnerability of every package of ``inventory``, sorted by risk."""
    gaps: list[Gap] = list(inventory.gaps)
    matches: list[Match] = []
    uncovered: dict[tuple[str, str], int] = {}
    for package in inventory.packages:
        if not db.covers(package.ecosystem, package.release):
            key = (package.ecosystem, package.release)
            uncovered[key] = uncovered.get(key, 0) + 1
            continue
        matches.extend(match_package(db, package, gaps))
    for (ecosystem, release), count in sorted(uncovered.items()):
        name = f"{ecosystem} {release}".strip()
        gaps.append(
            Gap(
                ENGINE,
                inventory.target,
                f"{count} {name} package(s) not evaluated: the advisory database holds no {name} advisories "
                "(import them with `soryoku vuln db import`)",
            )
        )
    matches.sort(key=risk_order)
    return matches, gaps


def risk_order(item: Match) -> tuple[int, float, int, float, str, str, str]:
    """Sort key: KEV first, then EPSS probability, then severity, then CVSS score, then package and id."""
    return (
        0 if item.exploited else 1,
        -(item.epss.score if item.epss else 0.0),
        -int(item.severity),
        -(item.score or 0.0),
        item.package.name,
        item.package.location,
        item.primary_id,
    )


def finding_risk_order(finding: Finding) -> tuple[int, int, float, str]:
    """Sort key of built findings, the same order as ``risk_order``: KEV, severity, CVSS score."""
    vulnerability = finding.vulnerabilities[0] if finding.vulnerabilities else None
    exploited = bool(vulnerability and vulnerability.is_exploit_available)
    cvss = (vulnerability.cve.cvss or [{}])[0] if vulnerability and vulnerability.cve else {}
    return (
        0 if exploited else 1,
        -int(finding.severity_id),
        -float(cvss.get("base_score") or 0.0),
        finding.uid,
    )


def _epss(item: Match) -> dict[str, object] | None:
    """OCSF ``epss``: the score (text, as the schema types it) and the percentile."""
    if item.epss is None:
        return None
    return {"score": f"{item.epss.score:.5f}", "percentile": item.epss.percentile}


def _summary(advisory: Advisory, limit: int = 120) -> str:
    """The record's summary, else the first sentence of its details (PyPA records have no summary)."""
    text = advisory.summary or " ".join(advisory.details.split())
    if not advisory.summary:
        text = text.split(". ")[0].removeprefix("**Resolved** ").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _title(item: Match) -> str:
    summary = next((s for s in (_summary(a) for a in item.advisories) if s), "")
    head = f"{item.primary_id} in {item.package.name} {item.package.version}"
    return f"{head}: {summary}" if summary else head


def to_finding(item: Match, *, resource: Resource | None = None, time: int | None = None) -> Finding:
    """The OCSF Vulnerability Finding of one match."""
    pkg = item.package
    eco = ECOSYSTEMS.get(pkg.ecosystem)
    fix_text = f"Upgrade {pkg.name} to {item.fixed} or later." if item.fixed else "No fixed version yet."
    affected = AffectedPackage(
        name=pkg.name,
        version=pkg.version,
        purl=pkg.purl,
        path=pkg.location,
        fixed_in_version=item.fixed,
        package_manager=eco.manager if eco else None,
        type=pkg.ecosystem,
        remediation=Remediation(desc=fix_text),
    )
    details = next((a.details for a in item.advisories if a.details), "")
    references = sorted({r for a in item.advisories for r in a.references})
    cvss = [{"version": item.vector.split("/")[0].removeprefix("CVSS:"), "base_score": item.score,
             "vector_string": item.vector}] if item.vector and item.score is not None else None  # fmt: skip
    vulnerability = Vulnerability(
        title=_title(item),
        desc=details[:4000] or None,
        severity=item.severity.label,
        cve=Cve(uid=item.cves[0], cvss=cvss, epss=_epss(item), desc=details[:4000] or None)
        if item.cves
        else None,
        affected_packages=[affected],
        references=references[:50] or None,
        related_vulnerabilities=[i for i in item.ids if i != item.primary_id] or None,
        is_exploit_available=item.exploited,
        fix_available=item.fixed is not None,
        remediation=Remediation(desc=fix_text),
    )
    unmapped: dict[str, object] = {
        "ids": list(item.ids),
        "ecosystem": pkg.ecosystem,
        "release": pkg.release or None,
        "matched_as": f"{pkg.match_name} {pkg.match_version}",
        "advisory_records": [a.id for a in item.advisories],
    }
    if item.kev is not None:
        unmapped["kev"] = {
            "cve": item.kev.cve,
            "date_added": item.kev.date_added,
            "due_date": item.kev.due_date,
            "known_ransomware_campaign_use": item.kev.ransomware,
        }
    exploited = " Known exploited (CISA KEV)." if item.exploited else ""
    return vulnerability_finding(
        advisory_id=item.primary_id,
        title=_title(item),
        severity=item.severity,
        package=affected,
        location=pkg.location,
        vulnerability=vulnerability,
        resources=[resource] if resource is not None else None,
        account_id=resource.account_uid if resource is not None else None,
        region=resource.region if resource is not None else None,
        message=f"{pkg.name} {pkg.version} is affected by {', '.join(item.ids)}. {fix_text}{exploited}",
        time=time,
        unmapped={k: v for k, v in unmapped.items() if v is not None},
    )


def scan_inventory(
    db: AdvisoryDB, inventory: Inventory, *, ignore_unfixed: bool = False, resource: Resource | None = None
) -> ScanResult:
    """Match an inventory and build its ScanResult (findings sorted by risk).

    ``resource`` names what was scanned (an EC2 instance, a Lambda function) when it is known;
    otherwise each finding's resource is its package location.
    """
    started = now_ms()
    matches, gaps = match_inventory(db, inventory)
    if ignore_unfixed:
        matches = [m for m in matches if m.fixed is not None]
    findings = [to_finding(m, resource=resource, time=started) for m in matches]
    return ScanResult(
        engine=ENGINE,
        scope=inventory.target,
        findings=findings,
        gaps=gaps,
        started_ms=started,
        finished_ms=now_ms(),
    )


def scan_inventories(
    db: AdvisoryDB,
    scope: str,
    inventories: Sequence[tuple[Inventory, Resource | None]],
    *,
    ignore_unfixed: bool = False,
) -> ScanResult:
    """Scan several inventories of one target (a function and its layers) into one ScanResult."""
    result = ScanResult(engine=ENGINE, scope=scope, started_ms=now_ms())
    for inventory, resource in inventories:
        result.extend(scan_inventory(db, inventory, ignore_unfixed=ignore_unfixed, resource=resource))
    result.findings.sort(key=finding_risk_order)
    result.finished_ms = now_ms()
    return result


def scan_path(
    db: AdvisoryDB,
    target: Path,
    *,
    ignore_unfixed: bool = False,
    label: str | None = None,
    resource: Resource | None = None,
) -> ScanResult:
    """Catalog ``target`` and match it (``label`` names it in locations and the scope)."""
    return scan_inventory(db, catalog(target, label=label), ignore_unfixed=ignore_unfixed, resource=resource)


__all__ = [
    "Match",
    "match_inventory",
    "match_package",
    "risk_order",
    "scan_inventory",
    "scan_path",
    "to_finding",
]
