"""``soryoku content scan`` end to end through ``soryoku.cli.app.main`` (local files; S3 in tests/content)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from soryoku.cli.app import main
from soryoku.content.samples import EICAR, encrypted_zip, nested_eicar_zip


@pytest.fixture(autouse=True)
def _rules_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORYOKU_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "rules-cache"))


def _invoke(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    raise AssertionError("main() returned without exiting")


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    folder = tmp_path / "uploads"
    (folder / "sub").mkdir(parents=True)
    (folder / "eicar.com").write_bytes(EICAR)
    (folder / "sub" / "bundle.zip").write_bytes(nested_eicar_zip())
    (folder / "locked.zip").write_bytes(encrypted_zip({"a.txt": b"secret"}))
    (folder / "letter.txt").write_text("dear reader\n")
    return folder


def test_scan_folder_jsonl_and_audit_log(
    uploads: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit = tmp_path / "audit.jsonl"
    code = _invoke(["content", "scan", str(uploads), "--format", "jsonl", "--audit-log", str(audit), "-q"])
    assert code == 3  # the encrypted zip could not be scanned: incomplete, never clean
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    findings = [o for o in lines if o.get("status_code") == "FAIL"]
    gaps = [o for o in lines if o.get("status_code") == "NOT_EVALUATED"]
    assert [g["resources"][0]["uid"] for g in gaps] == [str((uploads / "locked.zip").resolve())]
    assert len(findings) == 2
    by_name = {f["resources"][0]["name"]: f for f in findings}
    assert set(by_name) == {"eicar.com", "bundle.zip"}
    bundle = by_name["bundle.zip"]
    assert bundle["malware"][0]["path"] == "level1.tar.gz!level1.tar!level2.zip!eicar.com"
    assert bundle["metadata"]["product"]["feature"]["name"] == "content"
    assert bundle["unmapped"]["matches"][0]["meta"]["author"] == "soryoku"
    assert bundle["finding_info"]["title"] == "Malicious content: soryoku_eicar_test_file (by soryoku)"
    assert "(rule by soryoku)" in bundle["message"]
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    assert sorted((Path(r["uri"]).name, r["verdict"]) for r in records) == [
        ("bundle.zip", "malicious"),
        ("eicar.com", "malicious"),
        ("letter.txt", "clean"),
        ("locked.zip", "unscannable"),
    ]
    locked = next(r for r in records if r["uri"].endswith("locked.zip"))
    assert locked["reasons"] == ["object: encrypted zip member 'a.txt'"]
    assert all(r["bytes_scanned"] >= 0 and r["seconds"] >= 0 for r in records)


def test_fail_on_and_clean_exit_codes(uploads: Path, tmp_path: Path) -> None:
    assert (
        _invoke(
            [
                "content",
                "scan",
                str(uploads),
                "--fail-on",
                "high",
                "-f",
                "json-ocsf",
                "-q",
                "-o",
                str(tmp_path / "r.json"),
            ]
        )
        == 1
    )
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.txt").write_text("hello\n")
    assert (
        _invoke(
            [
                "content",
                "scan",
                str(clean),
                "--fail-on",
                "high",
                "-f",
                "json-ocsf",
                "-q",
                "-o",
                str(tmp_path / "c.json"),
            ]
        )
        == 0
    )


def test_hash_list_and_extra_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = tmp_path / "sample.bin"
    sample.write_bytes(b"MZ not really a program")
    listing = tmp_path / "bad.txt"
    listing.write_text(hashlib.sha256(sample.read_bytes()).hexdigest() + "\n")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.yar").write_text(
        'rule really { meta: author = "me" strings: $a = "really" condition: $a }'
    )
    (rules / "broken.yar").write_text("rule broken { condition: nope }")
    code = _invoke(
        [
            "content",
            "scan",
            str(sample),
            "--rules",
            str(rules),
            "--hash-list",
            str(listing),
            "-f",
            "jsonl",
            "-q",
        ]
    )
    assert code == 3  # a rule file did not compile: its rules were not evaluated
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    finding = next(o for o in objects if o.get("status_code") == "FAIL")
    assert {(m["provider"], m["name"]) for m in finding["malware"]} == {
        ("yara", "really"),
        ("hashlist", "bad.txt"),
    }
    gaps = [o for o in objects if o.get("status_code") == "NOT_EVALUATED"]
    assert any("broken.yar" in json.dumps(g) for g in gaps)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["content", "scan", "/no/such/path"], "no such file"),
        (["content", "scan", "s3://"], "expected s3://bucket"),
        (["content", "scan", ".", "--rules", "/no/rules"], "no such file or folder"),
        (["content", "scan", ".", "--engine", "nope"], "expected one of"),
        (["content", "scan", ".", "--format", "nope"], "--format"),
        (["content", "scan", ".", "--concurrency", "0"], "--concurrency"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _invoke(args) == 2
    assert message in capsys.readouterr().err


def test_package_builds_an_importable_lambda_zip(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    target = tmp_path / "lambda.zip"
    assert _invoke(["content", "package", "--output", str(target), "-q"]) == 0
    names = set(zipfile.ZipFile(target).namelist())
    assert "soryoku/content/handler.py" in names
    assert "soryoku/content/data/rules/soryoku_eicar.yar" in names
    assert any(n.startswith("yara") and n.endswith(".so") for n in names)
    assert not any(n.startswith(("soryoku/cli", "soryoku/hub", "boto3/")) for n in names)
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(target).extractall(unpacked)
    probe = (
        "import soryoku.content.handler as h; "
        "from soryoku.content.setup import build_scanner, ScannerSettings; "
        "b = build_scanner(ScannerSettings()); print(h.__file__); print(b.rule_count)"
    )
    done = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(unpacked)!r}); {probe}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={"SORYOKU_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.splitlines()[0].startswith(str(unpacked))
    assert int(done.stdout.splitlines()[1]) >= 2


@pytest.mark.moto
def test_scan_s3_prefix_with_tags_quarantine_and_checkpoint(
    aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import boto3

    s3 = boto3.client("s3")
    for bucket in ("drop", "jail"):
        s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket="drop", Key="u/eicar.com", Body=EICAR)
    s3.put_object(Bucket="drop", Key="u/ok.txt", Body=b"fine")
    audit = tmp_path / "audit.jsonl"
    ckpt = tmp_path / "ckpt.jsonl"
    args = [
        "content",
        "scan",
        "s3://drop/u/",
        "--tag",
        "--quarantine-bucket",
        "jail",
        "--checkpoint",
        str(ckpt),
    ]
    code = _invoke([*args, "--audit-log", str(audit), "-f", "jsonl", "-q", "--fail-on", "high"])
    assert code == 1
    [finding] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert finding["resources"][0]["uid"] == "arn:aws:s3:::drop/u/eicar.com"
    assert (finding["cloud"]["account"]["uid"], finding["cloud"]["region"]) == ("123456789012", "us-east-1")
    records = {json.loads(line)["uri"]: json.loads(line) for line in audit.read_text().splitlines()}
    assert records["s3://drop/u/eicar.com"]["actions"][1] == {
        "action": "quarantine",
        "ok": True,
        "detail": "moved to s3://jail/drop/u/eicar.com",
    }
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="drop")["Contents"]] == ["u/ok.txt"]
    assert _invoke([*args, "-f", "jsonl", "-q", "--fail-on", "high"]) == 0  # resumed: nothing left to scan
    s3.put_object(Bucket="drop", Key="u/locked.zip", Body=encrypted_zip({"a": b"b"}))
    assert _invoke([*args, "--quarantine-incomplete", "-f", "jsonl", "-q"]) == 3
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="drop")["Contents"]] == ["u/ok.txt"]
    assert "drop/u/locked.zip" in [o["Key"] for o in s3.list_objects_v2(Bucket="jail")["Contents"]]


@pytest.mark.moto
def test_missing_bucket_is_a_gap_not_a_clean_scan(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _invoke(["content", "scan", "s3://no-such-bucket/", "-f", "jsonl", "-q"]) == 3
    [gap] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert gap["status_code"] == "NOT_EVALUATED"
    assert "NoSuchBucket" in json.dumps(gap)


def test_rules_check_reports_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ok.yar").write_text("rule ok { condition: true }")
    assert _invoke(["content", "rules", "--rules", str(rules)]) == 0
    assert "3 files, 3 rules, 0 failed" in capsys.readouterr().out
    (rules / "bad.yar").write_text("rule bad { condition: nope }")
    assert (
        _invoke(["content", "rules", "--rules", str(rules), "--no-default-rules", "--engine", "yarax"]) == 3
    )
    out = capsys.readouterr().out
    assert "bad.yar" in out
    assert "2 files, 1 rules, 1 failed to compile" in out
