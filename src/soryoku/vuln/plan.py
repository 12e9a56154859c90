"""The patch plan (Patch Manager's role): per vulnerable package, the lowest version that fixes all
of its known vulnerabilities, and the package-manager command that installs it.

The target starts at the highest fix among the package's findings; if any advisory of the package
still affects that version (a later regression, a second range), it moves to that advisory's fix,
until no known advisory affects it or no fix exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.catalogers.base import Package
from soryoku.vuln.ecosystems import ECOSYSTEMS
from soryoku.vuln.matcher import match
from soryoku.vuln.scanner import Match
from soryoku.vuln.versions import parse_version

_MAX_STEPS = 50

# {name} and {version} are filled in; OS commands upgrade to the newest build of the repository,
# which is at least the planned version once the distro has published the fix.
_COMMANDS = {
    "apt": "apt-get install --only-upgrade -y {name}",
    "apk": "apk add --upgrade '{name}>={version}'",
    "dnf": "dnf upgrade -y '{name} >= {version}'",
    "pip": "pip install '{name}=={version}'",
    "npm": "npm install {name}@{version}",
    "go": "go get {name}@{version}",
    "cargo": "cargo update -p {name} --precise {version}",
    "bundler": "bundle update --conservative {name}",
    "composer": "composer update {name} --with {name}:{version}",
    "maven": "# set {name} to {version} in pom.xml",
    "nuget": "dotnet add package {name} --version {version}",
}


@dataclass(frozen=True, slots=True)
class Upgrade:
    """One package's minimal upgrade."""

    package: Package
    target: str | None
    fixes: tuple[str, ...]
    unfixed: tuple[str, ...]
    command: str | None
    manager: str

    @property
    def name(self) -> str:
        """The package's name."""
        return self.package.name


def _highest(ecosystem: str, versions: list[str]) -> str | None:
    best: str | None = None
    for version in versions:
        if best is None:
            best = version
            continue
        a, b = parse_version(ecosystem, version), parse_version(ecosystem, best)
        if a is not None and b is not None and b < a:
            best = version
    return best


def minimal_fix(db: AdvisoryDB, package: Package, start: str) -> str | None:
    """The lowest version ≥ ``start`` that no known advisory of the package affects (or None)."""
    rows = db.for_package(package.ecosystem, package.match_name, package.release)
    candidate = start
    for _ in range(_MAX_STEPS):
        blocking = [match(r.affected, candidate) for r in rows]
        affected = [v for v in blocking if v.affected]
        if not affected:
            return candidate
        fixes = [v.fixed for v in affected]
        if any(f is None for f in fixes):
            return None
        following = _highest(package.ecosystem, [f for f in fixes if f])
        if following is None or following == candidate:
            return None
        candidate = following
    return None


def plan_upgrades(db: AdvisoryDB, matches: list[Match]) -> list[Upgrade]:
    """One Upgrade per vulnerable package (per location), sorted by package name."""
    by_package: dict[Package, list[Match]] = {}
    for item in matches:
        by_package.setdefault(item.package, []).append(item)
    upgrades = []
    for package, items in by_package.items():
        fixed = [m for m in items if m.fixed]
        unfixed = tuple(sorted(m.primary_id for m in items if not m.fixed))
        start = _highest(package.ecosystem, [m.fixed for m in fixed if m.fixed])
        target = minimal_fix(db, package, start) if start else None
        eco = ECOSYSTEMS.get(package.ecosystem)
        manager = eco.manager if eco else package.ecosystem
        template = _COMMANDS.get(manager)
        command = template.format(name=package.name, version=target) if template and target else None
        upgrades.append(
            Upgrade(
                package=package,
                target=target,
                fixes=tuple(sorted(m.primary_id for m in fixed)),
                unfixed=unfixed,
                command=command,
                manager=manager,
            )
        )
    upgrades.sort(key=lambda u: (u.package.ecosystem, u.package.name.lower(), u.package.location))
    return upgrades


_OS_MANAGERS = {"apt": "apt-get update", "apk": "apk update", "dnf": "dnf makecache"}


def ssm_document(upgrades: list[Upgrade], target: str) -> dict[str, object]:
    """An SSM Command document (schema 2.2, ``aws:runShellScript``) applying the OS upgrades.

    Application dependencies (pip, npm …) are changed in their lockfiles and rebuilt, not patched
    in place on a host: they are listed as comments, not run.
    """
    os_upgrades = [u for u in upgrades if u.command and u.manager in _OS_MANAGERS]
    refresh = sorted({_OS_MANAGERS[u.manager] for u in os_upgrades})
    commands = ["set -eu", *refresh, *sorted({u.command for u in os_upgrades if u.command})]
    commands += [
        f"# application dependency, change its lockfile: {u.command} ({u.package.location})"
        for u in upgrades
        if u.command and u.manager not in _OS_MANAGERS
    ]
    fixed = sum(len(u.fixes) for u in upgrades)
    return {
        "schemaVersion": "2.2",
        "description": f"soryoku patch plan for {target}: {len(os_upgrades)} package upgrades fixing "
        f"{fixed} known vulnerabilities",
        "mainSteps": [
            {
                "action": "aws:runShellScript",
                "name": "applySoryokuPatchPlan",
                "precondition": {"StringEquals": ["platformType", "Linux"]},
                "inputs": {"runCommand": commands, "timeoutSeconds": "3600"},
            }
        ],
    }


def plan_as_dict(upgrades: list[Upgrade]) -> dict[str, object]:
    """The plan as JSON-ready data."""
    return {
        "upgrades": [
            {
                "package": u.package.name,
                "ecosystem": u.package.ecosystem,
                "purl": u.package.purl,
                "location": u.package.location,
                "current": u.package.version,
                "target": u.target,
                "fixes": list(u.fixes),
                "unfixed": list(u.unfixed),
                "manager": u.manager,
                "command": u.command,
            }
            for u in upgrades
        ],
        "commands": sorted({u.command for u in upgrades if u.command}),
    }


__all__ = ["Upgrade", "minimal_fix", "plan_as_dict", "plan_upgrades", "ssm_document"]
