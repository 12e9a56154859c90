"""The summaries kept at ingest give exactly the findings a full rescan of the history gives."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from soryoku.detect.database import DetectContext, open_session
from soryoku.detect.engine import detect, evaluate, rule_source
from soryoku.detect.findings import build_finding
from soryoku.detect.rules import RULES
from soryoku.detect.simulate import build_dataset
from soryoku.detect.simulate.dataset import ops_admin
from soryoku.detect.simulate.events import ct
from soryoku.detect.simulate.layout import save
from soryoku.detect.sources import LogStore, ingest, list_local
from soryoku.detect.summaries import Manifest

from .conftest import logs_of

_START = datetime(2024, 5, 1)


def _findings(store: LogStore, ctx: DetectContext) -> list[dict[str, Any]]:
    """Every finding in full (OCSF form without the run's metadata), ordered by uid."""
    found = []
    for outcome in evaluate(store, ctx):
        assert outcome.gap is None or "not evaluated" in outcome.gap.reason, outcome.gap
        for group in outcome.groups:
            data = build_finding(outcome.rule, group).to_ocsf()
            data.pop("metadata", None)
            found.append(data)
    return sorted(found, key=lambda f: json.dumps(f, sort_keys=True))


def _without_summaries(store: LogStore, tmp: Path) -> LogStore:
    """A copy of ``store`` as an older version wrote it: records only, read by full scans."""
    copy = LogStore(tmp / "no-summaries")
    shutil.copytree(store.root, copy.root)
    shutil.rmtree(copy.summaries_dir)
    return copy


@pytest.fixture(scope="module")
def dataset_files() -> dict[str, bytes]:
    return build_dataset(_START, custom_flows=True, hours_per_file=4).files


@pytest.fixture(scope="module")
def one_ingest(tmp_path_factory: pytest.TempPathFactory, dataset_files: dict[str, bytes]) -> LogStore:
    root = tmp_path_factory.mktemp("one")
    save(dataset_files, root / "logs")
    store = LogStore(root / "store")
    ingest(list_local(root / "logs"), store, None, str(root / "logs"))
    return store


def test_summaries_give_the_findings_of_a_full_rescan(
    one_ingest: LogStore, full_context: DetectContext, tmp_path: Path
) -> None:
    manifest = Manifest.load(one_ingest.manifest_path)
    assert manifest is not None and manifest.complete
    session = open_session(one_ingest, full_context, RULES)
    sources = {rule.id: rule_source(rule, session.coverage) for rule in RULES}
    session.close()
    # The history-wide rules read summaries, not the records.
    assert sources["discovery_api_enumeration"] == "burst"
    assert sources["iam_root_account_used"] == "hot"
    summarised = _findings(one_ingest, full_context)
    assert len(summarised) > 20
    assert summarised == _findings(_without_summaries(one_ingest, tmp_path), full_context)


def test_a_time_window_reads_the_same_through_summaries(
    one_ingest: LogStore, full_context: DetectContext, tmp_path: Path
) -> None:
    window = replace(
        full_context, since=_START + timedelta(days=6), until=_START + timedelta(days=8, hours=5)
    )
    summarised = _findings(one_ingest, window)
    assert summarised
    assert summarised == _findings(_without_summaries(one_ingest, tmp_path), window)


def test_two_ingests_find_what_one_finds(
    one_ingest: LogStore, full_context: DetectContext, dataset_files: dict[str, bytes], tmp_path: Path
) -> None:
    # Every other file in each part: bursts, first-seen values and baselines straddle the two.
    keys = sorted(dataset_files)
    store = LogStore(tmp_path / "store")
    for part, chosen in enumerate((keys[0::2], keys[1::2])):
        root = tmp_path / f"part{part}"
        save({key: dataset_files[key] for key in chosen}, root)
        ingest(list_local(root), store, None, str(root), batch_rows=2_000)
    assert _findings(store, full_context) == _findings(one_ingest, full_context)


def test_many_parts_are_merged_and_still_give_the_same(
    one_ingest: LogStore, full_context: DetectContext, dataset_files: dict[str, bytes], tmp_path: Path
) -> None:
    save(dataset_files, tmp_path / "logs")
    store = LogStore(tmp_path / "store")
    ingest(list_local(tmp_path / "logs"), store, None, str(tmp_path / "logs"), batch_rows=20)
    for name in ("first_seen", "bursts", "actor_since"):
        parts = store.summary_files(name)
        assert len(parts) == 1 and parts[0].name.startswith("merged-"), name
    assert 0 < len(store.summary_files("candidates")) <= 16
    assert _findings(store, full_context) == _findings(one_ingest, full_context)


def test_an_interrupted_merge_is_finished_without_losing_a_part(tmp_path: Path) -> None:
    store = LogStore(tmp_path / "store")
    folder = store.summaries_dir / "candidates"
    folder.mkdir(parents=True)
    for name in ("a", "b"):
        (folder / f"{name}.parquet").write_bytes(b"part")
    # Crashed after listing what the merged file replaces and deleting one part, before the rename.
    (folder / "merged-x.pending").write_bytes(b"merged")
    (folder / "merged-x.replaces").write_text("a.parquet\nb.parquet", encoding="utf-8")
    (folder / "a.parquet").unlink()
    (folder / "merged-y.pending").write_bytes(b"never listed")
    store.recover("candidates")
    assert sorted(p.name for p in folder.iterdir()) == ["merged-x.parquet"]


def test_a_store_without_summaries_gets_them_on_the_next_ingest(
    one_ingest: LogStore, full_context: DetectContext, tmp_path: Path
) -> None:
    old = _without_summaries(one_ingest, tmp_path)
    assert Manifest.load(old.manifest_path) is None
    late = [ct(ops_admin, "ec2", "DescribeInstances", _START + timedelta(days=20))]
    save(logs_of(late).render(), tmp_path / "late")
    ingest(list_local(tmp_path / "late"), old, None, str(tmp_path / "late"))
    manifest = Manifest.load(old.manifest_path)
    assert manifest is not None and manifest.complete
    full = _without_summaries(old, tmp_path / "again")
    assert _findings(old, full_context) == _findings(full, full_context)


def test_a_burst_straddling_two_ingests_is_caught(tmp_path: Path, full_context: DetectContext) -> None:
    boundary = datetime(2024, 5, 10, 11, 0)
    history = [ct(ops_admin, "ec2", "DescribeInstances", boundary - timedelta(days=10))]
    launches = [
        ct(
            ops_admin,
            "ec2",
            "RunInstances",
            boundary + timedelta(minutes=-5 + i),
            params={"instanceType": "t3.micro"},
        )
        for i in range(10)
    ]
    denied = [
        ct(ops_admin, "iam", f"List{name}", boundary + timedelta(minutes=-20 + 4 * i), error="AccessDenied")
        for i, name in enumerate(["Users", "Roles", "Groups", "Policies", "Keys"] * 2)
    ]
    store = LogStore(tmp_path / "store")
    rules = [RULES.get("ec2_instance_launch_burst"), RULES.get("discovery_access_denied_burst")]
    result = None
    for part, records in enumerate((history + launches[:5] + denied[:5], launches[5:] + denied[5:])):
        save(logs_of(records).render(), tmp_path / f"logs{part}")
        result, _ = detect(str(tmp_path / f"logs{part}"), store, full_context, rules=rules)
    assert result is not None
    assert {f.check_id: (f.unmapped or {}).get("record_count") for f in result.findings} == {
        "ec2_instance_launch_burst": 10,
        "discovery_access_denied_burst": 10,
    }


def test_rules_added_since_the_last_ingest_get_their_summaries_rebuilt(
    one_ingest: LogStore, full_context: DetectContext, dataset_files: dict[str, bytes], tmp_path: Path
) -> None:
    save(dataset_files, tmp_path / "logs")
    store = LogStore(tmp_path / "store")
    few = [RULES.get("iam_root_account_used"), RULES.get("ec2_instance_launch_burst")]
    ingest(list_local(tmp_path / "logs"), store, None, str(tmp_path / "logs"), rules=few)
    manifest = Manifest.load(store.manifest_path)
    assert manifest is not None and "CreateUser" not in manifest.coverage.names
    late = [ct(ops_admin, "ec2", "DescribeInstances", _START + timedelta(days=20))]
    save(logs_of(late).render(), tmp_path / "late")
    ingest(list_local(tmp_path / "late"), store, None, str(tmp_path / "late"))
    manifest = Manifest.load(store.manifest_path)
    assert manifest is not None and manifest.complete and "CreateUser" in manifest.coverage.names
    assert _findings(store, full_context) == _findings(_without_summaries(store, tmp_path), full_context)


def test_an_ingest_that_fails_part_way_leaves_summaries_that_cannot_be_trusted_rebuilt(
    one_ingest: LogStore,
    full_context: DetectContext,
    dataset_files: dict[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from soryoku.detect.sources import IngestState

    save(dataset_files, tmp_path / "logs")
    store = LogStore(tmp_path / "store")
    state = IngestState.load(tmp_path / "state.json")
    real_write = LogStore.write
    writes = {"cloudtrail": 0}

    def failing_write(self: LogStore, source: str, table: Any) -> None:
        if source == "cloudtrail":
            writes["cloudtrail"] += 1
            if writes["cloudtrail"] == 2:  # the batch's summaries are written, its records are not
                raise OSError(28, "No space left on device")
        real_write(self, source, table)

    monkeypatch.setattr(LogStore, "write", failing_write)
    with pytest.raises(OSError, match="No space left"):
        ingest(list_local(tmp_path / "logs"), store, state, str(tmp_path / "logs"), batch_rows=200)
    manifest = Manifest.load(store.manifest_path)
    assert manifest is not None and not manifest.complete, "a failed ingest must not leave them trusted"
    monkeypatch.setattr(LogStore, "write", real_write)
    # the next run re-reads what was not recorded as done: the summaries are rebuilt from the records
    ingest(list_local(tmp_path / "logs"), store, state, str(tmp_path / "logs"), batch_rows=200)
    manifest = Manifest.load(store.manifest_path)
    assert manifest is not None and manifest.complete
    assert _findings(store, full_context) == _findings(_without_summaries(store, tmp_path), full_context)
    assert _findings(store, full_context) == _findings(one_ingest, full_context)


def test_a_part_is_written_under_a_name_readers_ignore_until_complete(tmp_path: Path) -> None:
    import pyarrow as pa

    store = LogStore(tmp_path / "store")
    store.write_summary("candidates", pa.table({"x": [1, 2]}))
    folder = store.summaries_dir / "candidates"
    assert [p.suffix for p in folder.iterdir()] == [".parquet"]
    (folder / "torn.writing").write_bytes(b"PAR1 truncated")  # a crash mid-write
    assert len(store.summary_files("candidates")) == 1
