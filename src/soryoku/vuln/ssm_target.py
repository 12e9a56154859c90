"""``ec2:INSTANCE_ID`` — agentless: the installed OS packages of an EC2 instance, collected with
SSM Run Command (``AWS-RunShellScript``), then parsed and matched like a root filesystem.

The script prints os-release and the package database of whichever manager exists (dpkg in its
``status`` format, the apk database, or ``rpm -qa`` lines), gzip-compressed and base64-encoded so a
typical host fits in the 24,000 characters SSM returns inline. Collection (I/O) and parsing (pure)
are separate: parsing is tested on recorded output.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import time
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

from soryoku.core.errors import InputError
from soryoku.core.finding import Resource
from soryoku.core.result import Gap, ScanResult
from soryoku.vuln.advisories.store import AdvisoryDB
from soryoku.vuln.catalogers.base import FileContext, Package
from soryoku.vuln.catalogers.os_packages import parse_apk_installed, parse_dpkg_status, parse_os_release
from soryoku.vuln.catalogers.rpm import rpm_package
from soryoku.vuln.inventory import ENGINE, Inventory
from soryoku.vuln.scanner import scan_inventory

MARK = "### soryoku:"
# dpkg-query prints each package as a dpkg status stanza, which the dpkg cataloger reads
_DPKG_FORMAT = (
    "Package: ${Package}\\nStatus: ${Status}\\nSource: ${Source}\\n"
    "Version: ${Version}\\nArchitecture: ${Architecture}\\n\\n"
)
COLLECT_SCRIPT = f"""\
{{
echo '{MARK}os-release'; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
if command -v dpkg-query >/dev/null 2>&1; then
  echo '{MARK}dpkg'
  dpkg-query -W -f='{_DPKG_FORMAT}'
fi
if [ -f /lib/apk/db/installed ]; then echo '{MARK}apk'; cat /lib/apk/db/installed; fi
if command -v rpm >/dev/null 2>&1; then
  echo '{MARK}rpm'
  rpm -qa --qf '%{{NAME}}\\t%{{EPOCHNUM}}\\t%{{VERSION}}\\t%{{RELEASE}}\\t%{{ARCH}}\\t%{{SOURCERPM}}\\n'
fi
}} | gzip -c | base64 -w0
"""
_DONE = {"Success", "Failed", "Cancelled", "TimedOut", "Cancelling"}


def decode_output(stdout: str, origin: str) -> str:
    """The collected text from the command's base64+gzip output; InputError when it is unusable."""
    text = stdout.strip()
    if not text:
        raise InputError(f"{origin}: the SSM command printed nothing (is the SSM agent running the script?)")
    if "--output truncated--" in text:
        raise InputError(f"{origin}: SSM truncated the output; too many packages for inline output")
    try:
        return gzip.decompress(base64.b64decode(text, validate=True)).decode("utf-8", errors="replace")
    except (binascii.Error, OSError, EOFError) as exc:
        raise InputError(f"{origin}: the SSM command output is not the expected encoding ({exc})") from exc


def _sections(text: str) -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith(MARK):
            current = line[len(MARK) :].strip()
            sections[current] = []
        elif current:
            sections[current].append(line)
    return {name: "\n".join(lines) + "\n" for name, lines in sections.items()}


def parse_collected(text: str, target: str) -> Inventory:
    """An inventory from the collected text (os-release and one package database)."""
    sections = _sections(text)
    distro = parse_os_release(sections.get("os-release", "").encode())
    packages: list[Package] = []
    if "dpkg" in sections:
        context = FileContext("var/lib/dpkg/status", f"{target}:/var/lib/dpkg/status", distro)
        packages += parse_dpkg_status(sections["dpkg"].encode(), context)
    if "apk" in sections:
        context = FileContext("lib/apk/db/installed", f"{target}:/lib/apk/db/installed", distro)
        packages += parse_apk_installed(sections["apk"].encode(), context)
    if "rpm" in sections:
        context = FileContext("var/lib/rpm", f"{target}:rpm -qa", distro)
        for line in sections["rpm"].splitlines():
            fields = line.split("\t")
            if len(fields) == 6 and fields[1].isdigit():
                item = rpm_package(
                    fields[0], int(fields[1]), fields[2], fields[3], fields[4], fields[5], context
                )
                if item is not None:
                    packages.append(item)
    gaps: tuple[Gap, ...] = ()
    if not {"dpkg", "apk", "rpm"} & set(sections):
        gaps = (Gap(ENGINE, target, "no dpkg, apk or rpm package database found on the instance"),)
    return Inventory(target, "host", distro, tuple(packages), gaps)


def collect(
    instance_id: str,
    *,
    region: str | None = None,
    timeout: float = 300.0,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Run the collection script on the instance through SSM; its raw standard output."""
    import boto3

    from soryoku.aws.failures import failure_reason

    try:
        ssm = boto3.client("ssm", region_name=region)
        command = ssm.send_command(
            InstanceIds=[instance_id],
            DocumentName="AWS-RunShellScript",
            Comment="soryoku vuln: list installed packages (read-only)",
            Parameters={"commands": [COLLECT_SCRIPT]},
        )["Command"]["CommandId"]
        deadline = time.monotonic() + timeout
        while True:
            sleep(1.0)
            try:
                invocation = ssm.get_command_invocation(CommandId=command, InstanceId=instance_id)
            except ClientError as exc:  # the invocation appears a moment after send_command
                if "InvocationDoesNotExist" not in str(exc) or time.monotonic() > deadline:
                    raise
                continue
            if invocation["Status"] in _DONE or time.monotonic() > deadline:
                break
    except (ClientError, BotoCoreError) as exc:
        raise InputError(f"ec2:{instance_id}: cannot run the SSM command ({failure_reason(exc)})") from exc
    if invocation["Status"] != "Success":
        detail = str(invocation.get("StandardErrorContent", "")).strip()[:200]
        raise InputError(f"ec2:{instance_id}: SSM command ended {invocation['Status']}: {detail}")
    return str(invocation.get("StandardOutputContent", ""))


def instance_inventory(target: str, *, run: Callable[[str], str] | None = None) -> tuple[Inventory, Resource]:
    """Collect (``run``: instance id → stdout; default SSM) one instance's OS packages.

    A collection that fails (agent not running, command failed, output unusable) gives an
    inventory whose gap says why.
    """
    instance_id = target.removeprefix("ec2:")
    if not instance_id.startswith("i-"):
        raise InputError(f"TARGET {target!r}: expected ec2:i-… (an EC2 instance id)")
    label = f"ec2:{instance_id}"
    resource = Resource(uid=instance_id, type="AwsEc2Instance", name=instance_id)
    try:
        return parse_collected(decode_output((run or collect)(instance_id), label), label), resource
    except InputError as exc:
        return Inventory(label, "host", None, (), (Gap(ENGINE, label, str(exc)),)), resource


def scan_instance(
    db: AdvisoryDB,
    target: str,
    *,
    ignore_unfixed: bool = False,
    run: Callable[[str], str] | None = None,
) -> ScanResult:
    """Collect and scan one instance's OS packages."""
    inventory, resource = instance_inventory(target, run=run)
    return scan_inventory(db, inventory, ignore_unfixed=ignore_unfixed, resource=resource)


__all__ = [
    "COLLECT_SCRIPT",
    "collect",
    "decode_output",
    "instance_inventory",
    "parse_collected",
    "scan_instance",
]
