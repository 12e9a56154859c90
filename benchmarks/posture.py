"""Posture benchmark: a full ``soryoku posture`` scan against Prowler over the same seeded moto server.

Starts ``moto_server`` (a separate process both tools talk to over HTTP), seeds it with about
1,100 resources (``--scale`` multiplies the counts) across S3, EC2 (security groups, EBS volumes),
KMS, SQS, SNS, DynamoDB, ECR, IAM (users, roles), Secrets Manager and CloudWatch Logs, a known part
of them deliberately misconfigured, then times, wall clock, each tool as a subprocess:

* ``soryoku posture --region us-east-1`` (every registered check);
* Prowler, installed from PyPI into its own venv under ``--cache-dir`` (never a project
  dependency), run offline with dummy credentials, ``AWS_ENDPOINT_URL`` and
  ``HTTP_PROXY``/``HTTPS_PROXY`` pointing at the moto server (host-prefixed APIs such as S3 Control),
  ``--scan-unused-services``, limited to the same region.

It prints both times, the ratio, and how many of the seeded misconfigurations each tool reported
as FAIL (coverage). When Prowler cannot be installed or run, it says exactly why and still prints
soryoku's figures. Usage::

    python benchmarks/posture.py [--scale 1.0] [--cache-dir DIR] [--skip-prowler] [--prowler-timeout 1800]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

REGION = "us-east-1"
PROWLER_SPEC = "prowler"


@dataclass(slots=True)
class Misconfig:
    """One kind of seeded misconfiguration: the check of each tool that should report it."""

    label: str
    soryoku_check: str
    prowler_check: str
    markers: list[str] = field(default_factory=list)  # text found in each bad resource's uid/name


@dataclass(slots=True)
class Seeded:
    """What was seeded: the resource count and the misconfigurations by kind."""

    resources: int = 0
    kinds: dict[str, Misconfig] = field(default_factory=dict)

    def kind(self, label: str, soryoku_check: str, prowler_check: str) -> Misconfig:
        return self.kinds.setdefault(label, Misconfig(label, soryoku_check, prowler_check))

    @property
    def total_bad(self) -> int:
        return sum(len(k.markers) for k in self.kinds.values())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    """``moto_server`` on a free port, in its own process; returns it and its URL once it answers."""
    port = _free_port()
    binary = Path(sys.executable).parent / "moto_server"
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "false"}
    process = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=2).read()
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"moto_server did not answer on {url}")


def _clients() -> Callable[[str], Any]:
    session = boto3.Session(region_name=REGION)
    config = Config(retries={"max_attempts": 2}, max_pool_connections=16)
    cache: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in cache:
            cache[service] = session.client(service, config=config)
        return cache[service]

    return client


def _parallel(function: Callable[[int], None], count: int) -> None:
    # one thread: moto's backends are not thread-safe (concurrent CreateSecurityGroup answers HTTP 500)
    with ThreadPoolExecutor(max_workers=1) as pool:
        list(pool.map(function, range(count)))


def seed(scale: float) -> Seeded:
    """Create the resources (about 1,140 at scale 1) and the misconfigurations among them."""
    aws = _clients()
    for service in ("s3", "ec2", "kms", "sqs", "sns", "dynamodb", "ecr", "iam", "secretsmanager", "logs"):
        aws(service)  # create clients once, before the threads share them
    seeded = Seeded()

    def n(count: int) -> int:
        return max(2, int(count * scale))

    buckets = n(150)
    versioning = seeded.kind(
        "S3 bucket without versioning", "s3_bucket_versioning_enabled", "s3_bucket_object_versioning"
    )

    def bucket(i: int) -> None:
        name = f"bench-bucket-{i}" if i % 5 < 3 else f"bench-nover-{i}"
        aws("s3").create_bucket(Bucket=name)
        if i % 5 < 3:
            aws("s3").put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})

    _parallel(bucket, buckets)
    versioning.markers = [f"bench-nover-{i}" for i in range(buckets) if i % 5 >= 3]

    vpc = aws("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    groups = n(100)
    ssh = seeded.kind(
        "security group with SSH open to the world",
        "ec2_securitygroup_ingress_port_22_open_to_internet",
        "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22",
    )
    ssh_ids: list[str] = []

    def group(i: int) -> None:
        bad = i % 4 == 0
        name = f"bench-ssh-{i}" if bad else f"bench-sg-{i}"
        group_id = aws("ec2").create_security_group(GroupName=name, Description="bench", VpcId=vpc)["GroupId"]
        source = "0.0.0.0/0" if bad else "10.0.0.0/8"
        port = 22 if bad else 443
        aws("ec2").authorize_security_group_ingress(
            GroupId=group_id,
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": source}]}
            ],
        )
        if bad:
            ssh_ids.append(group_id)

    _parallel(group, groups)
    ssh.markers = ssh_ids

    volumes = n(100)
    _parallel(
        lambda i: aws("ec2").create_volume(Size=1, AvailabilityZone=f"{REGION}a", Encrypted=i % 2 == 0),
        volumes,
    )

    keys = n(30)
    rotation = seeded.kind("KMS key without rotation", "kms_cmk_rotation_enabled", "kms_cmk_rotation_enabled")
    unrotated: list[str] = []

    def key(i: int) -> None:
        key_id = aws("kms").create_key(Description=f"bench-key-{i}")["KeyMetadata"]["KeyId"]
        if i % 2 == 0:
            aws("kms").enable_key_rotation(KeyId=key_id)
        else:
            unrotated.append(key_id)

    _parallel(key, keys)
    rotation.markers = unrotated

    queues = n(150)
    sqs_plain = seeded.kind(
        "SQS queue not encrypted", "sqs_queue_encrypted", "sqs_queues_server_side_encryption_enabled"
    )

    def queue(i: int) -> None:
        if i % 2:
            aws("sqs").create_queue(
                QueueName=f"bench-plainq-{i}", Attributes={"SqsManagedSseEnabled": "false"}
            )
        else:
            aws("sqs").create_queue(
                QueueName=f"bench-queue-{i}", Attributes={"KmsMasterKeyId": "alias/aws/sqs"}
            )

    _parallel(queue, queues)
    sqs_plain.markers = [f"bench-plainq-{i}" for i in range(queues) if i % 2]

    topics = n(150)
    sns_plain = seeded.kind(
        "SNS topic not encrypted", "sns_topic_encrypted_kms", "sns_topics_kms_encryption_at_rest_enabled"
    )

    def topic(i: int) -> None:
        if i % 2:
            aws("sns").create_topic(Name=f"bench-plaint-{i}")
        else:
            aws("sns").create_topic(Name=f"bench-topic-{i}", Attributes={"KmsMasterKeyId": "alias/aws/sns"})

    _parallel(topic, topics)
    sns_plain.markers = [f"bench-plaint-{i}" for i in range(topics) if i % 2]

    tables = n(80)
    pitr = seeded.kind(
        "DynamoDB table without PITR", "dynamodb_table_point_in_time_recovery", "dynamodb_tables_pitr_enabled"
    )

    def table(i: int) -> None:
        name = f"bench-table-{i}" if i % 2 == 0 else f"bench-nopitr-{i}"
        aws("dynamodb").create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        if i % 2 == 0:
            aws("dynamodb").update_continuous_backups(
                TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
            )

    _parallel(table, tables)
    pitr.markers = [f"bench-nopitr-{i}" for i in range(tables) if i % 2]

    repositories = n(60)
    scan = seeded.kind(
        "ECR repository without scan on push",
        "ecr_repository_scan_on_push_enabled",
        "ecr_repositories_scan_images_on_push_enabled",
    )
    _parallel(
        lambda i: aws("ecr").create_repository(
            repositoryName=f"bench-repo-{i}" if i % 2 == 0 else f"bench-noscan-{i}",
            imageScanningConfiguration={"scanOnPush": i % 2 == 0},
        ),
        repositories,
    )
    scan.markers = [f"bench-noscan-{i}" for i in range(repositories) if i % 2]

    users = n(150)
    mfa = seeded.kind(
        "console user without MFA",
        "iam_user_console_access_mfa_enabled",
        "iam_user_mfa_enabled_console_access",
    )

    def user(i: int) -> None:
        name = f"bench-nomfa-{i}" if i % 10 == 0 else f"bench-user-{i}"
        aws("iam").create_user(UserName=name)
        if i % 10 == 0:
            aws("iam").create_login_profile(UserName=name, Password="Bench-passw0rd-!!")

    _parallel(user, users)
    mfa.markers = [f"bench-nomfa-{i}" for i in range(users) if i % 10 == 0]

    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    roles = n(60)
    _parallel(
        lambda i: aws("iam").create_role(RoleName=f"bench-role-{i}", AssumeRolePolicyDocument=trust), roles
    )

    secrets = n(50)
    rotate = seeded.kind(
        "secret without rotation",
        "secretsmanager_secret_rotation_enabled",
        "secretsmanager_automatic_rotation_enabled",
    )
    _parallel(
        lambda i: aws("secretsmanager").create_secret(Name=f"bench-norotate-{i}", SecretString="s3cret"),
        secrets,
    )
    rotate.markers = [f"bench-norotate-{i}" for i in range(secrets)]

    log_groups = n(60)
    _parallel(lambda i: aws("logs").create_log_group(logGroupName=f"/bench/group-{i}"), log_groups)

    seeded.resources = (
        buckets
        + groups
        + volumes
        + keys
        + queues
        + topics
        + tables
        + repositories
        + users
        + roles
        + secrets
        + log_groups
    )
    return seeded


def _matches(text: str, marker: str) -> bool:
    # markers end in a number: "bench-nover-1" must not match "bench-nover-12"
    start = text.find(marker)
    while start != -1:
        end = start + len(marker)
        if end == len(text) or not text[end].isdigit():
            return True
        start = text.find(marker, start + 1)
    return False


def count_found(kind: Misconfig, texts: list[str]) -> int:
    """The seeded resources of ``kind`` named by one of ``texts`` (FAIL findings of the kind's check)."""
    return sum(1 for marker in kind.markers if any(_matches(text, marker) for text in texts))


def _ocsf_fails(
    findings: list[dict[str, Any]], check_of: Callable[[dict[str, Any]], str]
) -> dict[str, list[str]]:
    fails: dict[str, list[str]] = {}
    for finding in findings:
        if finding.get("status_code") != "FAIL":
            continue
        resources = json.dumps(finding.get("resources", [])) + json.dumps(finding.get("resource", {}))
        fails.setdefault(check_of(finding), []).append(resources)
    return fails


def _aws_env(url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key.lower() not in {"http_proxy", "https_proxy", "no_proxy"}
    }
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_ENDPOINT_URL=url,
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def run_soryoku(url: str, workdir: Path) -> tuple[float, dict[str, list[str]], str]:
    """Time a full ``soryoku posture`` scan; returns (seconds, FAILs by check, a note)."""
    out = workdir / "soryoku.ocsf.json"
    env = _aws_env(url)
    env.update(AWS_MAX_ATTEMPTS="2", SORYOKU_DB=str(workdir / "soryoku.db"))
    command = [
        str(Path(sys.executable).parent / "soryoku"),
        "posture",
        "--region",
        REGION,
        "-f",
        "json-ocsf",
        "-o",
        str(out),
        "--no-store",
        "-q",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1, 3) or not out.exists():
        raise RuntimeError(f"soryoku posture failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    findings = json.loads(out.read_text())
    fails = _ocsf_fails(findings, lambda f: str(f.get("finding_info", {}).get("analytic", {}).get("uid", "")))
    checks = {str(f.get("finding_info", {}).get("analytic", {}).get("uid", "")) for f in findings}
    return seconds, fails, f"{len(findings)} findings from {len(checks)} checks (exit {done.returncode})"


def prowler_venv(cache_dir: Path) -> tuple[Path | None, str]:
    """Prowler's venv under ``cache_dir`` (created and installed on first use): (binary, why not)."""
    venv = cache_dir / "prowler-venv"
    binary = venv / "bin" / "prowler"
    if binary.exists():
        return binary, ""
    python = shutil.which("python3") or sys.executable
    made = subprocess.run([python, "-m", "venv", str(venv)], capture_output=True, text=True, check=False)
    if made.returncode != 0:
        return None, f"cannot create a venv at {venv}: {made.stderr.strip()[-500:]}"
    print(f"installing Prowler from PyPI into {venv} …", flush=True)
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", PROWLER_SPEC],
        capture_output=True,
        text=True,
        check=False,
    )
    if pip.returncode != 0 or not binary.exists():
        return None, f"pip install {PROWLER_SPEC} failed: {(pip.stderr or pip.stdout).strip()[-800:]}"
    return binary, ""


def run_prowler(
    binary: Path, url: str, workdir: Path, timeout: float
) -> tuple[float, dict[str, list[str]], str]:
    """Time Prowler over the same server; returns (seconds, FAILs by check, a note)."""
    out_dir = workdir / "prowler"
    env = _aws_env(url)
    env.update(HTTP_PROXY=url, HTTPS_PROXY=url, http_proxy=url, https_proxy=url)
    command = [
        str(binary),
        "aws",
        "--region",
        REGION,
        "--scan-unused-services",
        "--no-banner",
        "--aws-retries-max-attempts",
        "1",
        "-M",
        "json-ocsf",
        "-o",
        str(out_dir),
        "-F",
        "bench",
        "-z",
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, {}, f"Prowler did not finish within {timeout:.0f} s"
    seconds = time.perf_counter() - started
    outputs = sorted(out_dir.glob("*.ocsf.json"))
    if not outputs:
        tail = (done.stderr or done.stdout).strip()[-1500:]
        return seconds, {}, f"Prowler wrote no OCSF output (exit {done.returncode}): {tail}"
    findings = json.loads(outputs[0].read_text() or "[]")
    fails = _ocsf_fails(findings, lambda f: str(f.get("metadata", {}).get("event_code", "")))
    checks = {str(f.get("metadata", {}).get("event_code", "")) for f in findings}
    return seconds, fails, f"{len(findings)} findings from {len(checks)} checks (exit {done.returncode})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the resource counts (1.0: ~1,140)")
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "soryoku-bench")
    parser.add_argument("--skip-prowler", action="store_true")
    parser.add_argument("--prowler-timeout", type=float, default=1800.0)
    args = parser.parse_args()

    process, url = start_moto()
    try:
        os.environ.update(_aws_env(url))
        started = time.perf_counter()
        seeded = seed(args.scale)
        print(
            f"seeded {seeded.resources} resources ({seeded.total_bad} deliberate misconfigurations, "
            f"{len(seeded.kinds)} kinds) in {time.perf_counter() - started:.1f} s on {url}",
            flush=True,
        )
        with tempfile.TemporaryDirectory(prefix="soryoku-bench-") as tmp:
            workdir = Path(tmp)
            soryoku_s, soryoku_fails, soryoku_note = run_soryoku(url, workdir)
            print(f"soryoku posture: {soryoku_s:.1f} s — {soryoku_note}", flush=True)
            prowler_s: float | None = None
            prowler_fails: dict[str, list[str]] = {}
            if args.skip_prowler:
                print("Prowler: skipped (--skip-prowler)")
            else:
                binary, why = prowler_venv(args.cache_dir)
                if binary is None:
                    print(f"Prowler: not run — {why}")
                else:
                    seconds, prowler_fails, note = run_prowler(binary, url, workdir, args.prowler_timeout)
                    print(f"Prowler: {seconds:.1f} s — {note}", flush=True)
                    if prowler_fails or "findings" in note:
                        prowler_s = seconds
    finally:
        process.terminate()
        process.wait(timeout=30)

    print()
    print(f"{'seeded misconfiguration':45} {'seeded':>6} {'soryoku':>8} {'Prowler':>8}")
    total_soryoku = total_prowler = 0
    for kind in seeded.kinds.values():
        found_s = count_found(kind, soryoku_fails.get(kind.soryoku_check, []))
        found_p = count_found(kind, prowler_fails.get(kind.prowler_check, []))
        total_soryoku += found_s
        total_prowler += found_p
        shown_p = str(found_p) if prowler_s is not None else "-"
        print(f"{kind.label:45} {len(kind.markers):>6} {found_s:>8} {shown_p:>8}")
    shown_total_p = str(total_prowler) if prowler_s is not None else "-"
    print(f"{'total':45} {seeded.total_bad:>6} {total_soryoku:>8} {shown_total_p:>8}")
    print()
    print(f"soryoku posture: {soryoku_s:.1f} s")
    if prowler_s is not None:
        print(f"Prowler:         {prowler_s:.1f} s")
        print(f"ratio:           soryoku is {prowler_s / soryoku_s:.1f}x faster")


if __name__ == "__main__":
    main()
