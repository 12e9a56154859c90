"""The Finding: one pydantic model shaped after OCSF 1.x, for every engine.

Three OCSF classes share it (category 2, Findings):

* Vulnerability Finding (2002) — vuln; requires ``vulnerabilities``.
* Compliance Finding (2003) — posture; requires ``compliance``.
* Detection Finding (2004) — detect, content, shield, host.

``Finding.to_ocsf()`` gives valid OCSF JSON (``None`` fields left out); soryoku's own facts that
OCSF has no attribute for go in ``unmapped``. Engines build findings with the ``compliance_finding``,
``detection_finding`` and ``vulnerability_finding`` constructors, which fill the derived ids.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from soryoku import __version__
from soryoku.core.severity import Severity

OCSF_VERSION = "1.3.0"
PRODUCT_NAME = "soryoku"
VENDOR_NAME = "soryoku"
CATEGORY_FINDINGS: Literal[2] = 2


class FindingClass(IntEnum):
    """OCSF class_uid of the finding classes soryoku emits."""

    VULNERABILITY = 2002
    COMPLIANCE = 2003
    DETECTION = 2004

    @property
    def caption(self) -> str:
        """The OCSF class name, e.g. ``Compliance Finding``."""
        return f"{self.name.capitalize()} Finding"


class Activity(IntEnum):
    """OCSF finding ``activity_id``."""

    CREATE = 1
    UPDATE = 2
    CLOSE = 3


class WorkflowStatus(IntEnum):
    """OCSF finding ``status_id``: where the finding is in its life (set by the hub)."""

    NEW = 1
    IN_PROGRESS = 2
    SUPPRESSED = 3
    RESOLVED = 4

    @property
    def caption(self) -> str:
        """The OCSF caption, e.g. ``In Progress``."""
        return self.name.replace("_", " ").title()


class ResultStatus(StrEnum):
    """The verdict of a check or rule: OCSF ``status_code``.

    ``NOT_EVALUATED`` means the engine could not decide (access denied, API missing, region
    disabled, file unscannable): never a silent gap and never a false PASS.
    """

    PASS = "PASS"
    FAIL = "FAIL"
    NOT_EVALUATED = "NOT_EVALUATED"


class ComplianceStatus(IntEnum):
    """OCSF ``compliance.status_id``."""

    UNKNOWN = 0
    PASS = 1
    WARNING = 2
    FAIL = 3


_RESULT_TO_COMPLIANCE = {
    ResultStatus.PASS: ComplianceStatus.PASS,
    ResultStatus.FAIL: ComplianceStatus.FAIL,
    ResultStatus.NOT_EVALUATED: ComplianceStatus.WARNING,
}


class OcsfModel(BaseModel):
    """Base for OCSF objects: strict field names, ``None`` left out when serialised."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


class Feature(OcsfModel):
    """The engine of soryoku that produced a finding (OCSF ``product.feature``)."""

    name: str


class Product(OcsfModel):
    """OCSF ``product``."""

    name: str = PRODUCT_NAME
    vendor_name: str = VENDOR_NAME
    version: str = __version__
    feature: Feature | None = None


class Metadata(OcsfModel):
    """OCSF ``metadata``: the product and the schema version."""

    product: Product = Field(default_factory=Product)
    version: str = OCSF_VERSION
    event_code: str | None = None
    labels: list[str] | None = None


class Analytic(OcsfModel):
    """OCSF ``analytic``: the check or rule that produced the finding."""

    uid: str
    name: str | None = None
    type_id: int = 1  # Rule
    type: str = "Rule"
    category: str | None = None
    desc: str | None = None


class FindingInfo(OcsfModel):
    """OCSF ``finding_info``: identity and description of the finding."""

    uid: str
    title: str
    desc: str | None = None
    types: list[str] | None = None
    analytic: Analytic | None = None
    first_seen_time: int | None = None
    last_seen_time: int | None = None
    src_url: str | None = None
    attacks: list[dict[str, Any]] | None = None


class Account(OcsfModel):
    """OCSF ``account``."""

    uid: str
    type: str = "AWS Account"
    type_id: int = 10
    name: str | None = None


