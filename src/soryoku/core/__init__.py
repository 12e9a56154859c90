"""The shared kernel: Finding model, severity, statuses, stable ids, registry and errors.

``soryoku.core`` imports nothing else of soryoku's.
"""

from soryoku.core.errors import (
    ConfigError,
    CredentialsError,
    ExitCode,
    InputError,
    OutputPathError,
    ScanIncompleteError,
    SoryokuError,
    StoreError,
    UnknownFormatError,
)
from soryoku.core.finding import (
    AffectedPackage,
    Compliance,
    Evidence,
    Finding,
    FindingClass,
    Remediation,
    Resource,
    ResultStatus,
    Vulnerability,
    WorkflowStatus,
    compliance_finding,
    detection_finding,
    now_ms,
    stable_uid,
    vulnerability_finding,
)
from soryoku.core.registry import Registry
from soryoku.core.result import Coverage, Gap, ScanResult
from soryoku.core.severity import Severity

__all__ = [
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
