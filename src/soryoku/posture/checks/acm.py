"""ACM checks: certificates renewed before they expire, RSA keys of at least 2,048 bits."""

from __future__ import annotations

from collections.abc import Iterator

from soryoku.core.severity import Severity
from soryoku.inventory.acm import AcmCertificate
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

DAYS_TO_EXPIRATION = 30  # Security Hub's default for ACM.1


@check(
    "acm_certificate_expiration_check",
    service="acm",
    resource_type="AwsCertificateManagerCertificate",
    severity=Severity.MEDIUM,
    collectors=("acm.certificates",),
)
def expiration(cert: AcmCertificate, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when an issued (or already expired) certificate expires within 30 days."""
    if cert.status not in {"ISSUED", "EXPIRED"} or cert.not_after is None:
        return
    days = (cert.not_after - ctx.now).total_seconds() / 86400
    if days > DAYS_TO_EXPIRATION:
        yield passed(f"Certificate {cert.name} ({cert.type}) is valid for {int(days)} more days.")
    elif days < 0:
        yield failed(
            f"Certificate {cert.name} ({cert.type}) expired {int(-days)} days ago.", days_left=int(days)
        )
    else:
        renew = "re-import it" if cert.type == "IMPORTED" else "check why ACM has not renewed it"
        yield failed(
            f"Certificate {cert.name} ({cert.type}) expires in {int(days)} days; {renew}.",
            days_left=int(days),
        )


@check(
    "acm_certificate_rsa_key_length",
    service="acm",
    resource_type="AwsCertificateManagerCertificate",
    severity=Severity.HIGH,
    collectors=("acm.certificates",),
)
def rsa_key_length(cert: AcmCertificate, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when an RSA certificate's key is shorter than 2,048 bits (EC keys are out of scope)."""
    if not cert.key_algorithm.startswith("RSA"):
        return
    bits = int(cert.key_algorithm.split("_")[-1])
    if bits >= 2048:
        yield passed(f"Certificate {cert.name} uses a {bits}-bit RSA key.")
    else:
        yield failed(f"Certificate {cert.name} uses a {bits}-bit RSA key (at least 2,048 required).")