class Cloud(OcsfModel):
    """OCSF ``cloud``: provider, account, region."""

    provider: str = "AWS"
    account: Account | None = None
    region: str | None = None
    org: dict[str, Any] | None = None


class Resource(OcsfModel):
    """OCSF ``resource_details``: what the finding is about (uid is the ARN where one exists)."""

    uid: str
    type: str
    name: str | None = None
    region: str | None = None
    cloud_partition: str | None = None
    labels: list[str] | None = None
    tags: list[dict[str, str]] | None = None
    data: dict[str, Any] | None = None
    owner: dict[str, Any] | None = None

    @property
    def account_uid(self) -> str | None:
        """The AWS account id taken from an ARN-shaped uid, when there is one."""
        parts = self.uid.split(":")
        if len(parts) >= 6 and parts[0] == "arn" and parts[4]:
            return parts[4]
        return None


class Compliance(OcsfModel):
    """OCSF ``compliance``: the standards and controls a check implements and its verdict."""

    standards: list[str]
    control: str | None = None
    requirements: list[str] | None = None
    status_id: ComplianceStatus = ComplianceStatus.UNKNOWN
    status: str | None = None
    status_code: str | None = None
    status_detail: str | None = None


class Remediation(OcsfModel):
    """OCSF ``remediation``."""

    desc: str
    references: list[str] | None = None
    kb_article_list: list[dict[str, Any]] | None = None


class Evidence(OcsfModel):
    """OCSF ``evidences`` item; ``data`` holds the record keys or facts behind the finding."""

    data: dict[str, Any] | None = None
    actor: dict[str, Any] | None = None
    api: dict[str, Any] | None = None
    src_endpoint: dict[str, Any] | None = None
    dst_endpoint: dict[str, Any] | None = None
    file: dict[str, Any] | None = None
    query: dict[str, Any] | None = None


class AffectedPackage(OcsfModel):
    """OCSF ``affected_package``."""

    name: str
    version: str
    purl: str | None = None
    path: str | None = None
    fixed_in_version: str | None = None
    package_manager: str | None = None
    type: str | None = None
    remediation: Remediation | None = None


class Cve(OcsfModel):
    """OCSF ``cve``."""

    uid: str
    cvss: list[dict[str, Any]] | None = None
    epss: dict[str, Any] | None = None
    desc: str | None = None
    references: list[str] | None = None
    type: str | None = None


class Vulnerability(OcsfModel):
    """OCSF ``vulnerability`` (Vulnerability Details)."""

    title: str | None = None
    desc: str | None = None
    severity: str | None = None
    cve: Cve | None = None
    affected_packages: list[AffectedPackage] | None = None
    references: list[str] | None = None
    related_vulnerabilities: list[str] | None = None
    is_exploit_available: bool | None = None
    fix_available: bool | None = None
    remediation: Remediation | None = None
    vendor_name: str | None = None


