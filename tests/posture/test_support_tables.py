"""The end-of-support tables behind Lambda.2 and EKS.2, as refreshed on 2026-11-29: each date is the
day the runtime or Kubernetes version starts failing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from soryoku.core.finding import ResultStatus
from soryoku.posture.checks.awslambda import DEPRECATED_RUNTIMES
from soryoku.posture.checks.eks import END_OF_SUPPORT, support_ends
from soryoku.posture.registry import CHECKS
from soryoku.posture.results import CheckContext

from .cases_apps_edge import CLUSTER, FUNCTION


def _status(check_id: str, resource: object, day: str) -> ResultStatus:
    now = datetime.fromisoformat(day).replace(tzinfo=UTC)
    (result,) = CHECKS.get(check_id).run(resource, CheckContext("123456789012", "eu-west-1", now=now))
    return result.status


@pytest.mark.parametrize(
    ("runtime", "last_good", "first_bad"),
    [
        ("python3.10", "2026-10-30", "2026-10-31"),
        ("dotnet8", "2026-11-09", "2026-11-10"),
        ("nodejs22.x", "2027-04-29", "2027-04-30"),
        ("python3.13", "2029-06-29", "2029-06-30"),
    ],
)
def test_lambda_runtimes_fail_from_their_deprecation_day(
    runtime: str, last_good: str, first_bad: str
) -> None:
    function = replace(FUNCTION, runtime=runtime)
    assert _status("lambda_function_supported_runtime", function, last_good) is ResultStatus.PASS
    assert _status("lambda_function_supported_runtime", function, first_bad) is ResultStatus.FAIL


def test_lambda_table_dates_are_in_order_of_release_within_a_language() -> None:
    python = [DEPRECATED_RUNTIMES[f"python3.{minor}"] for minor in range(6, 15)]
    assert python == sorted(python)


def test_eks_versions_follow_the_release_calendar() -> None:
    assert END_OF_SUPPORT["1.34"] == datetime(2027, 12, 2, tzinfo=UTC)
    ordered = sorted(END_OF_SUPPORT, key=lambda v: int(v.split(".")[1]))
    assert [END_OF_SUPPORT[v] for v in ordered] == sorted(END_OF_SUPPORT.values())
    assert support_ends("1.35") is None and support_ends("1.22") == datetime(2000, 1, 1, tzinfo=UTC)
    cluster = replace(CLUSTER, version="1.31")
    assert _status("eks_cluster_supported_version", cluster, "2026-11-25") is ResultStatus.PASS
    assert _status("eks_cluster_supported_version", cluster, "2026-11-29") is ResultStatus.FAIL
