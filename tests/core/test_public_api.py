"""Pin the public API of soryoku.core so that a change to it is a visible decision."""

from __future__ import annotations

import subprocess
import sys

import soryoku.core


def test_core_exports() -> None:
    assert sorted(soryoku.core.__all__) == sorted(
        [
            "AffectedPackage",
            "Compliance",
            "ConfigError",
            "Coverage",
            "CredentialsError",
            "Evidence",
            "ExitCode",
            "Finding",
            "FindingClass",
            "Gap",
            "InputError",
            "OutputPathError",
            "Registry",
            "Remediation",
            "Resource",
            "ResultStatus",
            "ScanIncompleteError",
            "ScanResult",
            "Severity",
            "SoryokuError",
            "StoreError",
            "UnknownFormatError",
            "Vulnerability",
            "WorkflowStatus",
            "compliance_finding",
            "detection_finding",
            "now_ms",
            "stable_uid",
            "vulnerability_finding",
        ]
    )


def test_core_imports_nothing_else_of_soryoku() -> None:
    code = (
        "import sys, soryoku.core; "
        "print(sorted(m for m in sys.modules if m.startswith('soryoku.') "
        "and not m.startswith('soryoku.core')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
