"""ClamAV through a real clamd (INSTREAM), with signatures the fixture writes."""

from __future__ import annotations

import io

import pytest

from soryoku.content.engines.base import EngineError, ScanTarget
from soryoku.content.engines.clamd import ClamdEngine, parse_address
from soryoku.content.samples import EICAR, zip_bytes
from soryoku.content.setup import ScannerSettings, build_scanner
from soryoku.content.spool import Blob
from soryoku.content.verdict import Verdict
from soryoku.core.errors import ConfigError


def test_parse_address() -> None:
    assert parse_address("/run/clamd.ctl") == ("unix", "/run/clamd.ctl")
    assert parse_address("unix:/x") == ("unix", "/x")
    assert parse_address("tcp://127.0.0.1:3310") == ("tcp", ("127.0.0.1", 3310))
    with pytest.raises(ConfigError):
        parse_address("nonsense")


def test_instream_finds_signatures(clamd_address: str) -> None:
    engine = ClamdEngine(clamd_address)
    assert engine.probe().startswith("ClamAV")
    assert engine.version.startswith("clamav-1.")
    target = ScanTarget(Blob(size=len(EICAR), data=EICAR), "e", "e", "", "text")
    assert [m.rule for m in engine.scan(target)] == ["Soryoku.Test.EICAR-HDB.UNOFFICIAL"]
    marker = b"prefix SORYOKU-CLAMAV-MARKER-0451 suffix" * 100_000
    big = ScanTarget(Blob(size=len(marker), data=marker), "m", "m", "", "text")
    assert [m.rule for m in engine.scan(big)] == ["Soryoku.Test.Marker-NDB.UNOFFICIAL"]
    clean = ScanTarget(Blob(size=5, data=b"hello"), "c", "c", "", "text")
    assert engine.scan(clean) == []


def test_clamav_with_yara_in_one_scanner(clamd_address: str) -> None:
    built = build_scanner(ScannerSettings(clamd=clamd_address))
    result = built.scanner.scan_stream(
        io.BytesIO(zip_bytes({"d/eicar.com": EICAR})), name="a.zip", uri="mem://a.zip"
    )
    assert result.verdict is Verdict.MALICIOUS
    found = {(m.engine, m.rule, m.path) for m in result.matches}
    assert ("yara", "soryoku_eicar_test_file", "d/eicar.com") in found
    assert ("clamav", "Soryoku.Test.EICAR-HDB.UNOFFICIAL", "d/eicar.com") in found


def test_unreachable_clamd() -> None:
    with pytest.raises(ConfigError, match="cannot reach clamd"):
        build_scanner(ScannerSettings(clamd="127.0.0.1:1"))
    engine = ClamdEngine("127.0.0.1:1")
    with pytest.raises(EngineError):
        engine.scan(ScanTarget(Blob(size=1, data=b"x"), "x", "x", "", "text"))
