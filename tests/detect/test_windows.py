"""Bursts are counted in sliding windows: a burst split by a clock boundary is still a burst."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from tests.detect.conftest import Detector

from soryoku.detect.rules.windows import Measure, sliding_members
from soryoku.detect.simulate.dataset import ops_admin
from soryoku.detect.simulate.events import Flow, ct

BOUNDARY = datetime(2024, 5, 10, 11, 0)


def _at(minutes: float) -> datetime:
    return BOUNDARY + timedelta(minutes=minutes)


def _members(times: list[float], values: list[str], measures: tuple[Measure, ...]) -> list[float]:
    con = duckdb.connect()
    con.register(
        "_hits",
        pa.table(
            {
                "time": pa.array([_at(t) for t in times], pa.timestamp("ms")),
                "actor": pa.array(["a"] * len(times)),
                "value": pa.array(values),
                "minute": pa.array(times, pa.float64()),
            }
        ),
    )
    sql = f"SELECT minute FROM {sliding_members('_hits', 'actor', '1 hour', measures)} ORDER BY minute"
    rows = [row[0] for row in con.execute(sql).fetchall()]
    con.close()
    return rows


def test_a_burst_straddling_the_hour_is_found_and_only_its_records_are_members() -> None:
    # 10 hits from 10:40 to 11:25 (four before 11:00, six after): no clock hour holds 10 of them.
    burst = [-20.0, -15.0, -10.0, -5.0, 0.0, 5.0, 10.0, 15.0, 20.0, 25.0]
    far = [200.0, 400.0]  # hours later: not part of any burst
    assert _members(burst + far, ["x"] * 12, (Measure(10),)) == burst
    assert _members(burst[:-1] + far, ["x"] * 11, (Measure(10),)) == []


def test_distinct_and_combined_measures_slide_too() -> None:
    times = [-30.0 + 6 * i for i in range(10)]  # 10:30 … 11:24
    names = [f"api{i % 5}" for i in range(10)]
    assert _members(times, names, (Measure(10), Measure(5, "value"))) == times
    assert _members(times, [f"api{i % 4}" for i in range(10)], (Measure(10), Measure(5, "value"))) == []
    spread = [-70.0 + 13 * i for i in range(10)]  # ten hits over two hours: at most five in any hour
    distinct = [f"v{i}" for i in range(10)]
    assert _members(spread, distinct, (Measure(5, "value"),)) == spread
    assert _members(spread, distinct, (Measure(6, "value"),)) == []


def test_rules_catch_bursts_across_a_boundary(run_detect: Detector) -> None:
    launches = [
        ct(ops_admin, "ec2", "RunInstances", _at(-5 + i), params={"instanceType": "t3.micro"})
        for i in range(10)
    ]
    hit = run_detect(launches, ["ec2_instance_launch_burst"])
    assert [f.check_id for f in hit.findings] == ["ec2_instance_launch_burst"]
    assert hit.findings[0].unmapped and hit.findings[0].unmapped["record_count"] == 10
    brute = [
        Flow(_at(-5 + i * 0.5), "45.155.205.99", "10.0.1.5", 40000 + i, 22, action="REJECT")
        for i in range(20)
    ]
    found = run_detect(brute, ["flow_ssh_brute_force_inbound"])
    assert [f.check_id for f in found.findings] == ["flow_ssh_brute_force_inbound"]
