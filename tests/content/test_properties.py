"""Properties: any input gets exactly one verdict, and damaged archives hiding EICAR are never clean."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soryoku.content.samples import nested_eicar_zip
from soryoku.content.setup import ScannerSettings, build_scanner
from soryoku.content.verdict import Limits, Verdict

NESTED = nested_eicar_zip()
_SCANNER: list[Any] = []


def _scanner() -> Any:
    if not _SCANNER:
        _SCANNER.append(
            build_scanner(ScannerSettings(limits=Limits(max_members=50), use_cache=False)).scanner
        )
    return _SCANNER[0]


def _scan(data: bytes, name: str = "upload.zip") -> Any:
    return _scanner().scan_stream(io.BytesIO(data), name=name, uri=f"mem://{name}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(NESTED) - 1),
    value=st.integers(min_value=0, max_value=255),
)
def test_a_damaged_archive_hiding_eicar_is_never_clean(position: int, value: int) -> None:
    damaged = bytearray(NESTED)
    if damaged[position] == value:
        return
    damaged[position] = value
    result = _scan(bytes(damaged))
    assert result.verdict is not Verdict.CLEAN, (position, value, result)
    assert result.verdict is Verdict.MALICIOUS or result.reasons


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(min_value=4, max_value=len(NESTED) - 1))
def test_a_truncated_archive_hiding_eicar_is_never_clean(cut: int) -> None:
    # (shorter than the zip magic, the data is just a few letters: nothing to be suspicious of)
    result = _scan(NESTED[:cut])
    assert result.verdict is not Verdict.CLEAN, (cut, result)


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=4096),
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf'\x1c"]),
)
def test_any_bytes_get_exactly_one_verdict(data: bytes, prefix: bytes) -> None:
    result = _scan(prefix + data, "blob.bin")
    assert result.verdict in set(Verdict)
    assert (result.verdict is Verdict.CLEAN) == (not result.matches and not result.reasons)