class Finding(OcsfModel):
    """One finding of any soryoku engine, shaped after an OCSF 1.x finding class."""

    class_uid: FindingClass
    activity_id: Activity = Activity.CREATE
    category_uid: Literal[2] = CATEGORY_FINDINGS
    severity_id: Severity
    time: int = Field(description="event time, milliseconds since the epoch (OCSF timestamp_t)")
    # OCSF: the times of the least and most recent events included in the finding (detections).
    start_time: int | None = None
    end_time: int | None = None
    status_code: ResultStatus = ResultStatus.FAIL
    status_id: WorkflowStatus = WorkflowStatus.NEW
    status_detail: str | None = None
    message: str | None = None
    metadata: Metadata = Field(default_factory=Metadata)
    finding_info: FindingInfo
    resources: list[Resource] = Field(default_factory=list)
    cloud: Cloud | None = None
    compliance: Compliance | None = None
    remediation: Remediation | None = None
    evidences: list[Evidence] | None = None
    vulnerabilities: list[Vulnerability] | None = None
    malware: list[dict[str, Any]] | None = None
    risk_score: int | None = None
    unmapped: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _class_requirements(self) -> Finding:
        if self.class_uid is FindingClass.COMPLIANCE and self.compliance is None:
            raise ValueError("a Compliance Finding (2003) requires `compliance`")
        if self.class_uid is FindingClass.VULNERABILITY and not self.vulnerabilities:
            raise ValueError("a Vulnerability Finding (2002) requires `vulnerabilities`")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def type_uid(self) -> int:
        """OCSF ``type_uid`` = class_uid * 100 + activity_id."""
        return int(self.class_uid) * 100 + int(self.activity_id)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def severity(self) -> str:
        """OCSF ``severity`` caption."""
        return self.severity_id.label

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> str:
        """OCSF ``status`` caption of ``status_id``."""
        return self.status_id.caption

    @computed_field  # type: ignore[prop-decorator]
    @property
    def class_name(self) -> str:
        """OCSF ``class_name``."""
        return self.class_uid.caption

    @computed_field  # type: ignore[prop-decorator]
    @property
    def category_name(self) -> str:
        """OCSF ``category_name``."""
        return "Findings"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def activity_name(self) -> str:
        """OCSF ``activity_name``."""
        return self.activity_id.name.capitalize()

    # -- conveniences used by the hub and the writers (not serialised) --

    @property
    def uid(self) -> str:
        """The stable identity of the finding (``finding_info.uid``)."""
        return self.finding_info.uid

    @property
    def check_id(self) -> str:
        """The id of the check or rule that produced the finding."""
        analytic = self.finding_info.analytic
        return analytic.uid if analytic else ""

    @property
    def engine(self) -> str:
        """The soryoku engine (layer) that produced the finding."""
        feature = self.metadata.product.feature
        return feature.name if feature else ""

    @property
    def account_uid(self) -> str | None:
        """The AWS account the finding belongs to, when known."""
        if self.cloud and self.cloud.account:
            return self.cloud.account.uid
        for resource in self.resources:
            if resource.account_uid:
                return resource.account_uid
        return None

    @property
    def region(self) -> str | None:
        """The region of the finding, when known."""
        if self.cloud and self.cloud.region:
            return self.cloud.region
        return next((r.region for r in self.resources if r.region), None)

    @property
    def resource_uid(self) -> str:
        """The uid of the first resource, or ``""``."""
        return self.resources[0].uid if self.resources else ""

    def to_ocsf(self) -> dict[str, Any]:
        """The finding as an OCSF JSON object (enums as their numbers, ``None`` left out)."""
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_ocsf(cls, data: dict[str, Any]) -> Finding:
        """Rebuild a finding from ``to_ocsf()`` output (derived captions are ignored)."""
        derived = {"type_uid", "severity", "status", "class_name", "category_name", "activity_name"}
        return cls.model_validate({k: v for k, v in data.items() if k not in derived})


