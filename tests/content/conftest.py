"""Fixtures of the content tests: a compiled-rules cache per session and a real clamd."""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from soryoku.content.samples import EICAR


@pytest.fixture(autouse=True)
def _rules_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled rules go to a session folder, never the user's cache."""
    monkeypatch.setenv("SORYOKU_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "rules-cache"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def clamd_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A clamd on 127.0.0.1 with signatures written here (EICAR by MD5, a marker by body), or skip."""
    binary = shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)
    if binary is None:
        pytest.skip("clamd not installed (Debian package clamav-daemon)")
    folder = tmp_path_factory.mktemp("clamd")
    db = folder / "db"
    db.mkdir()
    (db / "soryoku.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Soryoku.Test.EICAR-HDB\n")
    marker = b"SORYOKU-CLAMAV-MARKER-0451"
    (db / "soryoku.ndb").write_text(f"Soryoku.Test.Marker-NDB:0:*:{marker.hex()}\n")
    port = _free_port()
    conf = folder / "clamd.conf"
    conf.write_text(
        f"DatabaseDirectory {db}\nTCPSocket {port}\nTCPAddr 127.0.0.1\nForeground yes\n"
        f"LogFile {folder / 'clamd.log'}\nStreamMaxLength 64M\n"
    )
    process = subprocess.Popen(
        [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.skip(
                    f"clamd exited with {process.returncode}: {(folder / 'clamd.log').read_text()[-300:]}"
                )
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.skip("clamd did not start listening within 30 s")
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
