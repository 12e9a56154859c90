"""ClamAV through a running clamd (INSTREAM over a Unix socket or TCP)."""

from __future__ import annotations

import socket
import struct

from soryoku.content.engines.base import EngineError, ScanTarget
from soryoku.content.verdict import Match
from soryoku.core.errors import ConfigError

_CHUNK = 256 * 1024


def parse_address(address: str) -> tuple[str, str | tuple[str, int]]:
    """``/path/clamd.ctl``, ``unix:/path``, ``tcp://host:port`` or ``host:port`` → (family, addr)."""
    if address.startswith("unix:"):
        return "unix", address[5:]
    if address.startswith("/"):
        return "unix", address
    rest = address.removeprefix("tcp://")
    host, sep, port = rest.rpartition(":")
    if not sep or not port.isdigit():
        raise ConfigError(f"--clamd {address!r}: expected a socket path or host:port")
    return "tcp", (host or "127.0.0.1", int(port))


class ClamdEngine:
    """Sends each blob to clamd with INSTREAM; a FOUND reply is a match, an ERROR reply an error."""

    name = "clamav"
    hash_names: frozenset[str] = frozenset()

    def __init__(self, address: str, *, timeout: float = 60.0) -> None:
        self.address = address
        self.family, self.target = parse_address(address)
        self.timeout = timeout
        self.version = "clamav"

    def _connect(self) -> socket.socket:
        family = socket.AF_UNIX if self.family == "unix" else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.target)
        except OSError as exc:
            sock.close()
            raise EngineError(f"clamav: cannot reach clamd at {self.address} ({exc})") from exc
        return sock

    def _command(self, command: bytes, payload: ScanTarget | None = None) -> str:
        with self._connect() as sock:
            try:
                sock.sendall(b"z" + command + b"\x00")
                if payload is not None:
                    for chunk in payload.blob.chunks(_CHUNK):
                        sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                    sock.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\x00"):
                    part = sock.recv(4096)
                    if not part:
                        break
                    reply += part
            except OSError as exc:
                raise EngineError(f"clamav: {exc}") from exc
        return reply.rstrip(b"\x00").decode("utf-8", errors="replace").strip()

    def probe(self) -> str:
        """clamd's version line (and sets ``version``); EngineError when clamd does not answer."""
        reply = self._command(b"VERSION")
        parts = reply.split("/")  # "ClamAV 1.4.6/27500/Sun Nov 29 …" with an official database
        self.version = "clamav-" + parts[0].replace("ClamAV ", "").strip()
        if len(parts) > 1 and parts[1].strip().isdigit():
            self.version += f"+db-{parts[1].strip()}"  # new signatures → a new engine tag → a re-scan
        return reply

    def scan(self, target: ScanTarget) -> list[Match]:
        """The signature clamd found, if any."""
        reply = self._command(b"INSTREAM", target)
        body = reply.split(":", 1)[1].strip() if reply.startswith("stream:") else reply
        if body == "OK":
            return []
        if body.endswith(" FOUND"):
            return [Match(engine=self.name, rule=body[: -len(" FOUND")], path=target.path)]
        raise EngineError(f"clamav: {reply}")


__all__ = ["ClamdEngine", "parse_address"]