def stable_uid(*parts: str) -> str:
    """A stable finding uid: a hash of what identifies the finding (check + resource, …)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"soryoku-{digest[:32]}"


def now_ms() -> int:
    """The current time as an OCSF timestamp (milliseconds since the epoch)."""
    return int(datetime.now(UTC).timestamp() * 1000)


def _cloud(account_id: str | None, region: str | None) -> Cloud | None:
    if account_id is None and region is None:
        return None
    return Cloud(account=Account(uid=account_id) if account_id else None, region=region)


def compliance_finding(
    *,
    check_id: str,
    title: str,
    status: ResultStatus,
    severity: Severity,
    resource: Resource,
    standards: list[str],
    requirements: list[str] | None = None,
    message: str | None = None,
    desc: str | None = None,
    remediation: str | None = None,
    references: list[str] | None = None,
    account_id: str | None = None,
    region: str | None = None,
    engine: str = "posture",
    time: int | None = None,
    unmapped: dict[str, Any] | None = None,
) -> Finding:
    """Build a Compliance Finding (2003) for one check over one resource."""
    return Finding(
        class_uid=FindingClass.COMPLIANCE,
        severity_id=severity,
        time=time if time is not None else now_ms(),
        status_code=status,
        status_detail=message,
        message=message,
        metadata=Metadata(product=Product(feature=Feature(name=engine))),
        finding_info=FindingInfo(
            uid=stable_uid(check_id, resource.uid),
            title=title,
            desc=desc,
            analytic=Analytic(uid=check_id, name=title),
        ),
        resources=[resource],
        cloud=_cloud(account_id or resource.account_uid, region or resource.region),
        compliance=Compliance(
            standards=standards or ["soryoku"],
            requirements=requirements or None,
            control=check_id,
            status_id=_RESULT_TO_COMPLIANCE[status],
            status=_RESULT_TO_COMPLIANCE[status].name.capitalize(),
            status_code=status.value,
            status_detail=message,
        ),
        remediation=Remediation(desc=remediation, references=references) if remediation else None,
        unmapped=unmapped,
    )


def detection_finding(
    *,
    rule_id: str,
    title: str,
    severity: Severity,
    evidence_key: str,
    engine: str,
    resources: list[Resource] | None = None,
    message: str | None = None,
    desc: str | None = None,
    types: list[str] | None = None,
    evidences: list[Evidence] | None = None,
    remediation: str | None = None,
    references: list[str] | None = None,
    attacks: list[dict[str, Any]] | None = None,
    malware: list[dict[str, Any]] | None = None,
    account_id: str | None = None,
    region: str | None = None,
    time: int | None = None,
    first_seen_time: int | None = None,
    last_seen_time: int | None = None,
    start_time: int | None = None,
    end_time: int | None = None,
    unmapped: dict[str, Any] | None = None,
) -> Finding:
    """Build a Detection Finding (2004): a rule that matched on some evidence.

    ``start_time``/``end_time`` are the least and most recent matching events; they survive the
    findings store (whose lifecycle owns ``first_seen_time``/``last_seen_time``).
    """
    return Finding(
        class_uid=FindingClass.DETECTION,
        severity_id=severity,
        time=time if time is not None else now_ms(),
        start_time=start_time,
        end_time=end_time,
        status_code=ResultStatus.FAIL,
        message=message,
        metadata=Metadata(product=Product(feature=Feature(name=engine))),
        finding_info=FindingInfo(
            uid=stable_uid(rule_id, evidence_key),
            title=title,
            desc=desc,
            types=types,
            analytic=Analytic(uid=rule_id, name=title),
            attacks=attacks,
            first_seen_time=first_seen_time,
            last_seen_time=last_seen_time,
        ),
        resources=resources or [],
        cloud=_cloud(account_id, region),
        remediation=Remediation(desc=remediation, references=references) if remediation else None,
        evidences=evidences,
        malware=malware,
        unmapped=unmapped,
    )


def vulnerability_finding(
    *,
    advisory_id: str,
    title: str,
    severity: Severity,
    package: AffectedPackage,
    location: str,
    vulnerability: Vulnerability,
    resources: list[Resource] | None = None,
    message: str | None = None,
    account_id: str | None = None,
    region: str | None = None,
    time: int | None = None,
    unmapped: dict[str, Any] | None = None,
) -> Finding:
    """Build a Vulnerability Finding (2002): one advisory hitting one package at one location."""
    fix = package.fixed_in_version
    return Finding(
        class_uid=FindingClass.VULNERABILITY,
        severity_id=severity,
        time=time if time is not None else now_ms(),
        status_code=ResultStatus.FAIL,
        message=message,
        metadata=Metadata(product=Product(feature=Feature(name="vuln"))),
        finding_info=FindingInfo(
            uid=stable_uid(advisory_id, package.name, package.version, location),
            title=title,
            analytic=Analytic(uid=advisory_id, name=title),
        ),
        resources=resources or [Resource(uid=location, type="Package Location")],
        cloud=_cloud(account_id, region),
        vulnerabilities=[vulnerability],
        remediation=Remediation(desc=f"Upgrade {package.name} to {fix} or later.") if fix else None,
        unmapped=unmapped,
    )


__all__ = [
    "OCSF_VERSION",
    "Account",
    "Activity",
    "AffectedPackage",
    "Analytic",
    "Cloud",
    "Compliance",
    "ComplianceStatus",
    "Cve",
    "Evidence",
    "Feature",
    "Finding",
    "FindingClass",
    "FindingInfo",
    "Metadata",
    "Product",
    "Remediation",
    "Resource",
    "ResultStatus",
    "Vulnerability",
    "WorkflowStatus",
    "compliance_finding",
    "detection_finding",
    "now_ms",
    "stable_uid",
    "vulnerability_finding",
]
